// rollout: a Deployment is really rolled out (observedGeneration, updatedReplicas, availableReplicas — not just
// `rollout status`), with a given strategy, image, and a revision history that shows a rollback happened.
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind } from './registry.js';
import type { Spec } from './registry.js';
import { clients, getOrNull, read, labelSelectorOf, eventsFor, logTail } from './k8s.js';
import { diagnosePod } from './pod-health.js';
import { deploymentMotion, recentMotion, podsMotionLive, firstMotion } from './settle.js';
import type { V1Pod } from '@kubernetes/client-node';

const REV = 'deployment.kubernetes.io/revision';

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const ns: string = spec.namespace ?? ctx.namespace;
  const name: string = spec.deployment;
  const c = clients(ctx.kc);
  const dep = await getOrNull(ctx.kc, () => c.apps.readNamespacedDeployment({ name, namespace: ns }), `get deployment ${ns}/${name}`);
  if (!dep) {
    return { ok: false, settled: true, reasons: [fill({ ko: 'Deployment {ns}/{name}{name:이/가} 없습니다.', en: 'Deployment {ns}/{name} does not exist.' }, { ns, name })] };
  }
  const bad: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  let newPods: V1Pod[] = [];
  const want = dep.spec?.replicas ?? 1;
  const st = dep.status ?? {};
  const gen = dep.metadata?.generation ?? 0;
  const rev = Number(dep.metadata?.annotations?.[REV] ?? 0);
  const labelSelector = labelSelectorOf(dep.spec?.selector?.matchLabels);
  const rsList = await read(ctx.kc, () => c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector }), `list replicasets in ${ns}`);
  const owned = rsList.items.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === dep.metadata?.uid));
  const current = owned.find((rs) => Number(rs.metadata?.annotations?.[REV]) === rev);
  const history = owned.map((rs) => ({ rs: rs.metadata?.name, revision: Number(rs.metadata?.annotations?.[REV] ?? 0), history: rs.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], image: rs.spec?.template?.spec?.containers?.map((x) => x.image).join(',') }))
    .sort((a, b) => a.revision - b.revision);
  const observed = { generation: gen, observedGeneration: st.observedGeneration, replicas: want, updatedReplicas: st.updatedReplicas ?? 0, availableReplicas: st.availableReplicas ?? 0, totalReplicas: st.replicas ?? 0, revision: rev, strategy: dep.spec?.strategy, history };

  if (spec.rolledOut !== false) {
    const progressing = st.conditions?.find((x) => x.type === 'Progressing');
    const problems: string[] = [];
    if ((st.observedGeneration ?? 0) < gen) problems.push(`observedGeneration ${st.observedGeneration ?? 0} < generation ${gen}`);
    if ((st.updatedReplicas ?? 0) < want) problems.push(`updatedReplicas ${st.updatedReplicas ?? 0}/${want}`);
    if ((st.availableReplicas ?? 0) < want) problems.push(`availableReplicas ${st.availableReplicas ?? 0}/${want}`);
    if ((st.replicas ?? 0) > (st.updatedReplicas ?? 0)) problems.push(`${(st.replicas ?? 0) - (st.updatedReplicas ?? 0)} old replica(s) still running`);
    if (problems.length) {
      bad.push(fill({ ko: '롤아웃이 끝나지 않았습니다: {p}.', en: 'The rollout is not complete: {p}.' }, { p: problems.join(', ') }));
      if (progressing?.reason === 'ProgressDeadlineExceeded') bad.push(fill({ ko: '진행 기한을 넘겼습니다 (ProgressDeadlineExceeded): {m}', en: 'Progress deadline exceeded: {m}' }, { m: progressing.message ?? '' }));
      if (dep.spec?.paused) bad.push({ ko: 'Deployment가 일시 정지(paused) 상태입니다: `kubectl rollout resume`.', en: 'The Deployment is paused: `kubectl rollout resume`.' });
      // Why are the new pods not available?
      if (current) {
        const pods = await read(ctx.kc, () => c.core.listNamespacedPod({ namespace: ns, labelSelector }), `list pods in ${ns}`);
        const mine = pods.items.filter((p) => p.metadata?.ownerReferences?.some((o) => o.uid === current.metadata?.uid));
        newPods = mine;
        for (const p of mine.slice(0, 3)) {
          const d = diagnosePod(p);
          if (d.healthy) continue;
          bad.push(...d.reasons);
          hints.push(...d.hints);
          const ev = await eventsFor(ctx.kc, ns, 'Pod', p.metadata!.name!);
          if (ev) evidence.push(ev);
          if (ctx.capabilities.logs) for (const l of d.logs) { const e = await logTail(ctx.kc, ns, p.metadata!.name!, l.container, l.previous); if (e) evidence.push(e); }
        }
      }
    }
  }
  if (spec.replicas !== undefined && want !== spec.replicas) bad.push(fill({ ko: 'replicas: 기대 {want}, 실제 {got}', en: 'replicas: expected {want}, found {got}' }, { want: spec.replicas, got: want }));
  if (spec.strategy) {
    const s = dep.spec?.strategy ?? {};
    const type = s.type ?? 'RollingUpdate';
    if (spec.strategy.type && type !== spec.strategy.type) {
      bad.push(fill({ ko: '전략: 기대 {want}, 실제 {got} (spec.strategy.type)', en: 'strategy: expected {want}, found {got} (spec.strategy.type)' }, { want: spec.strategy.type, got: type }));
      if (spec.strategy.type === 'Recreate') hints.push({ ko: 'Recreate로 바꿀 때는 rollingUpdate 블록을 지워야 합니다: spec.strategy: {type: Recreate}', en: 'When switching to Recreate, remove the rollingUpdate block: spec.strategy: {type: Recreate}' });
    }
    for (const k of ['maxSurge', 'maxUnavailable'] as const) {
      if (spec.strategy[k] === undefined) continue;
      const got = (s.rollingUpdate as any)?.[k] ?? '25%';
      if (String(got) !== String(spec.strategy[k])) bad.push(fill({ ko: '{k}: 기대 {want}, 실제 {got}', en: '{k}: expected {want}, found {got}' }, { k: `spec.strategy.rollingUpdate.${k}`, want: spec.strategy[k], got }));
    }
  }
  if (spec.image) {
    const cs = dep.spec?.template?.spec?.containers ?? [];
    const ct = spec.container ? cs.find((x) => x.name === spec.container) : cs[0];
    if (!ct) bad.push(fill({ ko: '컨테이너 {c}가 없습니다.', en: 'There is no container {c}.' }, { c: spec.container }));
    else if (ct.image !== spec.image) bad.push(fill({ ko: '컨테이너 {c}의 이미지: 기대 {want}, 실제 {got}', en: 'image of container {c}: expected {want}, found {got}' }, { c: ct.name, want: spec.image, got: ct.image ?? '' }));
  }
  if (spec.rolledBack) {
    // `kubectl rollout undo` re-uses the old ReplicaSet: it gets the newest revision and remembers its old one.
    const h = current?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'];
    if (!h) {
      bad.push(fill({ ko: '롤백 흔적이 없습니다: 현재 ReplicaSet(리비전 {rev})은 이전 리비전을 다시 쓴 것이 아닙니다 (리비전 기록: {list}).', en: 'No rollback happened: the current ReplicaSet (revision {rev}) is not a re-used earlier revision (history: {list}).' },
        { rev, list: history.map((x) => `${x.revision}:${x.image}`).join(', ') || '-' }));
      hints.push(fill({ ko: '`kubectl rollout history deployment/{name}` 을 보고 `kubectl rollout undo deployment/{name}` 하세요.', en: 'Look at `kubectl rollout history deployment/{name}`, then `kubectl rollout undo deployment/{name}`.' }, { name }));
    }
  }
  const ok = bad.length === 0;
  const waitingFor = ok ? undefined
    : firstMotion(deploymentMotion(dep, newPods), recentMotion('Deployment', dep.metadata), await podsMotionLive(ctx.kc, newPods)) ?? undefined;
  const summary = fill({ ko: 'Deployment {ns}/{name}: 리비전 {rev}, 업데이트 {u}/{w}, 사용 가능 {a}/{w}', en: 'Deployment {ns}/{name}: revision {rev}, updated {u}/{w}, available {a}/{w}' },
    { ns, name, rev, u: st.updatedReplicas ?? 0, a: st.availableReplicas ?? 0, w: want });
  return { ok, settled: !waitingFor, waitingFor, reasons: [summary, ...bad], hints, evidence, observed };
}

registerKind({
  kind: 'rollout',
  description: { ko: 'Deployment 롤아웃 완료, 전략, 이미지, 롤백 기록', en: 'Deployment rolled out, strategy, image, rollback history' },
  properties: {
    deployment: { type: 'string', minLength: 1 },
    namespace: { type: 'string', minLength: 1 },
    rolledOut: { type: 'boolean' },
    replicas: { type: 'integer', minimum: 0 },
    image: { type: 'string', minLength: 1 },
    container: { type: 'string', minLength: 1 },
    strategy: {
      type: 'object', additionalProperties: false,
      properties: { type: { enum: ['Recreate', 'RollingUpdate'] }, maxSurge: { type: ['string', 'integer'] }, maxUnavailable: { type: ['string', 'integer'] } },
    },
    rolledBack: { type: 'boolean' },
  },
  required: ['deployment'],
  title: (s) => fill({ ko: 'Deployment {d} 롤아웃', en: 'Deployment {d} rollout' }, { d: s.deployment }),
  probe,
});
