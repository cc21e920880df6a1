// The CLI's message catalogue. Every entry has Korean and English (test/unit/messages.test.ts checks both exist,
// are non-empty and use the same {placeholders}).
import { fill, KlabError, ExitCode, type Text } from './index.js';

export const messages = {
  'args.badLang': { ko: "--lang 값 '{value}'{value:은/는} 쓸 수 없습니다. ko 또는 en 을 쓰세요.", en: "--lang '{value}' is not supported: use ko or en." },
  'args.unknownFlag': { ko: "알 수 없는 옵션입니다: {flag}. 'klab --help' 로 사용법을 보세요.", en: "Unknown option: {flag}. See 'klab --help'." },
  'args.badProvider': { ko: "--provider 값 '{value}'{value:은/는} 없습니다. {list} 중 하나를 쓰세요.", en: "--provider '{value}' does not exist: use one of {list}." },
  'args.badStep': { ko: "--step 값 '{value}'{value:은/는} 1 이상의 정수여야 합니다.", en: "--step '{value}' must be a whole number from 1." },
  'args.unknownCommand': { ko: "알 수 없는 명령입니다: {cmd}. 'klab --help' 로 명령 목록을 보세요.", en: "Unknown command: {cmd}. See 'klab --help' for the list." },
  'args.needLab': { ko: "실습 ID가 필요합니다. 예: klab {cmd} i-m1  ('klab list' 로 목록 보기)", en: "A lab id is required, e.g. klab {cmd} i-m1  ('klab list' shows them)." },
  'args.needSubcommand': { ko: "하위 명령이 필요합니다: klab cluster up|down|status|build", en: "A subcommand is required: klab cluster up|down|status|build" },
  'args.needFile': { ko: '검사 파일이 필요합니다: klab assert -f checks.yaml', en: 'A check file is required: klab assert -f checks.yaml' },
  'args.needAnswer': { ko: '답이 필요합니다: klab answer {lab} <질문 ID> <답>', en: 'An answer is required: klab answer {lab} <question id> <answer>' },
  'args.emptyValue': { ko: '{flag} 의 값이 비어 있습니다. 값을 주거나 옵션을 빼세요.', en: '{flag} is empty: give a value or leave the option out.' },
  'args.extraArgs': { ko: "klab {cmd} 에 필요 없는 인자가 있습니다: {extra}. 'klab --help' 를 보세요.", en: "Unexpected argument(s) for klab {cmd}: {extra}. See 'klab --help'." },
  'args.emptyAnswer': { ko: '빈 답은 기록하지 않습니다 (이전 답을 지우지 않습니다): klab answer {lab} <질문 ID> <답>', en: 'An empty answer is not recorded (the previous answer is kept): klab answer {lab} <question id> <answer>' },
  'args.stepRange': { ko: '실습 {lab} 에는 {max} 단계까지 있습니다 (--step {step}).', en: 'Lab {lab} has steps 1 to {max} (--step {step}).' },

  'lab.notFound': { ko: "실습 '{id}'{id:이/가} 없습니다. 있는 실습: {ids}", en: "There is no lab '{id}'. Labs: {ids}" },
  'lab.yamlSyntax': { ko: 'YAML 문법 오류: {detail}', en: 'YAML syntax error: {detail}' },
  'lab.idMismatch': { ko: "id '{id}'{id:이/가} 폴더 이름 '{dir}'{dir:와/과} 다릅니다", en: "id '{id}' differs from its folder name '{dir}'" },
  'lab.stepTextMissing': { ko: '단계 설명 파일이 없습니다: {path}', en: 'step text file is missing: {path}' },
  'lab.checkMissing': { ko: "검사 '{id}'에 kind 가 없고 checks.ts 에도 없습니다", en: "check '{id}' has no kind and checks.ts does not define it" },
  'lab.checkDuplicate': { ko: "검사 ID '{id}'{id:이/가} 두 번 나옵니다", en: "check id '{id}' appears twice" },
  'lab.requiresUnknown': { ko: "검사 '{id}'의 requires 에 없는 검사 '{dep}'{dep:이/가} 있습니다", en: "check '{id}' requires unknown check '{dep}'" },
  'lab.submissionUnknown': { ko: "submission.{field} 의 '{id}'{id:은/는} 실습에 없는 검사입니다.", en: "'{id}' in submission.{field} is not a check of this lab." },
  'lab.submissionField': { ko: 'submission (kind: {kind}) 에는 {field}{field:이/가} 필요합니다.', en: 'submission (kind: {kind}) needs {field}.' },
  'lab.submissionInstall': { ko: "submission.install '{env}'{env:은/는} submission.values 에 없습니다 (있는 것: {envs}).", en: "submission.install '{env}' is not in submission.values (there: {envs})." },
  'lab.trafficStepUnknown': { ko: "traffic.steps: 실습에 없는 단계 ID '{id}'", en: "traffic.steps names '{id}', which is not a step id of this lab" },
  'lab.paramUnknown': { ko: "'{value}'에서 정의되지 않은 매개변수 {name}{name:을/를} 씁니다", en: "'{value}' uses undefined parameter {name}" },
  'lab.codeError': { ko: '{file}{file:을/를} 불러오지 못했습니다: {detail}', en: 'could not load {file}: {detail}' },
  'schema.required': { ko: "필수 항목 '{prop}'{prop:이/가} 없습니다", en: "required property '{prop}' is missing" },
  'schema.additional': { ko: "알 수 없는 항목 '{prop}' (오타인가요?)", en: "unknown property '{prop}' (a typo?)" },
  'schema.type': { ko: '{path}: {type} 형식이어야 합니다', en: '{path}: must be of type {type}' },
  'schema.enum': { ko: '{path}: 다음 중 하나여야 합니다: {allowed}', en: '{path}: must be one of: {allowed}' },
  'schema.pattern': { ko: '{path}: 형식이 맞지 않습니다 ({pattern})', en: '{path}: does not match the pattern {pattern}' },
  'schema.minimum': { ko: '{path}: {limit} 이상이어야 합니다', en: '{path}: must be at least {limit}' },
  'schema.maximum': { ko: '{path}: {limit} 이하여야 합니다', en: '{path}: must be at most {limit}' },
  'schema.minItems': { ko: '{path}: 항목이 {limit}개 이상 있어야 합니다', en: '{path}: must have at least {limit} item(s)' },
  'schema.other': { ko: '{path}: {detail}', en: '{path}: {detail}' },
  'lab.unreadable': { ko: '읽을 수 없습니다 ({detail}). lab.yaml 은 파일이어야 합니다.', en: 'cannot be read ({detail}); lab.yaml must be a file' },
  'lab.notMapping': { ko: 'lab.yaml 은 id, level, title, … 항목이 있는 매핑이어야 합니다', en: 'lab.yaml must be a mapping with id, level, title, …' },
  'lab.paramRange': { ko: "매개변수 '{name}'의 min({min})이 max({max})보다 큽니다", en: "param '{name}' has min ({min}) greater than max ({max})" },
  'lab.paramCycle': { ko: "템플릿 매개변수 '{name}'{name:이/가} 자기 자신을 참조합니다: {cycle}", en: "template param '{name}' refers to itself: {cycle}" },
  'lab.timeoutRange': { ko: "timeout '{value}'{value:은/는} 쓸 수 없습니다: 초 단위 숫자 또는 '500ms', '30s', '2m', 최대 {max}초", en: "timeout '{value}' is not usable: a number of seconds or '500ms', '30s', '2m', at most {max} s" },
  'lab.dirMissing': { ko: '실습 폴더 {dir}{dir:을/를} 읽을 수 없습니다 ({detail}; 설정한 환경 변수: {env}). KLAB_LABS_DIR 은 실습 폴더들(<id>/lab.yaml)이 있는 폴더여야 합니다.', en: 'Cannot read the labs folder {dir} ({detail}; set by: {env}). KLAB_LABS_DIR must be a folder holding lab folders (<id>/lab.yaml).' },
  'yaml.aliases': { ko: 'YAML 별칭(*)이 너무 많이 펼쳐집니다 (별칭 폭탄?): {detail}', en: 'YAML aliases (*) expand too much (an alias bomb?): {detail}' },
  'yaml.multiDoc': { ko: "파일에 YAML 문서가 여러 개 있습니다 ('---' 구분선). 한 파일에는 문서 하나만: '---' 을 지우고 모든 항목을 한 문서(검사 파일이면 한 목록)에 넣으세요.", en: "The file holds several YAML documents ('---' separators). One document per file: remove the '---' and put everything in one document (for a check file, one list)." },

  'list.header': { ko: 'ID\t난이도\t단계\t분\t제목', en: 'ID\tLEVEL\tSTEPS\tMIN\tTITLE' },
  'level.low': { ko: '하', en: 'low' },
  'level.mid': { ko: '중', en: 'mid' },
  'level.high': { ko: '상', en: 'high' },

  'cluster.unreachable': { ko: '클러스터에 연결할 수 없습니다 ({server}, 컨텍스트 {context}): {detail}\n클러스터를 켜세요: klab cluster up', en: 'Cannot reach the cluster ({server}, context {context}): {detail}\nStart one with: klab cluster up' },
  'cluster.noKubeconfig': { ko: 'kubeconfig 를 찾을 수 없습니다 ({path}). klab cluster up 으로 클러스터를 만들거나 --kubeconfig 를 주세요.', en: 'No kubeconfig found ({path}). Create a cluster with klab cluster up, or pass --kubeconfig.' },
  'cluster.noContext': { ko: "kubeconfig 에 컨텍스트 '{context}'{context:이/가} 없습니다. 있는 컨텍스트: {contexts}", en: "The kubeconfig has no context '{context}'. Contexts: {contexts}" },
  'cluster.noAnswer': { ko: '{s}초 안에 응답이 없습니다', en: 'no answer within {s}s' },
  'cluster.unauthenticated': { ko: "인증 실패: API 서버 {server} (컨텍스트 '{context}')가 kubeconfig 의 자격 증명을 거부했습니다 (401 Unauthorized). {said}\n검사는 채점되지 않았습니다 (실습자의 잘못이 아님). 토큰/인증서를 새로 받으세요 (EKS: aws eks update-kubeconfig).", en: "Authentication failed: the API server {server} (context '{context}') rejected the kubeconfig's credentials (401 Unauthorized). {said}\nNothing was graded (not the trainee's fault). Renew the token/certificate (EKS: aws eks update-kubeconfig)." },
  'cluster.forbidden': { ko: "권한 실패: API 서버 {server} (컨텍스트 '{context}')가 이 사용자의 요청을 거부했습니다 (403 Forbidden). {said}\n검사는 채점되지 않았습니다 (실습자의 잘못이 아님). 읽기 권한(RBAC)을 확인하세요.", en: "Authorization failed: the API server {server} (context '{context}') refused this user's request (403 Forbidden). {said}\nNothing was graded (not the trainee's fault). Check the user's read access (RBAC)." },
  'cluster.notKubernetes': { ko: "{server} (컨텍스트 '{context}')가 쿠버네티스 API 서버처럼 응답하지 않습니다 (HTTP {status}: {said}). 검사는 채점되지 않았습니다.", en: "{server} (context '{context}') does not answer like a Kubernetes API server (HTTP {status}: {said}). Nothing was graded." },
  'state.currentBad': { ko: '기억된 클러스터 파일 {path}{path:을/를} 쓸 수 없습니다 ({detail}). 지우거나 (rm) klab cluster up 으로 다시 만드세요.', en: 'The remembered-cluster file {path} is unusable ({detail}). Delete it (rm) or recreate it with klab cluster up.' },
  'cluster.using': { ko: '클러스터: {provider} / 컨텍스트 {context}', en: 'Cluster: {provider} / context {context}' },
  'cluster.missingCaps': { ko: '이 클러스터에는 실습에 필요한 기능이 없습니다: {caps}. 해당 검사는 건너뜁니다(skip).', en: 'This cluster lacks capabilities the lab needs: {caps}. Those checks will be skipped.' },
  'cluster.statusRunning': { ko: '{provider}: 실행 중 (컨텍스트 {context})', en: '{provider}: running (context {context})' },
  'cluster.statusStopped': { ko: '{provider}: 실행 중이 아님', en: '{provider}: not running' },
  'cluster.down': { ko: '{provider} 클러스터를 내렸습니다.', en: '{provider} cluster is down.' },
  'cluster.upDone': { ko: '클러스터 준비 완료: 컨텍스트 {context} (kubeconfig {kubeconfig})', en: 'Cluster ready: context {context} (kubeconfig {kubeconfig})' },
  'cluster.shellEnv': { ko: 'kubectl 이 이 클러스터를 쓰게 하려면, 터미널마다 다음 줄을 붙여 넣으세요 (또는 eval "$(klab env)"):\n{lines}', en: 'To point kubectl at this cluster, paste these lines in each terminal (or run eval "$(klab env)"):\n{lines}' },
  'env.otherContext': { ko: "참고: 이 kubeconfig 의 현재 컨텍스트는 {current}, 실습은 {context}{context:을/를} 씁니다. kubectl 도 그쪽을 쓰게 하려면: kubectl config use-context {context}", en: "Note: this kubeconfig's current context is {current}; the lab uses {context}. To make kubectl use it too: kubectl config use-context {context}" },
  'cluster.buildOnlyLocal': { ko: "'cluster build' 는 local 제공자만 지원합니다.", en: "'cluster build' is only for the local provider." },

  'start.setup': { ko: '실습 {lab} 준비 중 (시드 {seed})…', en: 'Preparing lab {lab} (seed {seed})…' },
  'start.ready': { ko: '준비 완료. 네임스페이스: {namespace}', en: 'Ready. Namespace: {namespace}' },
  'start.noGuide': { ko: "단계 설명: klab hint {lab} / 검사: klab check {lab}", en: "Steps: klab hint {lab} / check: klab check {lab}" },
  'start.resuming': { ko: '진행 중인 실습 {lab}{lab:을/를} 이어서 합니다 ({step}/{total}단계). 만들어 둔 것은 그대로 둡니다. 처음부터 다시 하려면: klab start {lab} --reset', en: 'Resuming lab {lab} at step {step}/{total}. What you made is kept. To start over: klab start {lab} --reset' },
  'start.namespaceKept': { ko: '네임스페이스 {namespace}{namespace:이/가} 이미 있어 그 안의 것은 그대로 두고 없는 것만 만듭니다. 처음부터 다시 하려면: klab start {lab} --reset', en: 'Namespace {namespace} already exists: what is in it is kept, only what is missing is created. To start over: klab start {lab} --reset' },
  'start.confirmReset': { ko: '실습 {lab}{lab:을/를} 처음부터 다시 합니다: 네임스페이스 {namespace}{namespace:와/과} 그 안에 만든 것이 모두 지워지고 진행 기록도 지워집니다. 계속할까요?', en: 'Start lab {lab} over: namespace {namespace} and everything in it, and your progress, will be deleted. Continue?' },
  'start.confirmNewSeed': { ko: '실습 {lab}{lab:은/는} 시드 {old}{old:을/를} 써서 진행 중입니다. 시드 {seed}{seed:은/는} 새 시도입니다: 값과 네임스페이스가 달라지고 지금까지의 진행 기록은 지워집니다 (클러스터의 오브젝트는 klab reset 전까지 남습니다). 계속할까요?', en: 'Lab {lab} is in progress with seed {old}. Seed {seed} is a new attempt: other values and another namespace, and the progress so far is forgotten (the objects in the cluster stay until klab reset). Continue?' },
  'start.argoResumed': { ko: 'klab 의 Argo 워크플로 컨트롤러를 다시 켰습니다 (자기 Argo 를 설치하는 실습이 잠시 멈춰 두었던 것).', en: "Restarted klab's Argo workflow-controller (a lab that installs its own Argo had paused it)." },
  'start.resetDeclined': { ko: '아무것도 지우지 않았습니다. 이어서 하려면: klab start {lab}', en: 'Nothing was deleted. To resume: klab start {lab}' },
  'start.resetting': { ko: '실습 {lab}{lab:을/를} 처음 상태로 되돌립니다…', en: 'Starting lab {lab} over…' },
  'start.seedKept': { ko: '이전에 시작한 실습의 시드 {seed}{seed:을/를} 그대로 씁니다.', en: 'Keeping the seed {seed} of the lab you started before.' },
  'setup.failed': { ko: '실습 준비(setup)가 실패했습니다: {detail}', en: 'Lab setup failed: {detail}' },
  'solve.failed': { ko: '풀이 적용이 실패했습니다: {detail}', en: 'Applying the solution failed: {detail}' },
  'reset.failed': { ko: '초기화(reset)가 실패했습니다: {detail}', en: 'Reset failed: {detail}' },
  'solve.applying': { ko: '실습 {lab}의 모범 풀이를 적용합니다. 실행하는 명령:', en: 'Applying the reference solution of {lab}. Commands it runs:' },
  'traffic.noTraffic': { ko: "실습 {lab}에는 트래픽 기록 단계가 없습니다.", en: "Lab {lab} has no traffic recording steps." },
  'traffic.needStep': { ko: "기록할 단계를 주세요: klab traffic {lab} <단계>  (단계: {steps})", en: "Name the step to record: klab traffic {lab} <step>  (steps: {steps})" },
  'traffic.badStep': { ko: "'{step}' 단계는 트래픽을 기록하지 않습니다. 기록하는 단계: {steps}", en: "Step '{step}' records no traffic. Steps that do: {steps}" },
  'traffic.badFor': { ko: "--for '{value}'{value:을/를} 읽을 수 없습니다 (예: 90s, 2m; 최대 {max}초).", en: "Cannot read --for '{value}' (e.g. 90s, 2m; at most {max}s)." },
  'traffic.notLabNamespace': { ko: "네임스페이스 {ns}{ns:은/는} 실습 {lab}의 네임스페이스가 아닙니다 (klab.dev/lab={lab} 레이블 없음). klab 은 실습의 Service 에만 요청을 보냅니다.", en: "Namespace {ns} is not a namespace of lab {lab} (no klab.dev/lab={lab} label). klab only sends requests to the lab's Service." },
  'traffic.noService': { ko: "네임스페이스 {ns}에 Service {svc}{svc:이/가} 없습니다. 먼저 실습을 시작하세요: klab start {lab}", en: "There is no Service {svc} in namespace {ns}. Start the lab first: klab start {lab}" },
  'traffic.started': { ko: "Service {ns}/{svc}에 0.1초마다 요청을 보내며 기록합니다 (단계 {step}). 이제 다른 터미널에서 배포(롤아웃)하세요. 롤아웃이 끝나고 {tail}초 뒤 (늦어도 {max}초 뒤) 저절로 멈춥니다. Ctrl-C 로 멈출 수도 있습니다.", en: "Recording Service {ns}/{svc}, one request every 0.1 s (step {step}). Roll out now, in another terminal. Stops by itself {tail}s after the rollout settles (at most {max}s); Ctrl-C stops it too." },
  'traffic.stopped.settled': { ko: "롤아웃이 끝나 기록을 멈췄습니다.", en: "The rollout settled: recording stopped." },
  'traffic.stopped.limit': { ko: "시간 제한에 닿아 기록을 멈췄습니다 (기록 중 끝난 롤아웃이 없었습니다).", en: "Time limit reached: recording stopped (no rollout finished while recording)." },
  'traffic.startedSteady': { ko: "Service {ns}/{svc}에 0.1초마다 요청을 보내며 {s}초 동안 기록합니다 (단계 {step}): 지금 상태 그대로 두세요. Ctrl-C 로 멈출 수도 있습니다.", en: "Recording Service {ns}/{svc} for {s}s, one request every 0.1 s (step {step}): leave things as they are meanwhile. Ctrl-C stops it." },
  'traffic.stopped.steady': { ko: "정한 시간만큼 기록했습니다.", en: "Recorded for the set time." },
  'traffic.stopped.interrupted': { ko: "기록을 멈췄습니다 (중단).", en: "Recording stopped (interrupted)." },
  'traffic.saved': { ko: "기록을 클러스터에 저장했습니다 (ConfigMap {ns}/{cm}). 확인: klab check {lab}", en: "Recording saved in the cluster (ConfigMap {ns}/{cm}). Verify: klab check {lab}" },
  'solve.done': { ko: "풀이를 적용했습니다 (기록됨). 확인: klab check {lab}", en: "Solution applied (recorded). Verify: klab check {lab}" },
  'reset.done': { ko: '실습 {lab}{lab:이/가} 만든 것을 모두 지웠습니다.', en: 'Removed everything lab {lab} created.' },

  'hint.header': { ko: '{lab} · {step}단계: {title}', en: '{lab} · step {step}: {title}' },
  'hint.none': { ko: '이 단계에는 힌트가 없습니다.', en: 'This step has no hints.' },

  'status.none': { ko: "아직 시작한 실습이 없습니다. 'klab list' 로 실습을 보고 'klab start <ID>' 로 시작하세요.", en: "No lab started yet. See 'klab list', then 'klab start <id>'." },
  'status.row': { ko: '{lab}\t{total}단계 중 {passed}단계 통과, {skipped}단계 건너뜀\t점수 {score}/{max}\t{context}', en: '{lab}\t{passed}/{total} steps passed, {skipped} skipped\tscore {score}/{max}\t{context}' },
  'progress.corrupt': { ko: '진행 파일이 손상되어 따로 보관했습니다: {path}. 새로 시작합니다.', en: 'The progress file was corrupt and was set aside: {path}. Starting fresh.' },
  'progress.foreign': { ko: '진행 파일 형식(버전 {version})을 읽을 수 없어 따로 보관했습니다: {path}', en: 'The progress file has an unknown format (version {version}) and was set aside: {path}' },
  'progress.badEntry': { ko: "진행 파일의 항목 '{key}'의 '{field}' 형식이 잘못되어 파일을 따로 보관했습니다: {path}. 새로 시작합니다.", en: "Entry '{key}' of the progress file has a malformed '{field}'; the file was set aside: {path}. Starting fresh." },
  'progress.cannotSetAside': { ko: '진행 파일 {path}{path:을/를} 읽을 수 없고 따로 옮기지도 못했습니다 ({detail}). 직접 옮기거나 지우세요.', en: 'The progress file {path} is unusable and could not be set aside ({detail}). Move or delete it yourself.' },
  'progress.locked': { ko: '진행 파일이 잠겨 있습니다 ({path}). 다른 klab 이 실행 중인가요?', en: 'The progress file is locked ({path}). Is another klab running?' },

  'answer.saved': { ko: "답을 기록했습니다. 확인: klab check {lab}", en: "Answer recorded. Verify: klab check {lab}" },
  'answer.unknownQuestion': { ko: "실습 {lab}에 질문 '{id}'{id:이/가} 없습니다. 있는 질문: {ids}", en: "Lab {lab} has no question '{id}'. Questions: {ids}" },

  'guide.step': { ko: '── {step}/{total}단계: {title} ──', en: '── Step {step}/{total}: {title} ──' },
  'guide.menu': { ko: '무엇을 할까요?', en: 'What next?' },
  'guide.check': { ko: '지금 검사하기', en: 'Check now' },
  'guide.hint': { ko: '힌트 보기', en: 'Show a hint' },
  'guide.answer': { ko: '답 입력하기', en: 'Enter an answer' },
  'guide.solution': { ko: '풀이 보기', en: 'Show the solution' },
  'guide.skip': { ko: '이 단계 건너뛰기', en: 'Skip this step' },
  'guide.quit': { ko: '그만하기 (진행 상황 저장)', en: 'Quit (progress is saved)' },
  'guide.confirmSolution': { ko: '풀이를 보면 기록에 남습니다. 볼까요?', en: 'Viewing the solution is recorded. Show it?' },
  'guide.passed': { ko: '통과! 다음 단계로 넘어갑니다.', en: 'Passed! Moving to the next step.' },
  'guide.notYet': { ko: '아직입니다. 위 진단을 보고 고친 뒤 다시 검사하세요.', en: 'Not yet. Fix what the diagnosis says, then check again.' },
  'guide.finished': { ko: '모든 단계를 마쳤습니다. 점수 {score}/{max}. 정리: klab reset {lab}', en: 'All steps done. Score {score}/{max}. Clean up: klab reset {lab}' },
  'guide.saved': { ko: '진행 상황을 저장했습니다. 이어서 하려면: klab start {lab}', en: 'Progress saved. Resume with: klab start {lab}' },
  'guide.question': { ko: '질문 {id}: {prompt}', en: 'Question {id}: {prompt}' },
  'guide.solutionHeader': { ko: '{step}단계의 모범 풀이 (실행하지 않고 보여 주기만 합니다):', en: 'Reference solution of step {step} (shown, not run):' },

  'check.waiting': { ko: '{id}: 기다리는 중 — {what}', en: '{id}: waiting for {what}' },
  'check.junitPath': { ko: '--junit 파일 {path} 에 쓸 수 없습니다 ({detail}). 있는 폴더 안의 파일 경로를 주세요. 검사는 실행하지 않았습니다.', en: 'Cannot write the --junit file {path} ({detail}). Give a file path inside an existing folder. No check was run.' },
  'check.errorsNotYours': { ko: '⚠ error 는 실습자의 잘못이 아닙니다: klab 이나 클러스터의 문제입니다.', en: '⚠ error is not your fault: klab or the cluster failed.' },
  'node.tooOld': {
    ko: 'klab 에는 Node.js {min} 이상이 필요합니다 (지금: {version}). Node.js 24 (LTS)를 설치한 뒤 다시 실행하세요:\n  Linux:         {linux}\n  macOS:         {macos}\n  Windows (WSL): {windows}\n  또는 https://nodejs.org/ko/download',
    en: 'klab needs Node.js {min} or newer (this is {version}). Install Node.js 24 (LTS), then run it again:\n  Linux:         {linux}\n  macOS:         {macos}\n  Windows (WSL): {windows}\n  or https://nodejs.org/en/download',
  },
  'internal': { ko: 'klab 내부 오류입니다 (버그). 자세한 내용은 --verbose: {detail}', en: 'Internal klab error (a bug). Details with --verbose: {detail}' },
} satisfies Record<string, Text>;

