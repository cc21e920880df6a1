// Probe helpers: every read of the cluster goes through here (client-node 2.x, one KubeConfig, kept connections).
// Errors are turned into CheckError (never the trainee's fault): unreachable, unauthorised, forbidden (naming the
// verb/resource), or another API failure. A 404 is not an error here: callers ask `getOrNull` and explain.
import type * as K from '@kubernetes/client-node';
import type { KubeConfig, V1Pod, V1Status, CoreV1Event } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { CheckError } from './types.js';
import type { Evidence } from './types.js';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import { k8s, withDeadline, boundRequests, causeChain, apiMessage, currentSignal, MIN_REQUEST_MS } from '../cluster/kube.js';
// The client loader and the deadline scope live in cluster/kube.ts (the providers' probes use them too).
export { k8s, withDeadline, currentSignal, closeClients, boundRequests, MIN_REQUEST_MS } from '../cluster/kube.js';

export interface Clients {
  core: K.CoreV1Api;
  apps: K.AppsV1Api;
  batch: K.BatchV1Api;
  custom: K.CustomObjectsApi;
  networking: K.NetworkingV1Api;
  discovery: K.DiscoveryV1Api;
  objects: K.KubernetesObjectApi;
  version: K.VersionApi;
}

const cache = new WeakMap<KubeConfig, Clients>();

export function clients(kc: KubeConfig): Clients {
  let c = cache.get(kc);
  if (!c) {
    boundRequests(kc);
    c = {
      core: kc.makeApiClient(k8s().CoreV1Api),
      apps: kc.makeApiClient(k8s().AppsV1Api),
      batch: kc.makeApiClient(k8s().BatchV1Api),
      custom: kc.makeApiClient(k8s().CustomObjectsApi),
      networking: kc.makeApiClient(k8s().NetworkingV1Api),
      discovery: kc.makeApiClient(k8s().DiscoveryV1Api),
      objects: k8s().KubernetesObjectApi.makeApiClient(kc),
      version: kc.makeApiClient(k8s().VersionApi),
    };
    cache.set(kc, c);
  }
  return c;
}

/** The network-level failure codes that mean "there is no cluster at that address". */
const NET_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET',
  'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'EPIPE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** True when the error says the API server could not be reached (refused, unknown host, bad port, TLS, timeout). */
export function isUnreachable(e: unknown): boolean {
  if (e instanceof CheckError) return e.unreachable;
  if (e instanceof k8s().ApiException) return false;
  const chain = causeChain(e);
  if (chain.some((c) => c.code && NET_CODES.has(c.code))) return true;
  // undici: TypeError('fetch failed') with a cause such as "bad port" or a connect error.
  return chain.some((c) => /fetch failed|bad port|socket hang up|connect E|getaddrinfo|other side closed/i.test(c.message));
}

export function isNotFound(e: unknown): boolean {
  return e instanceof k8s().ApiException && e.code === 404;
}

/** The server this KubeConfig talks to, for messages. */
export function serverOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '?';
}

