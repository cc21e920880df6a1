// klab check <lab> [--step N] [--json] [--junit file]: run the lab's checks against the live cluster.
import { writeFileSync } from 'node:fs';
import { ExitCode, KlabError, tr } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, stepArg, json, say, reloadProgress, type Session } from './common.js';
import type { Check, RunResult } from '../checkers/types.js';
import type { Text } from '../i18n/index.js';
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
    const text = unreachable?.text ?? msg('cluster.unreachable', { server: '?', context: s.info.context, detail: '' });
    result = {
      lab: s.lab.def.id, seed: s.seed, passed: false, score: 0, unreachable: true,
      maxScore: checks.reduce((a, c) => a + c.points, 0),
      steps: [...new Set(checks.map((c) => c.step ?? 1))].map((n) => ({ step: n, score: 0, maxScore: checks.filter((c) => c.step === n).reduce((a, c) => a + c.points, 0) })),
      checks: checks.map((c) => ({ id: c.id, title: c.title, step: c.step, status: 'error', points: 0, maxPoints: c.points, required: c.required ?? true, message: text, hint: c.hint, evidence: [], durationMs: 0 })),
    };
  } else {
    const { runChecks } = await import('../checkers/runner.js');
    const spin = waitingLine(args);
    try {
      result = await runChecks(all, {
        kc, lang: args.lang, namespace: s.params.namespace, params: s.params, capabilities: s.info.capabilities,
        answers: reloadProgress(s)?.answers ?? {}, lab: s.lab.def.id, seed: s.seed, step,
        onWaiting: spin.waiting, onResult: spin.clear,
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
    writeFileSync(args.flags.junit, toJUnit(result, args.lang));
  }
}

export function exitFor(result: RunResult): number {
  if (result.unreachable) return ExitCode.unreachable;
  return result.passed ? ExitCode.ok : ExitCode.checksFailed;
}

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'check');
  const step = stepArg(args, s.lab);
  const { connect } = await import('../cluster/target.js');
  let kc: KubeConfig | undefined;
  let unreachable: KlabError | undefined;
  try { kc = await connect(s.info); } catch (e) {
    if (!(e instanceof KlabError) || e.exitCode !== ExitCode.unreachable) throw e;
    unreachable = e;
    if (!args.json) process.stderr.write(`klab: ${tr(e.text, args.lang)}\n`);
  }
  const result = await runLabChecks(s, args, kc, step, unreachable);
  await printResult(result, args);
  return exitFor(result);
}
