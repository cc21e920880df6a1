// Settled or still moving: the one place that decides whether an observed state can change without the trainee
// acting. The runner stops polling at the first *settled* failure and keeps waiting (up to the check's timeout) only
// while something is moving. The rule that keeps it honest: when in doubt, a state is moving — so nothing that would
// pass after a wait is ever reported as a fail early (issue 11).
import type { KubeConfig, V1Deployment, V1ObjectMeta, V1Pod } from '@kubernetes/client-node';
import { clients, getOrNull, read } from './k8s.js';
import type { SelectedPods } from './k8s.js';
import { configErrorRef, diagnosePod } from './pod-health.js';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';

/** An object created or written this recently may still be acted on by controllers (ms). */
export const SETTLE_GRACE_MS = 3000;

/** What a probe saw move, or null when settled. */
export type Motion = Text | null;

const ms = (t: unknown) => (t ? new Date(t as string).getTime() : NaN);

/** The last time anyone wrote the object (creation, or the newest managedFields entry). */
export function lastWrite(meta: V1ObjectMeta | undefined): number {
  const times = [ms(meta?.creationTimestamp), ...(meta?.managedFields ?? []).map((f) => ms(f.time))].filter((n) => !Number.isNaN(n));
  return times.length ? Math.max(...times) : NaN;
}

/** Moving when the object was created or changed within the grace period (controllers may not have seen it yet). */
export function recentMotion(kind: string, meta: V1ObjectMeta | undefined, now = Date.now()): Motion {
  const t = lastWrite(meta);
  if (Number.isNaN(t) || now - t >= SETTLE_GRACE_MS) return null;
  return fill({ ko: '방금 바뀐 {kind} {name}', en: '{kind} {name}, changed just now' }, { kind, name: meta?.name ?? '?' });
}

const SETTLED_WAITING = /CrashLoopBackOff|ImagePullBackOff|ErrImagePull|InvalidImageName|ErrImageNeverPull|CreateContainerConfigError|CreateContainerError|RunContainerError/;

/**
 * A pod is settled when it is healthy (Running and Ready, or Succeeded), Failed, unschedulable, or stuck in a
 * waiting reason that only the trainee can fix (crash loop, image pull, missing Secret/ConfigMap). It is moving
 * while it is terminating, being scheduled or created, initialising, or running but not yet Ready.
 */
export function podMotion(pod: V1Pod): Motion {
  const name = pod.metadata?.name ?? '?';
  if (pod.metadata?.deletionTimestamp) return fill({ ko: '종료 중인 파드 {pod}', en: 'pod {pod} terminating' }, { pod: name });
  const phase = pod.status?.phase ?? 'Pending';
  if (phase === 'Succeeded' || phase === 'Failed') return null;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  // A container that crashed at least once, or is stuck on something only the trainee can fix: settled.
  for (const cs of statuses) {
    const w = cs.state?.waiting;
    if (w && SETTLED_WAITING.test(w.reason ?? '')) return null;
    if (w && (cs.restartCount ?? 0) > 0 && cs.lastState?.terminated) return null;
  }
  if (phase === 'Pending') {
    const sched = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (sched?.status === 'False' && sched.reason === 'Unschedulable') return null;
    const creating = statuses.find((cs) => cs.state?.waiting);
    return fill({ ko: '파드 {pod} 시작 중 ({why})', en: 'pod {pod} starting ({why})' }, { pod: name, why: creating?.state?.waiting?.reason ?? (pod.spec?.nodeName ? 'ContainerCreating' : 'Pending') });
  }
  if (phase === 'Running') {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (ready) return null;
    // Running, not ready, and no container ever crashed: readiness may still come (we cannot tell a failing probe
    // from a slow one), so it is moving.
    return fill({ ko: '파드 {pod} 준비(Ready) 대기', en: 'pod {pod} becoming Ready' }, { pod: name });
  }
  return fill({ ko: '파드 {pod} ({phase})', en: 'pod {pod} ({phase})' }, { pod: name, phase });
}

/**
 * A Deployment is moving while its controller has not observed the latest spec, or a rollout is in progress that
 * can still finish: new pods not all updated/available, or old pods still running — unless it is paused or past its
 * progress deadline, or its new pods are stuck on something only the trainee can fix (`stuck`).
 */
