// `klab --help`: kept in its own small module (no heavy imports) so it prints fast.
import type { Lang } from '../i18n/index.js';

const ko = `klab — 쿠버네티스 실습 도우미 (라이브 클러스터를 검사하고 무엇을 고칠지 알려 줍니다)

사용법: klab <명령> [옵션]

실습자
  list [--json]                       실습 목록 (ID, 난이도, 제목, 단계 수)
  start <실습> [--provider kind|local|existing] [--context C] [--seed S] [--no-guide] [--reset]
                                      클러스터를 준비하고 실습을 시작합니다 (터미널이면 단계별 안내).
                                      진행 중인 실습은 만든 것을 그대로 두고 이어서 합니다. --reset: 처음부터 다시
  check <실습> [--step N] [--json] [--junit 파일]
                                      라이브 클러스터를 검사합니다
  hint <실습> [--step N]              다음 힌트
  answer <실습> <질문 ID> <답>        질문에 답하기 (예: 로그에서 찾은 토큰)
  solve <실습>                        모범 풀이를 적용합니다 (기록됨)
  traffic <실습> <단계> [--for 90s]   롤아웃하는 동안 실습의 Service 에 0.1초마다 요청하고 결과를 기록합니다
  reset <실습>                        실습이 만든 것을 모두 지웁니다 (여러 번 해도 안전)
  status [--json]                     실습별 진행 상황 (통과/건너뛴 단계, 점수)
  env [--json]                        kubectl 이 klab 클러스터를 쓰게 하는 export 줄: eval "$(klab env)"
  doctor [--json]                     node, docker, kind, kubectl, helm, 클러스터 점검과 설치 방법

클러스터
  cluster up|down|status [--provider kind|local|existing] [--yes] [--force]
  cluster build --provider local      local 클러스터용 바이너리를 Go 모듈에서 빌드 (처음엔 수십 분)
  assert -f checks.yaml [--namespace N] [--json]
                                      검사 파일을 아무 클러스터에나 바로 실행

강사 (채점, docs/grading.ko.md)
  grade --lab <실습|all> --context C [--kubeconfig K] [--seed S]
                                      실습자 한 명의 클러스터를 있는 그대로 채점
  grade --roster roster.yaml [--concurrency N] [--format json,junit,csv,md,html] [--out 폴더] [--key 파일]
                                      명단의 실습자를 동시에 채점하고 서명된 결과와 성적표를 씁니다
  grade verify <결과.json>…           서명 확인 (바뀐 파일이면 종료 코드 1)
  grade merge <결과.json>…            여러 기계에서 나눠 채점한 결과를 검증해 하나로 합칩니다
  (--submission 제출 폴더 채점은 아직 없습니다. grade 종료 코드: 0 모두 채점 · 3 채점 못 한 실습자 있음)

공통 옵션
  --lang ko|en        언어 (기본: LANG/LC_ALL 이 ko 로 시작하면 한국어)
  --kubeconfig 경로   --context 이름   --no-color (NO_COLOR 도 존중)   --verbose   -h, --help   --version

종료 코드
  0 성공 · 1 검사 실패(실습자의 작업이 아직 틀림) · 2 사용법/입력 오류(잘못된 실습 파일, 22.19 보다 오래된 Node.js 포함)
  3 채점할 수 없음(클러스터 연결 불가, 인증/권한 거부) · 4 klab 내부 오류(버그)
  --json 이면 실패도 JSON: {"error": {"code", "message"}, "exitCode"}

환경 변수
  KLAB_PROBE_TIMEOUT  클러스터 첫 응답을 기다리는 시간 (기본 3초; 예: 5, 500ms)
  KLAB_LABS_DIR       실습 폴더 (실습 작성자용; 기본: 내장 labs/)
`;

const en = `klab — a Kubernetes lab runner that checks your live cluster and explains what to fix

Usage: klab <command> [options]

Trainee
  list [--json]                       labs (id, level, title, number of steps)
  start <lab> [--provider kind|local|existing] [--context C] [--seed S] [--no-guide] [--reset]
                                      prepare a cluster and the lab, then guide step by step (on a terminal).
                                      A lab in progress is resumed, your work kept. --reset: start over
  check <lab> [--step N] [--json] [--junit file]
                                      verify the live cluster
  hint <lab> [--step N]               the next hint
  answer <lab> <question id> <answer> answer a question (e.g. a token found in the logs)
  solve <lab>                         apply the reference solution (recorded)
  traffic <lab> <step> [--for 90s]    while you roll out, request the lab's Service every 0.1 s and record who answers
  reset <lab>                         remove everything the lab created (safe to repeat)
  status [--json]                     progress per lab (steps passed/skipped, score)
  env [--json]                        export lines that point kubectl at klab's cluster: eval "$(klab env)"
  doctor [--json]                     check node, docker, kind, kubectl, helm, the cluster; how to install each

Cluster
  cluster up|down|status [--provider kind|local|existing] [--yes] [--force]
  cluster build --provider local      build the local cluster's binaries from Go modules (tens of minutes the first time)
  assert -f checks.yaml [--namespace N] [--json]
                                      run a check file against any cluster

Instructor (grading, docs/grading.en.md)
  grade --lab <lab|all> --context C [--kubeconfig K] [--seed S]
                                      grade one trainee's cluster as it is
  grade --roster roster.yaml [--concurrency N] [--format json,junit,csv,md,html] [--out dir] [--key file]
                                      grade a roster concurrently into signed results and a gradebook
  grade verify <results.json>…        check the signature (exit 1 when a file was edited)
  grade merge <results.json>…         verify shards graded on several machines and merge them into one
  (--submission, grading a submitted folder, is not built yet. grade exit codes: 0 all graded · 3 some trainees not graded)

Global options
  --lang ko|en        language (default: Korean when LANG/LC_ALL starts with ko)
  --kubeconfig path   --context name   --no-color (NO_COLOR is honoured)   --verbose   -h, --help   --version

Exit codes
  0 ok · 1 checks failed (the trainee's work is not right yet) · 2 usage or input error (incl. a broken lab file, a Node.js older than 22.19)
  3 nothing graded (cluster unreachable, credentials/permissions refused) · 4 internal klab error (a bug)
  With --json, failures are JSON too: {"error": {"code", "message"}, "exitCode"}

Environment
  KLAB_PROBE_TIMEOUT  how long to wait for a cluster's first answer (default 3 s; e.g. 5, 500ms)
  KLAB_LABS_DIR       the labs folder (for lab authors; default: the built-in labs/)
`;

export function helpText(lang: Lang): string { return lang === 'ko' ? ko : en; }
