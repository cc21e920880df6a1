// Recorded RunResults of lab `hello` (what the runner returned for typical trainees) and an injected grader, so the
// grading core is tested without a cluster.
import { summarise } from '../../checkers/runner.js';
import type { CheckResult, RunResult, Status } from '../../checkers/types.js';
import { loadLab } from '../../labs/_engine/load.js';
import { gradeAll, labSpec, type Grader, type LabSpec } from '../../grade/grade.js';
import type { RosterEntry } from '../../grade/roster.js';

const T = (en: string, ko = en) => ({ ko, en });

function check(id: 'namespace-exists' | 'greeting-configmap', status: Status, message: string, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id, title: T(id), step: id === 'namespace-exists' ? 1 : 2, status, points: status === 'pass' ? 10 : 0, maxPoints: 10, required: true,
    message: T(message), evidence: [], durationMs: 5, ...extra,
  };
}

export const HOSTILE = `<img src="http://127.0.0.1:9/evil.png" onerror="document.title='PWNED'"></script><script>document.title='PWNED'</script>"><svg onload=alert(1)>`;

/** seed → the runner's result for `hello`. */
export const recorded: Record<string, (seed: string) => RunResult> = {
  solved: (seed) => summarise([check('namespace-exists', 'pass', 'ok'), check('greeting-configmap', 'pass', 'ok')], 'hello', seed),
  'wrong-value': (seed) => summarise([
    check('namespace-exists', 'pass', 'ok'),
    check('greeting-configmap', 'fail', 'data.message: expected "hola", found "hola\\n". The value ends with a newline/space.', {
      hint: T('kubectl -n ns create configmap greeting --from-literal=message=hola'),
      evidence: [{ kind: 'field', title: T('Field', '필드'), lines: ['data.message: "hola\\n"', 'events: none'] }],
    }),
  ], 'hello', seed),
  untouched: (seed) => summarise([
    check('namespace-exists', 'fail', 'Namespace hello-x does not exist.'),
    check('greeting-configmap', 'skip', "Skipped: it requires 'namespace-exists' (fail) to pass first."),
  ], 'hello', seed),
  forbidden: (seed) => summarise([
    check('namespace-exists', 'pass', 'ok'),
    check('greeting-configmap', 'error', "Permission denied (403): user x may not 'get' 'configmaps'"),
  ], 'hello', seed),
  hostile: (seed) => summarise([
    check('namespace-exists', 'pass', 'ok'),
    check('greeting-configmap', 'fail', HOSTILE, { evidence: [{ kind: 'logs', title: T(HOSTILE), lines: [HOSTILE, 'a,b;"c"'] }] }),
  ], 'hello', seed),
  unreachable: (seed) => ({
    ...summarise(['namespace-exists', 'greeting-configmap'].map((id) => check(id as 'namespace-exists', 'error', 'Cannot reach the cluster (https://127.0.0.1:1): ECONNREFUSED')), 'hello', seed, true),
  }),
};

export function entry(id: string, extra: Partial<RosterEntry> = {}): RosterEntry {
  return { id, name: id, seed: id, context: `ctx-${id}`, namespaces: {}, answers: {}, ...extra };
}

export interface FakeBehaviour { kind: keyof typeof recorded | 'throw' | 'hang'; delayMs?: number }

/** A grader that plays back `recorded` by trainee id; records how many trainees it grades at once. */
export function fakeGrader(plan: Record<string, FakeBehaviour>) {
  const stats = { running: 0, maxRunning: 0, calls: [] as string[] };
  const grader: Grader = async (e, labs) => {
    stats.calls.push(e.id);
    stats.running++;
    stats.maxRunning = Math.max(stats.maxRunning, stats.running);
    try {
      const b = plan[e.id];
      if (b.kind === 'hang') return await new Promise<never>(() => {});
      await new Promise((r) => setTimeout(r, b.delayMs ?? 5));
      if (b.kind === 'throw') throw new Error('boom: the grader fell over');
      return labs.map(() => recorded[b.kind](e.seed));
    } finally {
      stats.running--;
    }
  };
  return { grader, stats };
}

let hello: LabSpec | undefined;
export async function helloSpec(): Promise<LabSpec> {
  return (hello ??= await labSpec(await loadLab('hello')));
}

/** A class of six: solved, a known mistake, untouched, a forbidden read (partial), unreachable, hostile strings. */
export async function classDoc() {
  const { grader } = fakeGrader({ kim: { kind: 'solved' }, 'lee': { kind: 'wrong-value' }, park: { kind: 'untouched' }, choi: { kind: 'forbidden' }, jung: { kind: 'unreachable' }, evil: { kind: 'hostile' } });
  return gradeAll([
    entry('kim', { name: '김민수' }), entry('lee', { name: 'Lee, "Jay"' }), entry('park', { name: '=HYPERLINK("http://x")' }),
    entry('choi', { name: 'line\nbreak' }), entry('jung'), entry('evil', { name: HOSTILE }),
  ], { labs: [await helloSpec()], grader, concurrency: 3, timeoutMs: 5000, version: '1.2.3' }, 'roster');
}
