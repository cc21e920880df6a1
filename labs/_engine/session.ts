// The lab session service: what a lab session does, for every command that needs it (check, guide, hint, solve,
// reset, start, answer): open the session (lab, target cluster, seed, params, progress), run the lab's checks and
// record progress, the next hint, solve (solution + its answers), reset, and run a lab module with its runtime.
// No printing and no flag parsing here: commands stay thin (parse, call, print).
import type { KubeConfig } from '@kubernetes/client-node';
import { KlabError, ExitCode, fill, type Lang, type Text } from '../../i18n/index.js';
import { msg } from '../../i18n/messages.js';
import type { ClusterInfo, Provider, ProviderName } from '../../cluster/provider.js';
import type { TargetFlags } from '../../cluster/target.js';
import type { Check, RunResult } from '../../checkers/types.js';
import { loadLab, labParams, labModule, type Lab } from './load.js';
import { ProgressStore, type LabProgress } from './progress.js';
import type { SolutionAnswers } from './runtime.js';

export interface LabSession {
  lab: Lab;
  info: ClusterInfo;
  seed: string;
  params: Record<string, string>;
  store: ProgressStore;
  progress?: LabProgress;
  /** what the progress store had to say on opening (a corrupt file set aside …) */
  warnings: Text[];
}

/** Load the lab (exit 2 if broken), find the cluster (without connecting), the seed and the progress. */
export async function openSession(labId: string, target: TargetFlags, seed: string | undefined, defaultSeed: () => string): Promise<LabSession> {
  const lab = await loadLab(labId);
  const { resolveTarget } = await import('../../cluster/target.js');
  const info = await resolveTarget(target);
  const store = new ProgressStore();
  const progress = store.get(info.context, lab.def.id);
  const s = seed ?? progress?.seed ?? defaultSeed();
  // The params follow `info`: connecting may learn the registry and the LoadBalancer block the cluster advertises
  // (cluster/target.ts connect).
  let cached: { registry: string | undefined; lbRange: string | undefined; params: Record<string, string> } | undefined;
  return {
    lab, info, seed: s, store, progress, warnings: [...store.warnings],
    get params() {
      if (!cached || cached.registry !== info.registry || cached.lbRange !== info.lbRange) cached = { registry: info.registry, lbRange: info.lbRange, params: labParams(lab, s, info) };
      return cached.params;
    },
  };
}

/**
 * Read the lab's progress again from the store: another klab (`klab answer` in a second terminal, a `klab check`)
 * may have changed it since this session loaded it. Called before every check.
 */
export function reloadProgress(s: LabSession): LabProgress | undefined {
  s.progress = s.store.get(s.info.context, s.lab.def.id) ?? s.progress;
  return s.progress;
}

export interface CheckRunOptions {
  lang: Lang;
  /** only this step's checks are reported (earlier ones they require are still evaluated for gating) */
  step?: number;
  /** the cluster; absent when it did not answer (then `unreachable` says why) */
  kc?: KubeConfig;
  unreachable?: KlabError;
  onWaiting?: (c: Check, what: Text) => void;
  onResult?: () => void;
}

/** Run the lab's checks (optionally one step) and record progress; an unreachable cluster makes every check `error`. */
export async function runLabChecks(s: LabSession, o: CheckRunOptions): Promise<RunResult> {
  const { labChecks } = await import('./checks.js');
  const all = await labChecks(s.lab, s.params);
  const runner = await import('../../checkers/runner.js');
  if (!o.kc) {
    const checks = all.filter((c) => o.step === undefined || c.step === o.step);
    return runner.unreachableReport(checks, s.lab.def.id, s.seed, o.unreachable?.text ?? msg('cluster.unreachable', { server: '?', context: s.info.context, detail: '' }));
  }
  const result = await runner.runChecks(all, {
    kc: o.kc, lang: o.lang, namespace: s.params.namespace, params: s.params, capabilities: s.info.capabilities,
    answers: reloadProgress(s)?.answers ?? {}, lab: s.lab.def.id, seed: s.seed, step: o.step,
    preflight: false, onWaiting: o.onWaiting, onResult: o.onResult,
  });
  recordProgress(s, result);
  return result;
}

