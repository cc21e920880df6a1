// The live stage's container, made of Kubernetes' own mechanisms (not text filters): a fresh namespace per submission
// with Pod Security Admission `baseline` enforced, a ResourceQuota and a LimitRange, and a ServiceAccount bound (by a
// RoleBinding, so only inside that namespace) to the built-in `admin` ClusterRole. The submission is installed with a
// kubeconfig holding only that ServiceAccount's token (TokenRequest API, short-lived): anything cluster-scoped is
// refused by RBAC, privileged/hostPath/hostNetwork pods by Pod Security, and the namespace's quota cannot be raised
// (`admin` may not edit ResourceQuota or LimitRange, nor bind a role it does not hold). The grader's own identity
// only creates the sandbox, reads for the checks, and deletes the namespace — also on Ctrl+C and on timeout.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { clients, k8s } from '../../checkers/k8s.js';

export const SA = 'klab-submission';
export const LABEL = 'klab.dev/submission';

/** The quota every grading namespace gets; stated in docs/grading.*.md and in the diagnosis when it refuses. */
export const QUOTA: Record<string, string> = {
  pods: '20', 'requests.cpu': '2', 'requests.memory': '2Gi', 'limits.cpu': '4', 'limits.memory': '4Gi',
  services: '10', 'services.loadbalancers': '0', 'services.nodeports': '2', persistentvolumeclaims: '2', 'requests.storage': '5Gi',
  secrets: '30', configmaps: '30', 'count/jobs.batch': '10', 'count/workflows.argoproj.io': '5',
};
export const LIMITS = {
  default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '50m', memory: '64Mi' }, max: { cpu: '1', memory: '1Gi' },
};

export interface Sandbox {
  namespace: string;
  /** A kubeconfig file holding only the ServiceAccount's token (mode 0600), for helm. */
  kubeconfigFile: string;
  /** The same identity as a client. */
  kc: KubeConfig;
  serviceAccount: string;
}

/** DNS-1123 label from a trainee id: lower case, [a-z0-9-], at most `max` characters. */
export function slug(id: string, max = 30): string {
  const s = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return s || 'x';
}

/** Gradings and namespace deletions still under way: the CLI waits for them before it exits (Ctrl+C, timeouts). */
const pending = new Set<Promise<unknown>>();
export async function cleanupsDone(): Promise<void> { while (pending.size) await Promise.allSettled([...pending]); }
/**
 * Register `p` (a submission's grading) so cleanupsDone() waits for it: a trainee that timed out is abandoned by the
 * roster but its grader still owns a namespace until its `finally` has run.
 */
export function track<T>(p: Promise<T>): Promise<T> {
  const tracked = p.then(() => undefined, () => undefined).finally(() => pending.delete(tracked));
  pending.add(tracked);
  return p;
}