/** Turn anything a client call threw into a CheckError with a ko/en explanation. `what` names the request. */
export function toCheckError(e: unknown, kc?: KubeConfig, what = ''): CheckError {
  if (e instanceof CheckError) return e;
  const deadline = causeChain(e).find((c) => c.code === 'KLAB_DEADLINE');
  if (deadline) {
    return new CheckError(fill({
      ko: 'API 서버가 검사 시간 안에 응답하지 않았습니다 ({server}{what}: {detail}). 실습자의 잘못이 아닙니다.',
      en: 'The API server did not answer within the check\'s time ({server}{what}: {detail}). Not the trainee\'s fault.',
    }, { server: kc ? serverOf(kc) : '?', what: what ? `, ${what}` : '', detail: deadline.message }));
  }
  if (isUnreachable(e)) {
    const detail = causeChain(e).map((c) => c.code ?? c.message).filter(Boolean).slice(-1)[0] ?? '';
    return new CheckError(fill({
      ko: '클러스터에 연결할 수 없습니다 ({server}: {detail}). 클러스터가 실행 중인지 `klab cluster status`로 확인하세요.',
      en: 'Cannot reach the cluster ({server}: {detail}). Check that it is running with `klab cluster status`.',
    }, { server: kc ? serverOf(kc) : '?', detail }), true);
  }
  if (e instanceof k8s().ApiException) {
    const msg = apiMessage(e);
    if (e.code === 401) {
      return new CheckError(fill({
        ko: 'API 서버가 자격 증명을 거부했습니다 (401 Unauthorized): {msg}. kubeconfig의 사용자/토큰을 확인하세요.',
        en: 'The API server rejected the credentials (401 Unauthorized): {msg}. Check the kubeconfig user/token.',
      }, { msg }));
    }
    if (e.code === 403) {
      const m = /cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/.exec(msg);
      const user = /User "([^"]+)"/.exec(msg)?.[1] ?? '?';
      if (m) {
        const [, verb, resource, group, ns] = m;
        const res = group ? `${resource}.${group}` : resource;
        return new CheckError(fill({
          ko: "권한 없음 (403): 사용자 {user}에게 {where}의 '{res}'에 대한 '{verb}' 권한이 없습니다. klab은 이 읽기 권한이 필요합니다 (Role/ClusterRole에 verbs: [{verb}], resources: [{resource}] 추가).",
          en: "Permission denied (403): user {user} may not '{verb}' '{res}' {whereEn}. klab needs this read access (add verbs: [{verb}], resources: [{resource}] to a Role/ClusterRole).",
        }, { user, verb, res, resource, where: ns ? `네임스페이스 ${ns}` : '클러스터 범위', whereEn: ns ? `in namespace ${ns}` : 'cluster-wide' }));
      }
      return new CheckError(fill({ ko: '권한 없음 (403){what}: {msg}', en: 'Permission denied (403){what}: {msg}' }, { msg, what: what ? ` ${what}` : '' }));
    }
    return new CheckError(fill({ ko: 'API 서버 오류 {code}{what}: {msg}', en: 'API server error {code}{what}: {msg}' },
      { code: e.code, msg, what: what ? ` (${what})` : '' }));
  }
  const err = e as Error;
  return new CheckError(fill({ ko: 'klab 내부 오류: {msg}', en: 'klab internal error: {msg}' }, { msg: err?.message ?? String(e) }));
}

/** Run a read; 404 → null; anything else → CheckError. */
export async function getOrNull<T>(kc: KubeConfig, fn: () => Promise<T>, what = ''): Promise<T | null> {
  try { return await fn(); } catch (e) {
    if (isNotFound(e)) return null;
    throw toCheckError(e, kc, what);
  }
}

/** Run a read; any failure → CheckError. */
export async function read<T>(kc: KubeConfig, fn: () => Promise<T>, what = ''): Promise<T> {
  try { return await fn(); } catch (e) { throw toCheckError(e, kc, what); }
}

/** A quick "is anybody there" request with a short deadline (aborted for real), used by the runner before polling. */
export async function ping(kc: KubeConfig, timeoutMs = 5000): Promise<void> {
  const c = clients(kc);
  try {
    // Exactly its own deadline (KLAB_PROBE_TIMEOUT), not the longer minimum a check's requests get.
    await withDeadline(kc, Date.now() + timeoutMs, undefined, () => c.version.getCode(), Math.min(timeoutMs, MIN_REQUEST_MS));
  } catch (e) {
    // A 401/403 on /version still proves the server is there; probes will report the permission problem precisely.
    if (e instanceof k8s().ApiException) return;
    const ce = toCheckError(e, kc, 'GET /version');
    throw ce.unreachable ? ce : new CheckError(ce.text, true);
  }
}

export function labelSelectorOf(labels: Record<string, string> | undefined): string | undefined {
  if (!labels) return undefined;
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : undefined;
}

export function selectorMatches(sel: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  return Object.entries(sel).every(([k, v]) => labels?.[k] === v);
}

/** One set-based requirement (In/NotIn/Exists/DoesNotExist) against labels; an unknown operator allows. */
export function expressionMatches(e: { key: string; operator: string; values?: string[] }, labels: Record<string, string> | undefined): boolean {
  const v = labels?.[e.key];
  switch (e.operator) {
    case 'In': return v !== undefined && (e.values ?? []).includes(v);
    case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    default: return true;
  }
}

/** A metav1.LabelSelector (matchLabels and matchExpressions, all must hold) against labels. An empty selector matches all. */
export function labelSelectorMatches(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(sel?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v) && (sel?.matchExpressions ?? []).every((e) => expressionMatches(e, labels));
}

/** Pod selection shared by several kinds. */
export interface PodSelector {
  namespace?: string;
  deployment?: string;
  labels?: Record<string, string>;
  labelSelector?: string;
  name?: string;
}

export interface SelectedPods {
  pods: V1Pod[];
  namespace: string;
  /** "Deployment ns/web" or "pods app=web in ns" */
  what: Text;
  deployment?: K.V1Deployment;
  /** Set when the selection itself failed (e.g. the Deployment does not exist): a diagnosis. */
  problem?: Text;
}

