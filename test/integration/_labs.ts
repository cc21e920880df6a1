// Helpers for lab integration tests: run the CLI against the test cluster, apply a lab's known-wrong solutions.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, existsSync, writeFileSync, chmodSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cli, cliAsync, tempDir, root, klabJs, type CliResult } from '../unit/_cli.js';
import type { V1Pod } from '@kubernetes/client-node';
import { testCluster, testKubeConfig } from './_env.js';
import { poll } from '../../host/wait.js';
import { nodePaths } from '../../cluster/local/node/services.js';
import { substitute } from '../../labs/_engine/params.js';
import { imageRegistry } from '../../cluster/provider.js';
import type { Text } from '../../i18n/index.js';
import type { SolutionAnswers } from '../../labs/_engine/runtime.js';
import { labSelector } from '../../labs/_engine/runtime.js';

/**
 * A trainee's state dir is private, but the local cluster's own state (its processes, e.g. the Argo controller a lab
 * may pause) is the test cluster's: point the local provider at it.
 */
export function providerStateEnv(): Record<string, string> {
  const info = testCluster();
  if (info.provider !== 'local') return {};
  // The tests name the cluster by --kubeconfig/--context (an `existing` target), which knows no Docker engine: give the
  // local provider's, as `klab env` gives it to a trainee on `local` (i-h1 builds and pushes an image).
  const dir = dirname(info.kubeconfig);
  return { KLAB_LOCAL_STATE_DIR: dir, ...(info.capabilities.registry ? { DOCKER_HOST: `unix://${nodePaths(dir).docker.socket}` } : {}) };
}

/**
 * A trainee's environment: private state and working folder. The CLI reaches the test cluster by --kubeconfig/--context,
 * i.e. as an `existing` cluster: its registry is named the way an instructor would (KLAB_REGISTRY).
 */
export function traineeEnv(state: string, seed: string): Record<string, string> {
  const registry = imageRegistry(testCluster().provider, {});
  return { XDG_STATE_HOME: state, KLAB_TRAINEE: seed, KLAB_WORK: join(state, 'work'), ...(registry ? { KLAB_REGISTRY: registry } : {}), ...providerStateEnv() };
}

/**
 * One trainee: a private state dir (progress; or `state`, e.g. shared with a pty session), the test cluster, a seed.
 * `kubeconfig`: a private copy of the test cluster's (a lab may change its context's namespace, i-l1), or the shared one.
 */
export function trainee(seed: string, lang: 'ko' | 'en' = 'en', state = tempDir('klab-trainee-'), kubeconfig?: string) {
  const info = testCluster();
  const env = traineeEnv(state, seed);
  const flags = ['--kubeconfig', kubeconfig ?? info.kubeconfig, '--context', info.context, '--lang', lang];
  return {
    state, seed, info, env,
    klab: (...args: string[]): CliResult => cli([...args, ...flags], env),
    checkJson(lab: string, ...extra: string[]) {
      const r = cli(['check', lab, '--json', ...extra, ...flags], env);
      let json: CheckJson | undefined;
      try { json = JSON.parse(r.stdout) as CheckJson; } catch { /* asserted by the caller */ }
      return { ...r, json };
    },
  };
}

export interface CheckJson {
  lab: string; seed: string; passed: boolean; score: number; maxScore: number; unreachable?: boolean;
  checks: { id: string; status: 'pass' | 'fail' | 'skip' | 'error'; points: number; maxPoints: number; message: string; hint?: string; verifiedBy?: string }[];
}

export interface Mistake {
  file: string;
  description: Text;
  commands: string[];
  expect: { fail: Record<string, Text>; pass?: string[]; skip?: string[]; skipAllowed?: string[] };
  /** Optional: question id → a shell command whose output is what this trainee answers. */
  answers?: Record<string, string>;
}

export function mistakes(lab: string): Mistake[] {
  const dir = join(root, 'labs', lab, 'mistakes');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: f, ...(parseYaml(readFileSync(join(dir, f), 'utf8')) as Omit<Mistake, 'file'>) }));
}