export function deploymentMotion(dep: V1Deployment, newPods: V1Pod[] = []): Motion {
  const name = dep.metadata?.name ?? '?';
  const st = dep.status ?? {};
  const want = dep.spec?.replicas ?? 1;
  if ((st.observedGeneration ?? 0) < (dep.metadata?.generation ?? 0)) {
    return fill({ ko: 'Deployment {d}의 변경 반영', en: 'Deployment {d} to observe its change' }, { d: name });
  }
  const done = (st.updatedReplicas ?? 0) >= want && (st.availableReplicas ?? 0) >= want && (st.replicas ?? 0) <= (st.updatedReplicas ?? 0);
  if (done) return null;
  if (dep.spec?.paused) return null;
  if (st.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) return null;
  // New pods that cannot start without the trainee: the rollout will not finish by itself.
  if (newPods.length && newPods.every((p) => !podMotion(p) && !diagnosePod(p).healthy)) return null;
  return fill({ ko: 'Deployment {d} 롤아웃 (새 파드 {u}/{w} 준비, 전체 {t})', en: 'the rollout of {d}: {u}/{w} new pods ready, {t} in all' },
    { d: name, u: Math.min(st.updatedReplicas ?? 0, st.availableReplicas ?? 0), w: want, t: st.replicas ?? 0 });
}

/** The first motion of several, or null when all are settled. */
export function firstMotion(...ms: (Motion | undefined)[]): Motion {
  for (const m of ms) if (m) return m;
  return null;
}

/**
 * podMotion, plus one thing only the cluster can tell: a pod stuck in CreateContainerConfigError whose Secret or
 * ConfigMap (and key) now exists is moving — the kubelet retries and will start it.
 */
export async function podMotionLive(kc: KubeConfig, pod: V1Pod): Promise<Motion> {
  const m = podMotion(pod);
  if (m) return m;
  const ns = pod.metadata?.namespace ?? 'default';
  for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const w = cs.state?.waiting;
    if (w?.reason !== 'CreateContainerConfigError') continue;
    const ref = configErrorRef(w.message ?? '');
    if (!ref) continue;
    const c = clients(kc);
    const obj = ref.kind === 'secret'
      ? await getOrNull(kc, () => c.core.readNamespacedSecret({ name: ref.name, namespace: ns }), `get secret ${ns}/${ref.name}`)
      : await getOrNull(kc, () => c.core.readNamespacedConfigMap({ name: ref.name, namespace: ns }), `get configmap ${ns}/${ref.name}`);
    const data = obj ? { ...(obj as { data?: Record<string, string> }).data, ...(obj as { binaryData?: Record<string, string> }).binaryData } : undefined;
    if (obj && (!ref.key || (data && ref.key in data))) {
      return fill({ ko: '파드 {pod} 재시도 ({kind} {name}이 이제 있습니다)', en: 'pod {pod} retrying ({kind} {name} exists now)' }, { pod: pod.metadata?.name ?? '?', kind: ref.kind, name: ref.name });
    }
  }
  return null;
}

/** The first moving pod (live rules), or null. */
export async function podsMotionLive(kc: KubeConfig, pods: V1Pod[]): Promise<Motion> {
  for (const p of pods) { const m = await podMotionLive(kc, p); if (m) return m; }
  return null;
}

/** Any Deployment of the namespace still rolling out (pods that a selector does not find yet may be on their way). */
export async function namespaceMotion(kc: KubeConfig, ns: string): Promise<Motion> {
  const c = clients(kc);
  const deps = await read(kc, () => c.apps.listNamespacedDeployment({ namespace: ns }), `list deployments in ${ns}`);
  for (const d of deps.items) { const m = deploymentMotion(d) ?? recentMotion('Deployment', d.metadata); if (m) return m; }
  return null;
}

/** Motion of what a pod selector found: its Deployment's rollout, its pods, or (no pods yet) the namespace's Deployments. */
export async function selectionMotion(kc: KubeConfig, got: SelectedPods, minPods = 1): Promise<Motion> {
  if (got.problem) return null;
  if (got.deployment) {
    return firstMotion(deploymentMotion(got.deployment, got.pods), recentMotion('Deployment', got.deployment.metadata), await podsMotionLive(kc, got.pods));
  }
  if (got.pods.length < minPods) return namespaceMotion(kc, got.namespace);
  return (await podsMotionLive(kc, got.pods)) ?? namespaceMotion(kc, got.namespace);
}
