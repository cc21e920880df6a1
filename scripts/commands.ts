// THE command table: every `klab` command with its loader, how many positional arguments it takes, its help lines
// (ko/en) and the section of `klab --help` it is listed in; and the one flag table. main.ts loads from it, args.ts
// parses and checks against it, help.ts prints it. Adding a command: a `scripts/<name>.ts` with `run(args)` and one
// row here (its messages go in i18n/messages.ts if it has any). Kept free of heavy imports (`klab --help` is fast).
import type { Lang } from '../i18n/index.js';
import type { ParsedArgs } from './args.js';

export type Command = { run(args: ParsedArgs): Promise<number> };
export type Section = 'trainee' | 'cluster' | 'instructor';

export interface CommandDef {
  name: string;
  section: Section;
  load: () => Promise<Command>;
  /** more positional arguments than this is a usage error (absent: any number, e.g. `answer` joins the rest) */
  maxPositionals?: number;
  /** its lines in `klab --help`, as printed; `{providers}` becomes the provider names (kind|local|existing) */
  help: Record<Lang, string>;
}

export const commands: CommandDef[] = [
  {
    name: 'list', section: 'trainee', load: () => import('./list.js'), maxPositionals: 0,
    help: {
      ko: `  list [--json]                       실습 목록 (ID, 난이도, 제목, 단계 수)`,
      en: `  list [--json]                       labs (id, level, title, number of steps)`,
    },
  },
  {
    name: 'start', section: 'trainee', load: () => import('./start.js'), maxPositionals: 1,
    help: {
      ko: `  start <실습> [--provider {providers}] [--context C] [--seed S] [--no-guide] [--reset]
                                      클러스터를 준비하고 실습을 시작합니다 (터미널이면 단계별 안내).
                                      진행 중인 실습은 만든 것을 그대로 두고 이어서 합니다. --reset: 처음부터 다시`,
      en: `  start <lab> [--provider {providers}] [--context C] [--seed S] [--no-guide] [--reset]
                                      prepare a cluster and the lab, then guide step by step (on a terminal).
                                      A lab in progress is resumed, your work kept. --reset: start over`,
    },
  },
  {
    name: 'check', section: 'trainee', load: () => import('./check.js'), maxPositionals: 1,
    help: {
      ko: `  check <실습> [--step N] [--json] [--junit 파일]
                                      라이브 클러스터를 검사합니다`,
      en: `  check <lab> [--step N] [--json] [--junit file]
                                      verify the live cluster`,
    },
  },
  {
    name: 'hint', section: 'trainee', load: () => import('./hint.js'), maxPositionals: 1,
    help: {
      ko: `  hint <실습> [--step N]              다음 힌트`,
      en: `  hint <lab> [--step N]               the next hint`,
    },
  },
  {
    name: 'answer', section: 'trainee', load: () => import('./answer.js'),
    help: {
      ko: `  answer <실습> <질문 ID> <답>        질문에 답하기 (예: 로그에서 찾은 토큰)`,
      en: `  answer <lab> <question id> <answer> answer a question (e.g. a token found in the logs)`,
    },
  },
  {
    name: 'solve', section: 'trainee', load: () => import('./solve.js'), maxPositionals: 1,
    help: {
      ko: `  solve <실습>                        모범 풀이를 적용합니다 (기록됨)`,
      en: `  solve <lab>                         apply the reference solution (recorded)`,
    },
  },
  {
    name: 'reset', section: 'trainee', load: () => import('./reset.js'), maxPositionals: 1,
    help: {
      ko: `  reset <실습> [--all]                여러분의 실습이 만든 것을 모두 지웁니다 (여러 번 해도 안전)
                                      --all: 이 클러스터의 모든 수강생 것까지 (강사용)`,
      en: `  reset <lab> [--all]                 remove everything your copy of the lab created (safe to repeat)
                                      --all: every trainee's copy on this cluster (for instructors)`,
    },
  },
  {
    name: 'status', section: 'trainee', load: () => import('./status.js'), maxPositionals: 0,
    help: {
      ko: `  status [--json]                     실습별 진행 상황 (통과/건너뛴 단계, 점수)`,
      en: `  status [--json]                     progress per lab (steps passed/skipped, score)`,
    },
  },
  {
    name: 'env', section: 'trainee', load: () => import('./env.js'),
    help: {
      ko: `  env [--json]                        kubectl 이 klab 클러스터를 쓰게 하는 export 줄: eval "$(klab env)"`,
      en: `  env [--json]                        export lines that point kubectl at klab's cluster: eval "$(klab env)"`,
    },
  },
  {
    name: 'traffic', section: 'trainee', load: () => import('./traffic.js'), maxPositionals: 2,
    help: {
      ko: `  traffic <실습> <단계> [--for 90s]   롤아웃하는 동안 실습의 Service 에 0.1초마다 요청하고 결과를 기록합니다`,
      en: `  traffic <lab> <step> [--for 90s]    while you roll out, request the lab's Service every 0.1 s and record who answers`,
    },
  },
  {
    name: 'doctor', section: 'trainee', load: () => import('./doctor.js'), maxPositionals: 0,
    help: {
      ko: `  doctor [--json]                     node, docker, kind, kubectl, helm, argo, 클러스터 점검과 설치 방법`,
      en: `  doctor [--json]                     check node, docker, kind, kubectl, helm, argo, the cluster; how to install each`,
    },
  },
  {
    name: 'cluster', section: 'cluster', load: () => import('./cluster.js'), maxPositionals: 1,
    help: {
      ko: `  cluster up|down|status [--provider {providers}] [--yes] [--force]
  cluster build --provider local      local 클러스터용 바이너리를 Go 모듈에서 빌드 (처음엔 수십 분)`,
      en: `  cluster up|down|status [--provider {providers}] [--yes] [--force]
  cluster build --provider local      build the local cluster's binaries from Go modules (tens of minutes the first time)`,
    },
  },
  {
    name: 'assert', section: 'cluster', load: () => import('./assert.js'), maxPositionals: 0,
    help: {
      ko: `  assert -f checks.yaml [--namespace N] [--json]
                                      검사 파일을 아무 클러스터에나 바로 실행`,
      en: `  assert -f checks.yaml [--namespace N] [--json]
                                      run a check file against any cluster`,
    },
  },
  {
    name: 'grade', section: 'instructor', load: () => import('./grade.js'),
    help: {
      ko: `  grade --lab <실습|all> --context C [--kubeconfig K] [--seed S]
                                      실습자 한 명의 클러스터를 있는 그대로 채점
  grade --roster roster.yaml [--concurrency N] [--format json,junit,csv,md,html] [--out 폴더] [--key 파일]
                                      명단의 실습자를 동시에 채점하고 서명된 결과와 성적표를 씁니다
  grade verify <결과.json>…           서명 확인 (바뀐 파일이면 종료 코드 1)
  grade merge <결과.json>…            여러 기계에서 나눠 채점한 결과를 검증해 하나로 합칩니다
  grade --submission 폴더 --lab i-h1|i-h2 [--context C] [--static-only]
                                      제출한 차트/WorkflowTemplate 을 정적 검사 후 격리된 네임스페이스에 설치해 채점
  (grade 종료 코드: 0 모두 채점 · 3 채점 못 한 실습자 있음 또는 중단됨 (Ctrl+C, 일부 결과))`,
      en: `  grade --lab <lab|all> --context C [--kubeconfig K] [--seed S]
                                      grade one trainee's cluster as it is
  grade --roster roster.yaml [--concurrency N] [--format json,junit,csv,md,html] [--out dir] [--key file]
                                      grade a roster concurrently into signed results and a gradebook
  grade verify <results.json>…        check the signature (exit 1 when a file was edited)
  grade merge <results.json>…         verify shards graded on several machines and merge them into one
  grade --submission dir --lab i-h1|i-h2 [--context C] [--static-only]
                                      grade a submitted chart/WorkflowTemplates: static checks, then installed in a sandbox namespace
  (grade exit codes: 0 all graded · 3 some trainees not graded, or interrupted (Ctrl+C, partial results))`,
    },
  },
];

/** Every flag klab knows (global and per command), for node:util parseArgs. */
export const flagTable = {
  lang: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'no-color': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  // command flags
  provider: { type: 'string' },
  seed: { type: 'string' },
  'no-guide': { type: 'boolean' },
  reset: { type: 'boolean' },
  step: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  force: { type: 'boolean' },
  file: { type: 'string', short: 'f' },
  namespace: { type: 'string', short: 'n' },
  junit: { type: 'string' },
  all: { type: 'boolean' },
  // klab traffic
  for: { type: 'string' },
  // klab grade
  lab: { type: 'string' },
  roster: { type: 'string' },
  concurrency: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  key: { type: 'string' },
  submission: { type: 'string' },
  'static-only': { type: 'boolean' },
} as const;

/** Command names, `help` included (it is answered by main.ts itself). */
export const commandNames = [...commands.map((c) => c.name), 'help'];
export const commandByName = (name: string | undefined): CommandDef | undefined => commands.find((c) => c.name === name);