let shimDir: string | undefined;
/** A folder holding a `klab` that runs this build: a mistake's or alternative's commands may call klab (d1's `klab traffic`). */
export function klabBinDir(): string {
  if (shimDir) return shimDir;
  shimDir = tempDir('klab-bin-');
  writeFileSync(join(shimDir, 'klab'), `#!/bin/sh\nexec '${process.execPath}' '${klabJs}' "$@"\n`);
  chmodSync(join(shimDir, 'klab'), 0o755);
  return shimDir;
}

/**
 * Run a mistake's commands (bash, params filled in) as the trainee would, against the test cluster. `trainee`: the
 * trainee's klab environment (XDG_STATE_HOME, KLAB_TRAINEE), so a `klab …` command finds the same cluster and seed.
 */
export function applyCommands(commands: string[], params: Record<string, string>, trainee: Record<string, string> = {}): void {
  const info = testCluster();
  for (const c of commands) {
    const cmd = substitute(c, params);
    // klab itself and the provider's tools dir first on PATH, as `klab env` gives the trainee (local: kubectl, helm, argo).
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...trainee, NO_COLOR: '1', PATH: `${klabBinDir()}:${info.binDir ? `${info.binDir}:` : ''}${process.env.PATH}`, KUBECONFIG: info.kubeconfig } });
    if (r.status !== 0) throw new Error(`mistake command failed: ${cmd}\n${r.stderr}`);
  }
}

// ---- shared by the lab-*.test.ts files: each keeps only what is specific to its lab ----

/** A lab's seeded params. */
export async function paramsOf(lab: string, seed: string): Promise<Record<string, string>> {
  const { loadLab, labParams } = await import('../../labs/_engine/load.js');
  // The test cluster's LoadBalancer block (labs' {lbaddr}), which a trainee's klab reads from the cluster; nothing else
  // of where it runs (the registry stays as a context named with --kubeconfig/--context sees it).
  const lbRange = process.env.KLAB_TEST_CLUSTER ? testCluster().lbRange : undefined;
  return labParams(await loadLab(lab), seed, lbRange ? { provider: 'existing', lbRange } : undefined);
}

/** The same trainee (same state: seed, answers) checked in another language. */
export function checkIn(tr: ReturnType<typeof trainee>, lang: 'ko' | 'en', lab: string, ...extra: string[]): CheckJson {
  const r = cli(['check', lab, '--json', ...extra, '--kubeconfig', tr.info.kubeconfig, '--context', tr.info.context, '--lang', lang], { XDG_STATE_HOME: tr.state, KLAB_TRAINEE: tr.seed });
  return JSON.parse(r.stdout) as CheckJson;
}

/** `klab answer` every question, each must be accepted. */
export function answerAll(tr: ReturnType<typeof trainee>, lab: string, answers: Record<string, string>): void {
  for (const [q, v] of Object.entries(answers)) {
    const r = tr.klab('answer', lab, q, v);
    if (r.code !== 0) throw new Error(`klab answer ${lab} ${q} → exit ${r.code}: ${r.stderr}`);
  }
}

/** A shell command's output (a mistake's `answers:`), params filled in, against the test cluster. */
export function shellOutput(cmd: string, p: Record<string, string>): string {
  const r = spawnSync('bash', ['-c', substitute(cmd, p)], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: testCluster().kubeconfig } });
  if (r.status !== 0) throw new Error(`answer command failed: ${cmd}\n${r.stderr}`);
  return r.stdout.trim();
}

export async function podsOf(ns: string, app: string): Promise<V1Pod[]> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = (await testKubeConfig()).makeApiClient(CoreV1Api);
  return (await core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items;
}

/** host/wait.ts's wait, for tests: the value, or an error naming what did not happen (and what was seen last). */
export async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const r = await poll(f, (v) => v !== undefined, { timeoutMs: ms, everyMs: 500, factor: 1.5, maxEveryMs: 2000 });
  if (!r.done) throw new Error(`timed out waiting for ${what}${r.error ? ` (last error: ${String(r.error)})` : ''}`);
  return r.last as T;
}

