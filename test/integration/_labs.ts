// Helpers for lab integration tests: run the CLI against the test cluster, apply a lab's known-wrong solutions.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cli, tempDir, root, type CliResult } from '../unit/_cli.js';
import * as assert from 'uvu/assert';
import type { Test } from 'uvu';
import type { V1Pod } from '@kubernetes/client-node';
import { testCluster, testKubeConfig } from './_env.js';
import { poll } from '../../host/wait.js';
import { substitute } from '../../labs/_engine/params.js';
import type { Text } from '../../i18n/index.js';

/** One trainee: a private state dir (progress; or `state`, e.g. shared with a pty session), the test cluster, a seed. */
export function trainee(seed: string, lang: 'ko' | 'en' = 'en', state = tempDir('klab-trainee-')) {
  const info = testCluster();
  const env = { XDG_STATE_HOME: state, KLAB_TRAINEE: seed };
  const flags = ['--kubeconfig', info.kubeconfig, '--context', info.context, '--lang', lang];
  return {
    state, seed, info,
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
  expect: { fail: Record<string, Text>; pass?: string[] };
  /** Optional: question id → a shell command whose output is what this trainee answers. */
  answers?: Record<string, string>;
}

export function mistakes(lab: string): Mistake[] {
  const dir = join(root, 'labs', lab, 'mistakes');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: f, ...(parseYaml(readFileSync(join(dir, f), 'utf8')) as Omit<Mistake, 'file'>) }));
}

/** Run a mistake's commands (bash, params filled in) as the trainee would, against the test cluster. */
export function applyCommands(commands: string[], params: Record<string, string>): void {
  const info = testCluster();
  for (const c of commands) {
    const cmd = substitute(c, params);
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, KUBECONFIG: info.kubeconfig } });
    if (r.status !== 0) throw new Error(`mistake command failed: ${cmd}\n${r.stderr}`);
  }
}

// ---- shared by the lab-*.test.ts files: each keeps only what is specific to its lab ----

/** A lab's seeded params. */
export async function paramsOf(lab: string, seed: string): Promise<Record<string, string>> {
  const { loadLab, labParams } = await import('../../labs/_engine/load.js');
  return labParams(await loadLab(lab), seed);
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

/** Namespaces, deployments and pods labelled klab.dev/lab=<lab>, anywhere. */
export async function leftovers(lab: string): Promise<string[]> {
  const k8s = await import('@kubernetes/client-node');
  const kc = await testKubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api), apps = kc.makeApiClient(k8s.AppsV1Api);
  const labelSelector = `klab.dev/lab=${lab}`;
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

/**
 * A mistake's verdict: exit 1; exactly the named checks fail with the named diagnosis (en, then ko); `skipped(id)`
 * names checks that must be `skip` instead (gated, or not gradable on this cluster); every other check passes.
 */
export function assertMistake(m: Mistake, p: Record<string, string>, en: { code: number; stderr: string; json?: CheckJson }, ko: CheckJson, skipped: (id: string) => boolean = () => false): void {
  assert.is(en.code, 1, en.stderr);
  for (const c of en.json!.checks) {
    if (skipped(c.id)) assert.is(c.status, 'skip', `${c.id}: ${c.message}`);
    else if (c.id in m.expect.fail) {
      assert.is(c.status, 'fail', `${c.id} must fail: ${c.message}`);
      assert.match(c.message, substitute(m.expect.fail[c.id].en, p), `${c.id} diagnosis`);
    } else assert.is(c.status, 'pass', `${c.id} must pass: ${c.message}`);
  }
  for (const [id, text] of Object.entries(m.expect.fail)) {
    if (skipped(id)) continue;
    assert.match(ko.checks.find((c) => c.id === id)!.message, substitute(text.ko, p), `${id} Korean diagnosis`);
  }
}

/**
 * One test per file of labs/<lab>/mistakes/: a trainee of its own starts the lab, `body` applies the mistake and
 * asserts the verdict; the lab is always reset afterwards (then `after`, e.g. "nothing left labelled").
 */
export function eachMistake(t: Test, lab: string, body: (m: Mistake, tr: ReturnType<typeof trainee>, p: Record<string, string>) => Promise<void>,
  o: { before?: () => void; after?: (p: Record<string, string>) => Promise<void> } = {}): void {
  for (const m of mistakes(lab)) {
    t(`mistake ${m.file}: exactly the named checks fail, with the named diagnosis (ko/en)`, async () => {
      o.before?.();
      const tr = trainee(`${lab}-mistake-${m.file}`);
      const p = await paramsOf(lab, tr.seed);
      assert.is(tr.klab('start', lab, '--no-guide').code, 0);
      try {
        await body(m, tr, p);
      } finally {
        assert.is(tr.klab('reset', lab).code, 0);
        await o.after?.(p);
      }
    });
  }
}
