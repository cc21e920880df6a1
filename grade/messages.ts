// klab grade's message catalogue (ko/en, same placeholders; test/unit/grade-*.test.ts checks it like i18n/messages.ts).
import { fill, type Text } from '../i18n/index.js';

export const gradeMessages = {
  'roster.unknownLab': { ko: "실습 '{lab}'이(가) 없습니다. 있는 실습: {ids}", en: "there is no lab '{lab}'. Labs: {ids}" },
  'roster.duplicate': { ko: "실습자 id '{id}'가 두 번 나옵니다 (처음: {line}행)", en: "trainee id '{id}' appears twice (first on line {line})" },
  'roster.notFile': { ko: '명단 {file} 은(는) 파일이 아니라 폴더입니다.', en: 'The roster {file} is a folder, not a file.' },
  'roster.unreadable': { ko: '명단 {file} 을(를) 읽을 수 없습니다 ({detail}).', en: 'Cannot read the roster {file} ({detail}).' },
  'key.unreadable': { ko: '채점 키 {file} 을(를) 읽거나 만들 수 없습니다 ({detail}).', en: 'Cannot read or create the grading key {file} ({detail}).' },
  'key.missing': { ko: '채점 키 {file} 이(가) 없습니다. 결과에 서명한 키를 --key 로 주세요.', en: 'The grading key {file} does not exist. Pass the key the results were signed with as --key.' },
  'key.short': { ko: '채점 키 {file} 이(가) 너무 짧습니다 (16바이트 이상).', en: 'The grading key {file} is too short (16 bytes at least).' },
  'key.loose': { ko: '경고: 채점 키 {file} 의 권한이 {mode} 입니다. 다른 사용자가 읽을 수 있습니다: chmod 600 {file}', en: 'Warning: the grading key {file} has mode {mode}; other users can read it: chmod 600 {file}' },
  'key.created': { ko: '채점 키를 만들었습니다: {file} (권한 600). 이 키로 결과를 검증합니다. 잃어버리지 마세요.', en: 'Created the grading key {file} (mode 600). Results are verified with it: keep it safe.' },
  'trainee.timeout': { ko: '채점이 {s}초 안에 끝나지 않았습니다 (명단의 timeout).', en: 'Grading did not finish within {s}s (the roster timeout).' },
  'trainee.unreachable': { ko: '클러스터에 연결할 수 없습니다.', en: 'Cannot reach the cluster.' },

  'args.mode': { ko: '무엇을 채점할지 정하세요: klab grade --lab <실습|all> --context <컨텍스트>  또는  klab grade --roster roster.yaml', en: 'Say what to grade: klab grade --lab <lab|all> --context <context>  or  klab grade --roster roster.yaml' },
  'args.submission': { ko: '--submission (제출 폴더 채점)은 아직 없습니다: 실습 i-h1, i-h2 가 생기면 만듭니다. 지금은 --lab 과 --roster 를 쓰세요.', en: '--submission (grading a submitted folder) is not available yet: it comes with labs i-h1 and i-h2. Use --lab or --roster for now.' },
  'args.format': { ko: "--format 값 '{value}'은(는) 없습니다. 쉼표로 구분해 다음 중에서 고르세요: {allowed}", en: "--format '{value}' does not exist: choose comma-separated from {allowed}" },
  'args.concurrency': { ko: "--concurrency 값 '{value}'은(는) 1~64 사이의 정수여야 합니다.", en: "--concurrency '{value}' must be a whole number from 1 to 64." },
  'args.files': { ko: '파일이 필요합니다: klab grade {cmd} <결과.json>…', en: 'Files are required: klab grade {cmd} <results.json>…' },
  'args.labAndRoster': { ko: '--roster 와 --context 는 함께 쓸 수 없습니다: 컨텍스트는 명단의 항목마다 적습니다.', en: '--roster and --context do not go together: each roster entry names its context.' },
  'args.noLabs': { ko: '채점할 실습이 없습니다: --lab <실습|all> 을 주거나 명단에 labs: 를 적으세요.', en: 'No lab to grade: pass --lab <lab|all> or list labs: in the roster.' },

  'verify.ok': { ko: '{file}: 서명이 맞습니다 (키 {keyId}, 실습자 {n}명).', en: '{file}: signature OK (key {keyId}, {n} trainees).' },
  'verify.tampered': { ko: '{file}: 서명이 맞지 않습니다. 서명한 뒤에 내용이 바뀌었습니다.', en: '{file}: signature mismatch: the content changed after it was signed.' },
  'verify.otherKey': { ko: '{file}: 다른 키({keyId})로 서명되었습니다. 이 키는 {mine} 입니다.', en: '{file}: signed with another key ({keyId}); this key is {mine}.' },
  'verify.unsigned': { ko: '{file}: 서명이 없습니다.', en: '{file}: it carries no signature.' },
  'verify.notGrade': { ko: '{file}: klab grade 결과 파일이 아닙니다 ({detail}).', en: '{file}: not a klab grade result file ({detail}).' },
  'merge.duplicate': { ko: "실습자 '{id}'가 {a} 와 {b} 에 모두 있습니다.", en: "Trainee '{id}' is in both {a} and {b}." },
  'merge.labMax': { ko: "실습 '{lab}'의 만점이 파일마다 다릅니다 ({a}: {x}, {b}: {y}): 다른 klab 버전으로 채점했나요?", en: "Lab '{lab}' has a different maximum score in {a} ({x}) and {b} ({y}): graded by different klab versions?" },

  'run.cannotWrite': { ko: '{path} 에 쓸 수 없습니다 ({detail}).', en: 'Cannot write {path} ({detail}).' },
  'run.labHeader': { ko: '── {lab} (시드 {seed}, 네임스페이스 {namespace}) ──', en: '── {lab} (seed {seed}, namespace {namespace}) ──' },
  'out.where': { ko: '시드 {seed} · 네임스페이스 {namespace} · 컨텍스트 {context} · {time} · klab {version}', en: 'seed {seed} · namespace {namespace} · context {context} · {time} · klab {version}' },
  'run.written': { ko: '저장: {path}', en: 'Wrote {path}' },
  'run.progress': { ko: '채점 {done}/{total} · 진행 중: {current}', en: 'Grading {done}/{total} · now: {current}' },
  'run.summary': { ko: '실습자 {n}명: 채점 {graded} · 일부 채점 {partial} · 오류 {error} ({s}초)', en: '{n} trainees: {graded} graded · {partial} partly graded · {error} errors ({s}s)' },
  'run.someErrors': { ko: '오류인 실습자는 점수를 잃지 않았습니다: 클러스터를 고친 뒤 그 실습자만 다시 채점하세요 (종료 코드 3).', en: 'Trainees in error lost no points: fix their cluster and grade them again (exit code 3).' },

  'out.title': { ko: 'klab 성적표', en: 'klab gradebook' },
  'out.meta': { ko: 'klab {version} · {time} · 실습자 {n}명 (채점 {graded}, 일부 {partial}, 오류 {error})', en: 'klab {version} · {time} · {n} trainees ({graded} graded, {partial} partly, {error} errors)' },
  'out.trainee': { ko: '실습자', en: 'Trainee' },
  'out.name': { ko: '이름', en: 'Name' },
  'out.total': { ko: '합계', en: 'Total' },
  'out.status': { ko: '상태', en: 'Status' },
  'out.check': { ko: '검사', en: 'Check' },
  'out.points': { ko: '점수', en: 'Points' },
  'out.diagnosis': { ko: '진단과 증거', en: 'Diagnosis and evidence' },
  'out.hint': { ko: '힌트', en: 'Hint' },
  'out.graded': { ko: '채점됨', en: 'graded' },
  'out.partial': { ko: '일부 채점', en: 'partly graded' },
  'out.error': { ko: '오류', en: 'error' },
  'out.errors': { ko: '채점하지 못한 실습자 (점수를 잃지 않음)', en: 'Trainees not graded (no points lost)' },
  'out.details': { ko: '통과하지 못한 검사', en: 'Checks not passed' },
  'out.notCounted': { ko: '점수에 넣지 않음: 실습자 탓이 아님', en: 'not counted: not the trainee’s doing' },
  'out.partialNote': { ko: '* 표시: 일부 검사를 판정할 수 없었습니다 (오류·클러스터 기능 없음). 그 점수는 빼지 않습니다.', en: '* some checks could not be judged (error or a missing cluster capability); their points are not taken off.' },
  'out.clickCell': { ko: '칸을 누르면 검사, 진단, 증거가 보입니다.', en: 'Click a cell for its checks, diagnoses and evidence.' },
  'out.unsigned': { ko: '서명 없음', en: 'unsigned' },
} satisfies Record<string, Text>;

export type GradeMessageKey = keyof typeof gradeMessages;

export function gmsg(key: GradeMessageKey, vars: Record<string, string | number | undefined> = {}): Text {
  return fill(gradeMessages[key], vars);
}
