// `klab --help`: the command lines come from the command table (scripts/commands.ts), in its order, under their
// section; kept in its own small module (no heavy imports) so it prints fast.
import type { Lang } from '../i18n/index.js';
import { commands, type Section } from './commands.js';
import { providerNames } from '../cluster/provider.js';

const head: Record<Lang, string> = {
  ko: `klab — 쿠버네티스 실습 도우미 (라이브 클러스터를 검사하고 무엇을 고칠지 알려 줍니다)

사용법: klab <명령> [옵션]
`,
  en: `klab — a Kubernetes lab runner that checks your live cluster and explains what to fix

Usage: klab <command> [options]
`,
};

const sections: Record<Section, Record<Lang, string>> = {
  trainee: { ko: '실습자', en: 'Trainee' },
  cluster: { ko: '클러스터', en: 'Cluster' },
  instructor: { ko: '강사 (채점, docs/grading.ko.md)', en: 'Instructor (grading, docs/grading.en.md)' },
};

const foot: Record<Lang, string> = {
  ko: `공통 옵션
  --lang ko|en        언어 (기본: LANG/LC_ALL 이 ko 로 시작하면 한국어)
  --kubeconfig 경로   --context 이름   --no-color (NO_COLOR 도 존중)   --verbose   -h, --help   --version

종료 코드
  0 성공 · 1 검사 실패(실습자의 작업이 아직 틀림) · 2 사용법/입력 오류(잘못된 실습 파일, 22.19 보다 오래된 Node.js 포함)
  3 채점할 수 없음(클러스터 연결 불가, 인증/권한 거부) · 4 klab 내부 오류(버그)
  --json 이면 실패도 JSON: {"error": {"code", "message"}, "exitCode"}

환경 변수
  KLAB_PROBE_TIMEOUT  클러스터 첫 응답을 기다리는 시간 (기본 3초; 예: 5, 500ms)
  KLAB_LABS_DIR       실습 폴더 (실습 작성자용; 기본: 내장 labs/)`,
  en: `Global options
  --lang ko|en        language (default: Korean when LANG/LC_ALL starts with ko)
  --kubeconfig path   --context name   --no-color (NO_COLOR is honoured)   --verbose   -h, --help   --version

Exit codes
  0 ok · 1 checks failed (the trainee's work is not right yet) · 2 usage or input error (incl. a broken lab file, a Node.js older than 22.19)
  3 nothing graded (cluster unreachable, credentials/permissions refused) · 4 internal klab error (a bug)
  With --json, failures are JSON too: {"error": {"code", "message"}, "exitCode"}

Environment
  KLAB_PROBE_TIMEOUT  how long to wait for a cluster's first answer (default 3 s; e.g. 5, 500ms)
  KLAB_LABS_DIR       the labs folder (for lab authors; default: the built-in labs/)`,
};

export function helpText(lang: Lang): string {
  const parts = [head[lang]];
  for (const s of Object.keys(sections) as Section[]) {
    parts.push(sections[s][lang], ...commands.filter((c) => c.section === s).map((c) => c.help[lang].replaceAll('{providers}', providerNames.join('|'))), '');
  }
  return parts.join('\n') + '\n' + foot[lang] + '\n';
}
