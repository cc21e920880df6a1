// What a lab's setup.ts / solution.ts / reset.ts receive: the cluster, the seeded params, and helpers that run the
// commands a trainee would type (kubectl/helm/argo through zx), printing each one.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { tr, type Lang, type Text } from '../../i18n/index.js';
import type { Capabilities } from '../../cluster/provider.js';
import type { Lab } from './load.js';
import { createHash } from 'node:crypto';
import { poll } from '../../host/wait.js';

/**
 * A command the lab ran (kubectl, helm…) failed, or the cluster did not finish what it was asked in time: the cluster
 * or the trainee's objects are the cause, not a klab bug — reported with exit 3, not 4 (issue 10).
 */
export class LabCommandError extends Error {
  constructor(message: string) { super(message); this.name = 'LabCommandError'; }
}

/**
 * A lab solution's `answers` export: the answers a trainee gives with `klab answer`, by question id. Most follow from
 * the params; one the cluster decides (a ReplicaSet's generated name) is read through `kc`, given once solved.
 */
export type SolutionAnswers = (params: Record<string, string>, kc?: KubeConfig) => Record<string, string> | Promise<Record<string, string>>;

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'klab' } as const;
/** Which lab an object belongs to. */
export const LAB_LABEL = 'klab.dev/lab';
/** Whose (which seed's) copy of the lab it is: `klab reset` removes this trainee's copy only (decision 0029). */
export const TRAINEE_LABEL = 'klab.dev/trainee';

/**
 * The trainee label's value for a seed: the seed itself when it is a valid label value (most are: a user name, an id),
 * otherwise a readable prefix and a digest, so any seed (an e-mail address, Korean) still has one stable value.
 */
export function traineeLabel(seed: string): string {
  if (/^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/.test(seed)) return seed;
  const head = seed.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 40).replace(/[^A-Za-z0-9]+$/, '');
  return `${head ? `${head}-` : ''}${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`;
}

/** The labels of everything klab creates for one trainee's copy of a lab. */
export function labLabels(labId: string, seed: string): Record<string, string> {
  return { ...MANAGED_BY, [LAB_LABEL]: labId, [TRAINEE_LABEL]: traineeLabel(seed) };
}

/** A label selector for one trainee's copy of a lab (or, without a seed, every copy of it). */
export function labSelector(labId: string, seed?: string): string {
  return `${LAB_LABEL}=${labId}${seed === undefined ? '' : `,${TRAINEE_LABEL}=${traineeLabel(seed)}`}`;
}

export interface LabRuntime {
  lab: Lab;
  params: Record<string, string>;
  namespace: string;
  lang: Lang;
  kc: KubeConfig;
  kubeconfig: string;
  context: string;
  capabilities: Capabilities;
  /** Labels every object the lab creates must carry (reset finds this trainee's by `klab.dev/lab` + `klab.dev/trainee`). */
  labels: Record<string, string>;
  log(text: Text | string): void;
  /** Run a command as a trainee would; prints `$ cmd` first. Resolves with stdout. */
  run(cmd: string, args: string[], opts?: { input?: string; quiet?: boolean; allowFail?: boolean }): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** `kubectl --context <ctx> …` against the lab's cluster. */
  kubectl(...args: string[]): Promise<string>;
  /** Create or replace objects (server-side apply), adding the lab's labels. */
  apply(objects: KubernetesObject[]): Promise<void>;
  /**
   * true when `klab start` resumes a lab: there is progress for it, or its namespace already exists. Setup must then
   * leave the trainee's work alone: use `prepare`, and delete nothing.
   */
  resuming: boolean;
  /**
   * The lab's starting objects. A fresh start applies them (the starting state, whatever was there); resuming only
   * creates the ones that are missing, so what the trainee changed stays changed. Returns the names it created.
   */
  prepare(objects: KubernetesObject[]): Promise<string[]>;
  /** Create the lab namespace (labelled) if it does not exist. */
  ensureNamespace(name?: string): Promise<void>;
  /**
   * Pause (`run` false) or resume klab's own cluster-wide Argo controller (where the provider installed one) — for a
   * lab whose trainee installs Argo themselves (decision 0015). Resolves whether anything changed.
   */
  sharedArgo(run: boolean): Promise<boolean>;
  /** Record an answer to one of the lab's questions, as `klab answer` does (printed as that command). */
  answer(id: string, value: string): Promise<void>;
}

export interface RuntimeInit { lab: Lab; params: Record<string, string>; lang: Lang; kc: KubeConfig; kubeconfig: string; context: string; capabilities: Capabilities; out?: (s: string) => void; binPath?: string; resuming?: boolean; sharedArgo?: (run: boolean) => Promise<boolean>; dockerHost?: string }