export function describeSelector(sel: PodSelector, ns: string): Text {
  if (sel.deployment) return fill({ ko: 'Deployment {ns}/{name}', en: 'Deployment {ns}/{name}' }, { ns, name: sel.deployment });
  if (sel.name) return fill({ ko: '파드 {ns}/{name}', en: 'pod {ns}/{name}' }, { ns, name: sel.name });
  const s = sel.labelSelector ?? labelSelectorOf(sel.labels) ?? '';
  return fill({ ko: '네임스페이스 {ns}의 파드 ({s})', en: 'pods ({s}) in namespace {ns}' }, { ns, s: s || '*' });
}

/** Pods for a selector. For a Deployment: only the pods of its current ReplicaSet that are not terminating. */
export async function selectPods(kc: KubeConfig, sel: PodSelector, defaultNs: string): Promise<SelectedPods> {
  const ns = sel.namespace || defaultNs;
  const c = clients(kc);
  const what = describeSelector(sel, ns);
  if (sel.name) {
    const pod = await getOrNull(kc, () => c.core.readNamespacedPod({ name: sel.name!, namespace: ns }), `get pod ${ns}/${sel.name}`);
    if (!pod) return { pods: [], namespace: ns, what, problem: fill({ ko: '파드 {ns}/{name}{name:이/가} 없습니다.', en: 'Pod {ns}/{name} does not exist.' }, { ns, name: sel.name }) };
    return { pods: [pod], namespace: ns, what };
  }
  if (sel.deployment) {
    const dep = await getOrNull(kc, () => c.apps.readNamespacedDeployment({ name: sel.deployment!, namespace: ns }), `get deployment ${ns}/${sel.deployment}`);
    if (!dep) {
      const list = await read(kc, () => c.apps.listNamespacedDeployment({ namespace: ns }), `list deployments in ${ns}`);
      const names = list.items.map((d) => d.metadata?.name).filter(Boolean).join(', ') || '-';
      return { pods: [], namespace: ns, what, problem: fill({
        ko: 'Deployment {ns}/{name}{name:이/가} 없습니다 (이 네임스페이스의 Deployment: {names}).',
        en: 'Deployment {ns}/{name} does not exist (Deployments in this namespace: {names}).',
      }, { ns, name: sel.deployment, names }) };
    }
    const labelSelector = labelSelectorOf(dep.spec?.selector?.matchLabels);
    const [rsList, podList] = await Promise.all([
      read(kc, () => c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector }), `list replicasets in ${ns}`),
      read(kc, () => c.core.listNamespacedPod({ namespace: ns, labelSelector }), `list pods in ${ns}`),
    ]);
    const rev = dep.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    const owned = rsList.items.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === dep.metadata?.uid));
    const current = owned.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === rev)
      ?? owned.sort((a, b) => Number(b.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) - Number(a.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0))[0];
    const pods = podList.items.filter((p) => !p.metadata?.deletionTimestamp
      && (!current || p.metadata?.ownerReferences?.some((o) => o.uid === current.metadata?.uid)));
    return { pods, namespace: ns, what, deployment: dep };
  }
  const labelSelector = sel.labelSelector ?? labelSelectorOf(sel.labels);
  const list = await read(kc, () => c.core.listNamespacedPod({ namespace: ns, labelSelector }), `list pods in ${ns}`);
  return { pods: list.items.filter((p) => !p.metadata?.deletionTimestamp), namespace: ns, what };
}