/** Progress never goes backwards: passed checks and steps are only ever added. */
export function recordProgress(s: LabSession, result: RunResult): void {
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

/** The next hint for `step` (recorded, so the following call shows the one after). */
export function nextHint(s: LabSession, step: number): { index: number; total: number; text?: Text } {
  const hints = s.lab.def.steps[step - 1].hints ?? [];
  const shown = s.progress?.hintsShown[String(step)] ?? 0;
  const index = Math.min(shown, hints.length - 1);
  if (hints.length && s.progress) {
    s.progress = s.store.update(s.info.context, s.lab.def.id, s.seed, (p) => { p.hintsShown[String(step)] = Math.min(shown + 1, hints.length); });
  }
  return { index, total: hints.length, text: hints.length ? fill(hints[index], s.params) : undefined };
}

/**
 * Pause (`run` false) or resume klab's own cluster-wide Argo controller on the session's cluster (decision 0015).
 * A context named with --kubeconfig/--context (`existing`) may still be klab's own kind or local cluster (the same API
 * server as that provider's kubeconfig): only there did klab install an Argo of its own.
 */
export async function sharedArgo(s: LabSession, lang: Lang, kc: KubeConfig, run: boolean, holder?: string): Promise<boolean> {
  const p = await ownProvider(s.info.provider, kc.getCurrentCluster()?.server, lang);
  return p?.sharedArgo ? p.sharedArgo(run, holder) : false;
}

/**
 * The provider that made the cluster at `server`: `provider` itself, or for a context named with --kubeconfig/--context
 * (`existing`) klab's own kind or local cluster when it has the same API server; undefined for any other cluster.
 */
export async function ownProvider(provider: ProviderName, server: string | undefined, lang: Lang): Promise<Provider | undefined> {
  const { getProvider } = await import('../../cluster/index.js');
  if (provider !== 'existing') return getProvider(provider, { lang });
  const { existsSync } = await import('node:fs');
  const { KubeConfig: KC } = await import('@kubernetes/client-node');
  for (const name of ['local', 'kind'] as const) {
    const p = await getProvider(name, { lang });
    const where = await p.locate();
    if (!where.kubeconfig || !existsSync(where.kubeconfig) || !server) continue;
    const own = new KC();
    try { own.loadFromFile(where.kubeconfig); if (where.context) own.setCurrentContext(where.context); } catch { continue; }
    if (own.getCurrentCluster()?.server === server) return p;
  }
  return undefined;
}

/** The runtime handed to a lab's setup/solution/reset. `resuming`: setup must keep the trainee's work. */
export async function runtimeFor(s: LabSession, lang: Lang, kc: KubeConfig, resuming = false) {
  const { createRuntime, traineeLabel } = await import('./runtime.js');
  return createRuntime({ lab: s.lab, params: s.params, lang, kc, kubeconfig: s.info.kubeconfig, context: s.info.context, capabilities: s.info.capabilities, binPath: s.info.binDir, resuming, dockerHost: s.info.dockerHost,
    // A lab's pause is held by this trainee: another trainee's reset does not end it (decision 0029).
    sharedArgo: (run) => sharedArgo(s, lang, kc, run, traineeLabel(s.seed)) });
}

/** Run one of the lab's code modules (setup/solution/reset); its failure is a KlabError naming the stage. */
export async function runLabModule(s: LabSession, lang: Lang, kc: KubeConfig, name: 'setup' | 'solution' | 'reset', opts: { resuming?: boolean } = {}): Promise<boolean> {
  const mod = await labModule<{ default: (rt: Awaited<ReturnType<typeof runtimeFor>>) => Promise<void> }>(s.lab, name);
  if (!mod) return false;
  try {
    await mod.default(await runtimeFor(s, lang, kc, opts.resuming));
  } catch (e) {
    if (e instanceof KlabError) throw e;
    const key = name === 'setup' ? 'setup.failed' : name === 'solution' ? 'solve.failed' : 'reset.failed';
    // A command the cluster refused (or a wait it did not finish) is the cluster's failure, exit 3; anything else
    // thrown by lab code is a bug, exit 4. The API's own errors (client-node) count as the cluster's too.
    const { LabCommandError } = await import('./runtime.js');
    const clusters = e instanceof LabCommandError || typeof (e as { code?: unknown })?.code === 'number';
    throw new KlabError(msg(key, { detail: (e as Error).message }), clusters ? ExitCode.unreachable : ExitCode.internal, (e as Error).stack);
  }
  return true;
}

/** Apply the reference solution, then record its answers (e.g. the token it read from the logs) and "solved". */
export async function solveLab(s: LabSession, lang: Lang, kc: KubeConfig): Promise<void> {
  await runLabModule(s, lang, kc, 'solution');
  // A solution may also answer the lab's questions (e.g. the token it read from the logs; d1: a ReplicaSet's name,
  // which only the cluster knows — such an `answers` reads it through kc).
  const answers = (await (await labModule<{ answers?: SolutionAnswers }>(s.lab, 'solution'))?.answers?.(s.params, kc)) ?? {};
  s.progress = s.store.update(s.info.context, s.lab.def.id, s.seed, (p) => {
    Object.assign(p.answers, answers);
    p.solved = true;
    p.solutionShown = [...new Set([...p.solutionShown, ...s.lab.def.steps.map((_, i) => i + 1)])];
  });
}

/**
 * Remove everything this trainee's copy of the lab created (its reset.ts, then its namespaces) and forget its progress.
 * `all`: every trainee's copy of the lab on this cluster (an instructor cleaning up).
 */
export async function resetLab(s: LabSession, lang: Lang, kc: KubeConfig, opts: { all?: boolean } = {}): Promise<void> {
  await runLabModule(s, lang, kc, 'reset');
  const { deleteLabNamespaces } = await import('./runtime.js');
  await deleteLabNamespaces(kc, s.lab.def.id, opts.all ? undefined : s.seed, s.params.namespace);
  s.store.remove(s.info.context, s.lab.def.id);
  s.progress = undefined;
}