export type MessageKey = keyof typeof messages;

export function msg(key: MessageKey, vars?: Record<string, string | number | undefined>): Text {
  return fill(messages[key], vars);
}

/** An Ajv error, as far as the messages below need it. */
export interface SchemaError { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }

/** A JSON Schema error in the user's language; `key` names the offending property (for its line) when there is one. */
export function schemaMessage(e: SchemaError): { text: Text; key?: string } {
  const path = e.instancePath || '/';
  switch (e.keyword) {
    case 'required': return { text: msg('schema.required', { prop: String(e.params.missingProperty) }) };
    case 'additionalProperties': return { text: msg('schema.additional', { prop: String(e.params.additionalProperty) }), key: String(e.params.additionalProperty) };
    case 'type': return { text: msg('schema.type', { path, type: String(e.params.type) }) };
    case 'enum': return { text: msg('schema.enum', { path, allowed: (e.params.allowedValues as unknown[]).join(', ') }) };
    case 'pattern': return { text: msg('schema.pattern', { path, pattern: String(e.params.pattern) }) };
    case 'minimum': return { text: msg('schema.minimum', { path, limit: String(e.params.limit) }) };
    case 'maximum': return { text: msg('schema.maximum', { path, limit: String(e.params.limit) }) };
    case 'minItems': case 'minLength': return { text: msg('schema.minItems', { path, limit: String(e.params.limit) }) };
    default: return { text: msg('schema.other', { path, detail: e.message ?? e.keyword }) };
  }
}

/** A problem in an input file, at a line. */
export interface FileProblem { file: string; line: number; message: Text }

/** One KlabError (exit 2) listing every problem as `file:line: message`, in both languages. */
export function fileProblemsError(problems: FileProblem[]): KlabError {
  const line = (p: FileProblem, l: 'ko' | 'en') => `${p.file}:${p.line}: ${p.message[l]}`;
  return new KlabError({ ko: problems.map((p) => line(p, 'ko')).join('\n'), en: problems.map((p) => line(p, 'en')).join('\n') }, ExitCode.usage);
}