/** Events about one object, oldest first, as evidence lines. */
export async function eventsFor(kc: KubeConfig, ns: string, kind: string, name: string, max = 10): Promise<Evidence | null> {
  const c = clients(kc);
  let list: K.CoreV1EventList;
  try {
    list = await c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` });
  } catch { return null; } // evidence is best effort
  const when = (e: CoreV1Event) => String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '');
  const items = list.items.sort((a, b) => when(a).localeCompare(when(b))).slice(-max);
  if (!items.length) return null;
  return {
    kind: 'events',
    title: fill({ ko: '{kind} {name}의 이벤트', en: 'Events of {kind} {name}' }, { kind, name }),
    lines: items.map((e) => `${e.type ?? ''} ${e.reason ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}: ${(e.message ?? '').trim()}`),
  };
}

/** The last `lines` log lines of a container (previous instance when `previous`), as evidence. */
export async function logTail(kc: KubeConfig, ns: string, pod: string, container: string, previous = false, lines = 20): Promise<Evidence | null> {
  const c = clients(kc);
  try {
    const text = await c.core.readNamespacedPodLog({ name: pod, namespace: ns, container, tailLines: lines, previous });
    const ls = String(text ?? '').replace(/\n$/, '').split('\n');
    if (ls.length === 1 && ls[0] === '') return null;
    return {
      kind: 'logs',
      title: fill(previous
        ? { ko: '{pod}/{container} 직전 컨테이너 로그 (마지막 {n}줄)', en: 'Logs of the previous {pod}/{container} (last {n} lines)' }
        : { ko: '{pod}/{container} 로그 (마지막 {n}줄)', en: 'Logs of {pod}/{container} (last {n} lines)' }, { pod, container, n: lines }),
      lines: ls.slice(-lines),
    };
  } catch { return null; }
}

/** Read a container's whole log (bounded), or throw CheckError. */
export async function readLog(kc: KubeConfig, ns: string, pod: string, container: string, limitBytes = 1 << 20): Promise<string> {
  const c = clients(kc);
  return String(await read(kc, () => c.core.readNamespacedPodLog({ name: pod, namespace: ns, container, limitBytes }), `logs ${ns}/${pod}/${container}`) ?? '');
}

export interface ExecResult { stdout: string; stderr: string; status: V1Status }

class Collect extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) { this.chunks.push(Buffer.from(chunk)); cb(); }
  text() { return Buffer.concat(this.chunks).toString('utf8'); }
}

/**
 * Run a command in a container and wait for it to finish. Resolves on the exec status callback (the only
 * reliable end signal), rejects when the socket closes or fails without a status, and after `timeoutMs`.
 */
export function execIn(kc: KubeConfig, ns: string, pod: string, container: string, command: string[], timeoutMs = 10000): Promise<ExecResult> {
  const exec = new (k8s().Exec)(kc);
  const out = new Collect();
  const err = new Collect();
  return new Promise<ExecResult>((resolve, reject) => {
    let done = false;
    let ws: { close(): void; on?: (ev: string, f: (...a: any[]) => void) => void } | undefined;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      f();
      try { ws?.close(); } catch { /* already closed */ }
    };
    const timer = setTimeout(() => finish(() => reject(new CheckError(fill({
      ko: '{pod}/{container}에서 명령 실행이 {s}초 안에 끝나지 않았습니다: {cmd}',
      en: 'Command in {pod}/{container} did not finish within {s}s: {cmd}',
    }, { pod, container, s: Math.round(timeoutMs / 1000), cmd: command.join(' ') })))), timeoutMs);
    // The check's deadline scope bounds the exec too.
    const scoped = currentSignal();
    scoped?.addEventListener('abort', () => finish(() => reject(toCheckError(scoped.reason, kc, `exec ${ns}/${pod}`))), { once: true });
    exec.exec(ns, pod, container, command, out, err, null, false, (status) => {
      // Output frames may still be in flight when the status arrives on its own channel: give them a tick.
      setImmediate(() => finish(() => resolve({ stdout: out.text(), stderr: err.text(), status })));
    }).then((socket) => {
      ws = socket as any;
      if (done) { try { socket.close(); } catch { /* ignore */ } return; }
      socket.on('close', () => setTimeout(() => finish(() => reject(new CheckError(fill({
        ko: '{pod}/{container}의 exec 연결이 종료 상태 없이 닫혔습니다.',
        en: 'The exec connection to {pod}/{container} closed without an exit status.',
      }, { pod, container })))), 50));
      socket.on('error', (e: Error) => finish(() => reject(toCheckError(e, kc, `exec ${ns}/${pod}`))));
    }, (e) => finish(() => reject(toCheckError(e, kc, `exec ${ns}/${pod}`))));
  });
}

/** Exit code of an exec status (0 on Success). */
export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause ? Number(cause.message) : -1;
}

export interface NodeInfo { name: string; labels: Record<string, string>; simulated: boolean; ready: boolean; taints: string[] }

/** Nodes by name. A node is "simulated" when kwok manages it (no containers really run there). */
export async function nodes(kc: KubeConfig): Promise<Map<string, NodeInfo>> {
  const c = clients(kc);
  const list = await read(kc, () => c.core.listNode({}), 'list nodes');
  const m = new Map<string, NodeInfo>();
  for (const n of list.items) {
    const ann = n.metadata?.annotations ?? {};
    const labels = n.metadata?.labels ?? {};
    const simulated = 'kwok.x-k8s.io/node' in ann || labels['type'] === 'kwok' || labels['klab.dev/simulated'] === 'true';
    const ready = !!n.status?.conditions?.some((cd) => cd.type === 'Ready' && cd.status === 'True');
    m.set(n.metadata!.name!, { name: n.metadata!.name!, labels, simulated, ready, taints: (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}`) });
  }
  return m;
}

export { NODEGROUP_LABEL } from '../cluster/nodegroups.js';