/** This trainee's (seed's) namespaces, deployments and pods of the lab, anywhere. */
export async function leftovers(lab: string, seed: string): Promise<string[]> {
  const k8s = await import('@kubernetes/client-node');
  const kc = await testKubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api), apps = kc.makeApiClient(k8s.AppsV1Api);
  const labelSelector = labSelector(lab, seed);
  return [
    ...(await core.listNamespace({ labelSelector })).items.map((x) => `namespace/${x.metadata!.name}`),
    ...(await apps.listDeploymentForAllNamespaces({ labelSelector })).items.map((x) => `deployment/${x.metadata!.name}`),
    ...(await core.listPodForAllNamespaces({ labelSelector })).items.map((x) => `pod/${x.metadata!.name}`),
  ];
}

/** Per-file timing figures, printed by the file at its end. */
export function timings() {
  const figures: string[] = [];
  return {
    figures,
    timed<T>(what: string, f: () => T): T {
      const s = Date.now();
      const r = f();
      figures.push(`${what}: ${((Date.now() - s) / 1000).toFixed(1)}s`);
      return r;
    },
  };
}

/** Every lab; KLAB_TEST_LABS=i-h2,i-l2 (developers) keeps only these in the generic mistakes/alternatives harnesses. */
export const allLabs = () => {
  const only = process.env.KLAB_TEST_LABS?.split(',').filter(Boolean);
  return readdirSync(join(root, 'labs')).filter((d) => !d.startsWith('_') && existsSync(join(root, 'labs', d, 'lab.yaml')) && (!only || only.includes(d))).sort();
};

/** A bash command as the trainee types it, asynchronously (other trainees go on meanwhile); killed after `limitMs`. */
export function bashAsync(cmd: string, env: NodeJS.ProcessEnv, limitMs = 240_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', cmd], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { stderr += `\n(killed after ${limitMs / 1000} s)`; child.kill('SIGKILL'); }, limitMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

/** Run `job` over `items`, at most `n` at a time; every job runs to its end. Resolves the errors thrown. */
export async function pool<T>(items: T[], n: number, job: (x: T) => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const x = items[next++]!;
      try { await job(x); } catch (e) { errors.push(e); }
    }
  }));
  return errors;
}

/**
 * How many trainees (mistakes, alternatives) the generic harnesses run at once. Each works in namespaces of its own seed
 * and `klab reset` removes only its own seed's (decision 0029); most of their time is waiting for the cluster.
 */
export const EXAMPLE_CONCURRENCY = Math.max(1, Number(process.env.KLAB_TEST_EXAMPLE_CONCURRENCY ?? 3));

/**
 * Labs whose setup changes something cluster-wide that other labs' trainees rely on: i-m2 pauses klab's own Argo
 * controller while the trainee's Argo runs (decision 0015), so an i-l2 or i-h2 workflow would wait meanwhile. Their
 * trainees run one at a time, in their lab's own file (lab-<id>.test.ts), which the runner runs alone.
 */
export const CLUSTER_WIDE_LABS = ['i-m2'];
/** Every lab the generic harnesses run side by side. */
export const sharedLabs = () => allLabs().filter((l) => !CLUSTER_WIDE_LABS.includes(l));

export interface TraineeRun { p: Record<string, string>; vars: Record<string, string>; json: CheckJson; jsonKo: CheckJson; code: number; ms: { applied: number; total: number } }

/**
 * One trainee working a lab file (a mistake or an alternative): a private state dir and kubeconfig copy (commands may
 * change the context), klab start → the commands (bash, params filled in) → the reference answers of solution.ts,
 * overridden by `answers` (shell commands whose output the trainee answers) → klab check (en, ko) → `inspect` → klab
 * reset (always).
 */
