// klab check <lab> [--step N] [--json] [--junit file]: run the lab's checks against the live cluster.
import { writeFileSync, statSync, accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExitCode, KlabError, tr, type Text } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, stepArg, json, say, reloadProgress, type Session } from './common.js';
import type { Check, RunResult } from '../checkers/types.js';
import type { ClusterInfo } from '../cluster/provider.js';
import type { KubeConfig } from '@kubernetes/client-node';

/** Run the lab's checks (optionally one step), record progress, return the result. Shared with the guided flow. */
export async function runLabChecks(s: Session, args: ParsedArgs, kc: KubeConfig | undefined, step?: number, unreachable?: KlabError): Promise<RunResult> {
  const { labChecks } = await import('../labs/_engine/checks.js');
  // Every check goes to the runner: with --step only that step's are reported, and checks of earlier steps they
  // require are evaluated for gating (issue 12: per-step checks must work in every lab).
  const all = await labChecks(s.lab, s.params);
  const checks = all.filter((c) => step === undefined || c.step === step);
  let result: RunResult;
  if (!kc) {
    // The cluster did not answer: every check is an error (never the trainee's fault), exit 3.
    result = errorReport(checks, s.lab.def.id, s.seed, unreachable?.text ?? msg('cluster.unreachable', { server: '?', context: s.info.context, detail: '' }));
  } else {
    const { runChecks } = await import('../checkers/runner.js');
    const spin = waitingLine(args);
    try {
      result = await runChecks(all, {
        kc, lang: args.lang, namespace: s.params.namespace, params: s.params, capabilities: s.info.capabilities,
        answers: reloadProgress(s)?.answers ?? {}, lab: s.lab.def.id, seed: s.seed, step,
        preflight: false, onWaiting: spin.waiting, onResult: spin.clear,
      });
    } finally { spin.clear(); }
    recordProgress(s, result);
  }
  return result;
}

/** On a terminal, one line that names what a check is waiting for ("waiting for the rollout of web: 1/2 …"). */
function waitingLine(args: ParsedArgs): { waiting: (c: Check, what: Text) => void; clear: () => void } {
  const tty = !args.json && process.stderr.isTTY === true;
  let shown = false;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let i = 0;
  return {
    waiting(c, what) {
      if (!tty) return;
      const line = tr(msg('check.waiting', { id: c.id, what: tr(what, args.lang) }), args.lang);
      process.stderr.write(`\r\x1b[K${frames[i++ % frames.length]} ${line.slice(0, (process.stderr.columns ?? 100) - 3)}`);
      shown = true;
    },
    clear() { if (shown) { process.stderr.write('\r\x1b[K'); shown = false; } },
  };
}

/** The report when nothing could be checked: every check `error` with the reason, score 0, `unreachable` (exit 3). */
export function errorReport(checks: Check[], lab: string, seed: string, text: Text): RunResult {
  return {
    lab, seed, passed: false, score: 0, unreachable: true,
    maxScore: checks.reduce((a, c) => a + c.points, 0),
    steps: [...new Set(checks.map((c) => c.step ?? 1))].map((n) => ({ step: n, score: 0, maxScore: checks.filter((c) => c.step === n).reduce((a, c) => a + c.points, 0) })),
    checks: checks.map((c) => ({ id: c.id, title: c.title, step: c.step, status: 'error', points: 0, maxPoints: c.points, required: c.required ?? true, message: text, hint: c.hint, evidence: [], durationMs: 0 })),
  };
}

/** Progress never goes backwards: passed checks and steps are only ever added. */
export function recordProgress(s: Session, result: RunResult): void {
  if (!s.progress) return; // `klab check` without `klab start` grades but does not create progress
  s.progress = s.store.update(s.info.context, s.lab.def.id, s.seed, (p) => {
    for (const c of result.checks) if (c.status === 'pass') p.passedChecks.push(c.id);
    s.lab.def.steps.forEach((st, i) => {
      if (st.checks.every((c) => p.passedChecks.includes(c.id))) p.passedSteps.push(i + 1);
    });
    while (p.passedSteps.includes(p.currentStep) || p.skippedSteps.includes(p.currentStep)) p.currentStep++;
    if (result.steps.length === s.lab.def.steps.length) p.lastScore = { score: result.score, maxScore: result.maxScore };
  });
}

export async function printResult(result: RunResult, args: ParsedArgs): Promise<void> {
  if (args.json) {
    const { toJson } = await import('../checkers/report/json.js');
    json(toJson(result, args.lang));
  } else {
    const { renderTerminal } = await import('../checkers/report/terminal.js');
    process.stdout.write(renderTerminal(result, { lang: args.lang, color: args.color, verbose: args.verbose }));
    if (result.checks.some((c) => c.status === 'error')) say(args, msg('check.errorsNotYours'));
  }
  if (typeof args.flags.junit === 'string') {
    const { toJUnit } = await import('../checkers/report/junit.js');
    try { writeFileSync(args.flags.junit, toJUnit(result, args.lang)); } catch (e) { throw junitError(args.flags.junit, e); }
  }
}

function junitError(path: string, e: unknown): KlabError {
  return new KlabError(msg('check.junitPath', { path, detail: (e as NodeJS.ErrnoException).code ?? String(e) }), ExitCode.usage);
}

/** `--junit FILE` must be writable: checked before any check runs, so a bad path never hides the real exit code. */
export function checkJunitPath(args: ParsedArgs): void {
  const file = args.flags.junit;
  if (typeof file !== 'string') return;
  let st;
  try { st = statSync(file); } catch { st = undefined; }
  if (st?.isDirectory()) throw junitError(file, Object.assign(new Error(), { code: 'EISDIR' }));
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(st ? file : dir, constants.W_OK);
  } catch (e) { throw junitError(file, e); }
}

/** The documented exit code of a run (checkers/runner.ts): 3 nothing graded, 0 passed, 1 otherwise. */
export async function exitFor(result: RunResult): Promise<number> {
  return (await import('../checkers/runner.js')).exitCodeFor(result);
}

/** Connect (one probe); an unreachable cluster is returned, not thrown, so the caller can report every check `error`. */
export async function connectOrReason(info: ClusterInfo, args: ParsedArgs): Promise<{ kc?: KubeConfig; unreachable?: KlabError }> {
  const { connect } = await import('../cluster/target.js');
  try { return { kc: await connect(info) }; } catch (e) {
    if (!(e instanceof KlabError) || e.exitCode !== ExitCode.unreachable) throw e;
    if (!args.json) process.stderr.write(`klab: ${tr(e.text, args.lang)}\n`);
    return { unreachable: e };
  }
}

/** After the report: close every connection so nothing keeps the process alive. */
export async function closeCluster(kc: KubeConfig | undefined): Promise<void> {
  if (kc) (await import('../checkers/k8s.js')).closeClients(kc);
}

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'check');
  const step = stepArg(args, s.lab);
  checkJunitPath(args);
  // A lab whose checks cannot be built is exit 2 before any cluster is asked anything.
  await (await import('../labs/_engine/checks.js')).labChecks(s.lab, s.params);
  const { kc, unreachable } = await connectOrReason(s.info, args);
  try {
    const result = await runLabChecks(s, args, kc, step, unreachable);
    await printResult(result, args);
    return await exitFor(result);
  } finally { await closeCluster(kc); }
}
