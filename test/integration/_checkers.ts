// Shared helpers for the checkers' integration tests (files test/integration/checkers-*.test.ts).
// Every test file works in its own namespaces (prefix chk-) and deletes them at the end.
import { CoreV1Api, KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { existsSync, readdirSync } from 'node:fs';
import { join, delimiter } from 'node:path';
import { homedir } from 'node:os';
import { testCluster, testKubeConfig } from './_env.js';
import { runChecks } from '../../checkers/runner.js';
import { checkFromSpec } from '../../checkers/kinds.js';
import type { CheckSpec } from '../../checkers/kinds.js';
import type { Check, CheckResult } from '../../checkers/types.js';
import type { Lang } from '../../i18n/index.js';
import type { Capabilities } from '../../cluster/provider.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Env { kc: KubeConfig; core: CoreV1Api; objects: KubernetesObjectApi; caps: Capabilities; namespaces: string[] }

export async function env(): Promise<Env> {
  const kc = await testKubeConfig();
  return { kc, core: kc.makeApiClient(CoreV1Api), objects: KubernetesObjectApi.makeApiClient(kc), caps: testCluster().capabilities, namespaces: [] };
}

/** A fresh namespace chk-<name>-<random>. */
export async function namespace(e: Env, name: string): Promise<string> {
  const ns = `chk-${name}-${Math.random().toString(36).slice(2, 7)}`;
  await e.core.createNamespace({ body: { metadata: { name: ns, labels: { 'app.kubernetes.io/managed-by': 'klab-tests' } } } });
  e.namespaces.push(ns);
  // The namespace's default ServiceAccount must exist before pods can be created.
  await until('default service account', async () => (await e.core.readNamespacedServiceAccount({ name: 'default', namespace: ns }).catch(() => undefined)) ? true : undefined, 30000);
  return ns;
}

export async function cleanup(e: Env): Promise<void> {
  await Promise.all(e.namespaces.map((ns) => e.core.deleteNamespace({ name: ns, gracePeriodSeconds: 0 }).catch(() => undefined)));
}

export async function apply(e: Env, ...objs: KubernetesObject[]): Promise<void> {
  for (const o of objs) await e.objects.create(o);
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try { const v = await fn(); if (v !== undefined && v !== false) return v; } catch (err) { last = err; }
    await sleep(300);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export interface RunOne { params?: Record<string, string>; answers?: Record<string, string>; lang?: Lang; namespace?: string; caps?: Partial<Capabilities>; timeoutMs?: number }

/** Run checks (specs or Checks) against the test cluster and return the results in order. */
export async function check(e: Env, specs: (CheckSpec | Check)[], o: RunOne = {}): Promise<CheckResult[]> {
  const checks = specs.map((s) => ('probe' in s ? s as Check : checkFromSpec(s as CheckSpec, o.params ?? {})));
  const r = await runChecks(checks, {
    kc: e.kc, lang: o.lang ?? 'en', namespace: o.namespace ?? 'default', params: o.params ?? {},
    capabilities: { ...e.caps, ...(o.caps ?? {}) }, answers: o.answers ?? {}, lab: 'itest', seed: 'itest',
    defaultTimeoutMs: o.timeoutMs ?? 2000, pollMs: 200,
  });
  return r.checks;
}

/** Names of the real (kubelet) nodes and of the simulated (kwok) ones. */
export async function nodeKinds(e: Env): Promise<{ real: string[]; simulated: string[]; byGroup: Map<string, string[]> }> {
  const list = await e.core.listNode({});
  const real: string[] = [], simulated: string[] = [];
  const byGroup = new Map<string, string[]>();
  for (const n of list.items) {
    const name = n.metadata!.name!;
    ('kwok.x-k8s.io/node' in (n.metadata?.annotations ?? {}) ? simulated : real).push(name);
    const g = n.metadata?.labels?.['eks.amazonaws.com/nodegroup'];
    if (g) byGroup.set(g, [...(byGroup.get(g) ?? []), name]);
  }
  return { real, simulated, byGroup };
}

/** A helm binary: the provider's bin dir, else the cached build, else none. */
export function helmBinary(): string | undefined {
  const info = testCluster() as ReturnType<typeof testCluster> & { binDir?: string };
  if (info.binDir && existsSync(join(info.binDir, 'helm'))) return join(info.binDir, 'helm');
  const dir = join(homedir(), '.cache/klab/bin');
  const f = existsSync(dir) ? readdirSync(dir).filter((x) => /^helm-v3\.\d+\.\d+$/.test(x)).sort().pop() : undefined;
  return f ? join(dir, f) : undefined;
}

export function toolEnv(): NodeJS.ProcessEnv {
  const info = testCluster() as ReturnType<typeof testCluster> & { binDir?: string };
  const path = info.binDir && existsSync(info.binDir) ? `${info.binDir}${delimiter}${process.env.PATH}` : process.env.PATH;
  return { ...process.env, PATH: path, KUBECONFIG: info.kubeconfig, HELM_KUBECONTEXT: info.context };
}

/** A pod template spec that runs busybox on a given node (sleeping), with extra container fields. */
export function busybox(node: string | undefined, extra: Record<string, unknown> = {}, cmd = ['sh', '-c', 'sleep 3600']) {
  return {
    ...(node ? { nodeSelector: { 'kubernetes.io/hostname': node } } : {}),
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'app', image: 'busybox:1.35', command: cmd, ...extra }],
  };
}