export async function runAsTrainee(lab: string, file: string, commands: string[], answerCmds: Record<string, string> | undefined,
  inspect: (r: TraineeRun) => void | Promise<void>): Promise<TraineeRun> {
  const info = testCluster();
  const t0 = Date.now();
  const state = tempDir('klab-example-');
  const kubeconfig = join(state, 'kubeconfig');
  copyFileSync(info.kubeconfig, kubeconfig);
  const seed = `${lab}-${file.replace(/\.yaml$/, '')}`;
  // A private working folder too (labs with one, i-h1: KLAB_WORK/<lab>), like the private state.
  const env = traineeEnv(state, seed);
  const klab = (args: string[], lang = 'en') => cliAsync([...args, '--kubeconfig', kubeconfig, '--context', info.context, '--lang', lang], env, 300_000);
  const { loadLab, labParams } = await import('../../labs/_engine/load.js');
  const p = labParams(await loadLab(lab), seed, info, { ...process.env, ...env });
  const where = `${lab}/${file}`;
  const st = await klab(['start', lab, '--no-guide']);
  if (st.code !== 0) throw new Error(`${where}: klab start exited ${st.code}\n${st.stderr}${st.stdout}`);
  try {
    // i-m2 on local: klab start renders the Argo manifest into the state dir; elsewhere the pinned URL.
    const rendered = join(state, 'klab', 'labs', lab, 'namespace-install.yaml');
    const vars = { ...p, manifest: existsSync(rendered) ? rendered : p.manifestUrl ?? '' };
    // klab itself and the provider's tools first on PATH, as `klab env` gives the trainee (d1's commands call klab).
    const shellEnv = { ...process.env, ...env, NO_COLOR: '1', KUBECONFIG: kubeconfig, PATH: `${klabBinDir()}:${info.binDir ? `${info.binDir}:` : ''}${process.env.PATH}` };
    for (const c of commands) {
      const cmd = substitute(c, vars);
      const r = await bashAsync(cmd, shellEnv);
      if (r.code !== 0) throw new Error(`${where}: command failed (exit ${r.code}): ${cmd}\n${r.stderr}`);
    }
    const applied = Date.now() - t0;
    const solution = await import(pathToFileURL(join(root, 'dist/labs', lab, 'solution.js')).href) as { answers?: SolutionAnswers };
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kc.setCurrentContext(info.context);
    const given: Record<string, string> = { ...((await solution.answers?.(p, kc)) ?? {}) };
    for (const [q, cmd] of Object.entries(answerCmds ?? {})) {
      const r = await bashAsync(substitute(cmd, vars), shellEnv, 60_000);
      if (r.code !== 0) throw new Error(`${where}: answer command for ${q} failed: ${r.stderr}`);
      given[q] = r.stdout.trim();
    }
    for (const [q, v] of Object.entries(given)) {
      const a = await klab(['answer', lab, q, v]);
      if (a.code !== 0) throw new Error(`${where}: klab answer ${q} exited ${a.code}: ${a.stderr}`);
    }
    const en = await klab(['check', lab, '--json']);
    const ko = await klab(['check', lab, '--json'], 'ko');
    let json: CheckJson, jsonKo: CheckJson;
    try { json = JSON.parse(en.stdout) as CheckJson; jsonKo = JSON.parse(ko.stdout) as CheckJson; } catch {
      throw new Error(`${where}: klab check --json printed no report (exit ${en.code}): ${en.stderr}`);
    }
    const run: TraineeRun = { p, vars, json, jsonKo, code: en.code, ms: { applied, total: Date.now() - t0 } };
    await inspect(run);
    return run;
  } finally {
    // The reset's wait (namespaces gone) holds up no other trainee: it runs on while the next one starts, and
    // resetsDone() awaits every reset (and reports a failed one) before the harness's test ends.
    resets.push(klab(['reset', lab]).then((r) => { if (r.code !== 0) throw new Error(`${where}: klab reset exited ${r.code}: ${r.stderr}`); }));
  }
}

const resets: Promise<void>[] = [];
/** Wait for every reset runAsTrainee started; the errors of those that failed. */
export async function resetsDone(): Promise<unknown[]> {
  const all = resets.splice(0);
  return (await Promise.allSettled(all)).flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
}