export async function openSandbox(admin: KubeConfig, o: { trainee: string; lab: string; extraRules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }): Promise<Sandbox> {
  const c = clients(admin);
  const rbac = admin.makeApiClient(k8s().RbacAuthorizationV1Api);
  const namespace = `klab-sub-${slug(o.trainee)}-${randomBytes(3).toString('hex')}`;
  const labels = { 'app.kubernetes.io/managed-by': 'klab', 'klab.dev/lab': o.lab, [LABEL]: slug(o.trainee, 63) };
  await c.core.createNamespace({
    body: {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/audit': 'baseline',
        },
      },
    },
  });
  await c.core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'klab-submission', labels }, spec: { hard: QUOTA } } });
  await c.core.createNamespacedLimitRange({
    namespace,
    body: { metadata: { name: 'klab-submission', labels }, spec: { limits: [{ type: 'Container', ...LIMITS }] } },
  });
  await c.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: SA, labels }, automountServiceAccountToken: false } });
  const subject = [{ kind: 'ServiceAccount', name: SA, namespace }];
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: { metadata: { name: `${SA}-admin`, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }, subjects: subject },
  });
  if (o.extraRules?.length) {
    await rbac.createNamespacedRole({ namespace, body: { metadata: { name: `${SA}-extra`, labels }, rules: o.extraRules } });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: { metadata: { name: `${SA}-extra`, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${SA}-extra` }, subjects: subject },
    });
  }
  const tr = await c.core.createNamespacedServiceAccountToken({ name: SA, namespace, body: { spec: { expirationSeconds: 3600, audiences: [] } } });
  const token = tr.status?.token;
  if (!token) throw new Error(`no token issued for ${namespace}/${SA}`);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the grading kubeconfig has no current cluster');
  const kc = new (k8s().KubeConfig)();
  kc.loadFromOptions({
    clusters: [{ ...cluster, name: 'grading' }],
    users: [{ name: SA, token }],
    contexts: [{ name: 'submission', cluster: 'grading', user: SA, namespace }],
    currentContext: 'submission',
  });
  const dir = mkdtempSync(join(tmpdir(), 'klab-sub-kc-'));
  const kubeconfigFile = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigFile, kc.exportConfig(), { mode: 0o600 });
  return { namespace, kubeconfigFile, kc, serviceAccount: `system:serviceaccount:${namespace}:${SA}` };
}

/**
 * Delete the namespace (everything the submission made in it goes with it) and the token file; registered so the CLI
 * can wait for it. Waits until the namespace is gone (up to `waitMs`) so a grading that returns leaves nothing behind.
 */
export function closeSandbox(admin: KubeConfig, sb: Pick<Sandbox, 'namespace' | 'kubeconfigFile'>, waitMs = 60_000): Promise<void> {
  const p = (async () => {
    rmSync(join(sb.kubeconfigFile, '..'), { recursive: true, force: true });
    const c = clients(admin);
    try { await c.core.deleteNamespace({ name: sb.namespace, propagationPolicy: 'Background' }); } catch (e) {
      if ((e as { code?: number }).code === 404) return;
      throw e;
    }
    const end = Date.now() + waitMs;
    while (Date.now() < end) {
      try { await c.core.readNamespace({ name: sb.namespace }); } catch (e) { if ((e as { code?: number }).code === 404) return; }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return track(p);
}

/** A refusal Kubernetes gave, sorted by what refused it. */
export interface Refusal { by: 'rbac' | 'pod-security' | 'quota' | 'other'; line: string }

/** Refusals in an install's output (helm's stderr, an API error body): RBAC, Pod Security, quota/LimitRange. */
export function refusalsIn(text: string): Refusal[] {
  const out: Refusal[] = [];
  const seen = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    let by: Refusal['by'] | undefined;
    if (/violates PodSecurity/.test(line)) by = 'pod-security';
    else if (/exceeded quota|must specify limits|maximum (cpu|memory) usage|forbidden: \[?maximum/i.test(line)) by = 'quota';
    else if (/is forbidden: User "[^"]*" cannot/.test(line)) by = 'rbac';
    if (!by) continue;
    const key = `${by}|${line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ by, line: line.length > 400 ? line.slice(0, 400) + '…' : line });
  }
  return out;
}

/** Refusals recorded as events in the namespace (a controller refused to create a pod: FailedCreate). */
export async function refusalEvents(admin: KubeConfig, namespace: string): Promise<Refusal[]> {
  const list = await clients(admin).core.listNamespacedEvent({ namespace });
  const lines = list.items.filter((e) => e.type === 'Warning' && /FailedCreate|Failed/.test(e.reason ?? ''))
    .map((e) => `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}: ${e.message ?? ''}`);
  return refusalsIn(lines.join('\n'));
}

/** The message of an API error (client-node's body may be a string or an object). */
export function apiMessage(e: unknown): string {
  const body = (e as { body?: unknown }).body;
  if (typeof body === 'string') { try { return String(JSON.parse(body).message ?? body); } catch { return body; } }
  return (body as { message?: string })?.message ?? (e as Error).message ?? String(e);
}

/**
 * Every refusal the sandbox's identity would meet creating `docs` (server-side dry run: RBAC and admission, Pod
 * Security included, decide; nothing is persisted). Used after a failed install, which stops at its first refusal.
 */
export async function dryRunRefusals(kc: KubeConfig, namespace: string, docs: Record<string, any>[]): Promise<Refusal[]> {
  const api = clients(kc).objects;
  const messages: string[] = [];
  for (const o of docs) {
    if (!o || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') continue;
    try {
      await api.create({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace } } as never, undefined, 'All');
    } catch (e) { messages.push(apiMessage(e)); }
  }
  return refusalsIn(messages.join('\n'));
}