export async function createRuntime(init: RuntimeInit): Promise<LabRuntime> {
  const k8s = await import('@kubernetes/client-node');
  const { $ } = await import('zx');
  const out = init.out ?? ((s: string) => process.stdout.write(s + '\n'));
  const labels = labLabels(init.lab.def.id, init.params.seed ?? '');
  const env = { ...process.env, KUBECONFIG: init.kubeconfig, ...(init.binPath ? { PATH: `${init.binPath}:${process.env.PATH}` } : {}), ...(init.dockerHost ? { DOCKER_HOST: init.dockerHost } : {}) };
  const objApi = k8s.KubernetesObjectApi.makeApiClient(init.kc);

  const rt: LabRuntime = {
    ...init,
    resuming: init.resuming ?? false,
    namespace: init.params.namespace,
    labels,
    log: (t) => out(typeof t === 'string' ? t : tr(t, init.lang)),
    async run(cmd, args, opts = {}) {
      if (!opts.quiet) out(`$ ${[cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')}`);
      const p = await $({ env, input: opts.input, nothrow: true, quiet: true })`${cmd} ${args}`;
      if (p.exitCode !== 0 && !opts.allowFail) throw new LabCommandError(`${cmd} ${args.join(' ')} → exit ${p.exitCode}: ${p.stderr.trim().split('\n').slice(-3).join(' / ')}`);
      return { stdout: p.stdout, stderr: p.stderr, exitCode: p.exitCode ?? -1 };
    },
    async kubectl(...args) {
      return (await rt.run('kubectl', [`--context=${init.context}`, ...args])).stdout;
    },
    async apply(objects) {
      for (const o of objects) {
        o.metadata = { ...o.metadata, labels: { ...(o.metadata?.labels ?? {}), ...labels } };
        await objApi.patch(o, undefined, undefined, 'klab', true, k8s.PatchStrategy.ServerSideApply);
      }
    },
    async prepare(objects) {
      if (!rt.resuming) { await rt.apply(objects); return objects.map((o) => o.metadata?.name ?? ''); }
      const created: string[] = [];
      for (const o of objects) {
        o.metadata = { ...o.metadata, labels: { ...(o.metadata?.labels ?? {}), ...labels } };
        try {
          await objApi.create(o, undefined, undefined, 'klab');
          created.push(o.metadata.name ?? '');
        } catch (e) {
          if ((e as { code?: number }).code !== 409) throw e; // 409 AlreadyExists: the trainee's, as it is now
        }
      }
      return created;
    },
    sharedArgo: async (run) => (init.sharedArgo ? init.sharedArgo(run) : false),
    async answer(id, value) {
      out(`$ klab answer ${init.lab.def.id} ${id} ${value}`);
      const { ProgressStore } = await import('./progress.js');
      new ProgressStore().update(init.context, init.lab.def.id, init.params.seed, (p) => { p.answers[id] = value; });
    },
    async ensureNamespace(name = rt.namespace) {
      await rt.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }]);
    },
  };
  return rt;
}

/** Whether namespace `name` exists (a lab whose namespace exists has been started: setup must keep what is in it). */
export async function namespaceExists(kc: KubeConfig, name: string): Promise<boolean> {
  const k8s = await import('@kubernetes/client-node');
  try { await kc.makeApiClient(k8s.CoreV1Api).readNamespace({ name }); return true; } catch (e) {
    if ((e as { code?: number }).code === 404) return false;
    throw e;
  }
}

/**
 * The generic part of `klab reset`: delete this trainee's copy of the lab — the namespaces labelled with the lab and
 * the seed, and the lab's own (seeded) namespace by name, which the trainee may have created unlabelled — and wait
 * until they are gone. Other trainees' copies on the same cluster (another seed) are left alone; `seed` undefined
 * (`klab reset --all`) takes every copy.
 */
export async function deleteLabNamespaces(kc: KubeConfig, labId: string, seed: string | undefined, own: string | undefined, timeoutMs = 120_000): Promise<string[]> {
  const k8s = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const list = await core.listNamespace({ labelSelector: labSelector(labId, seed) });
  const names = [...new Set([...(own ? [own] : []), ...list.items.map((n) => n.metadata!.name!)])];
  await deleteNamespaces(kc, names, timeoutMs);
  return names;
}

/** Delete these namespaces by name (absent ones are fine) and wait until they are gone. */
export async function deleteNamespaces(kc: KubeConfig, names: string[], timeoutMs = 120_000): Promise<void> {
  const k8s = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const gone = (e: unknown) => (e as { code?: number }).code === 404;
  for (const name of names) {
    // Reset throws the lab away: its pods go at once, not after each one's grace period (30 s for a container that
    // ignores SIGTERM, as PID 1 does), which would hold the namespace deletion up.
    try { await core.deleteCollectionNamespacedPod({ namespace: name, gracePeriodSeconds: 0 }); } catch (e) { if (!gone(e)) throw e; }
    try { await core.deleteNamespace({ name }); } catch (e) { if (!gone(e)) throw e; }
  }
  const left = async () => {
    const out: string[] = [];
    for (const name of names) {
      try { await core.readNamespace({ name }); out.push(name); } catch (e) { if (!gone(e)) throw e; }
    }
    return out;
  };
  const r = await poll(left, (l) => l.length === 0, { timeoutMs, everyMs: 250, factor: 1.5, maxEveryMs: 1000, fatal: () => true });
  if (!r.done) throw new LabCommandError(`namespaces still terminating after ${Math.round(timeoutMs / 1000)}s: ${(r.last ?? names).join(', ')}`);
}
