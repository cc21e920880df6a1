// node-placement: all pods matching a selector run on nodes whose labels match (e.g. the PROTO-INFERENCE-NG group).
// Reports pod → node → group, and why a wrong one got there (no nodeSelector/affinity, one that also matches other
// groups, a key no node has — the notes' "Node-Selectors" patch); Pending pods show the scheduler's message.
import type { KubeConfig, V1Affinity, V1Pod } from '@kubernetes/client-node';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind, podSelectorSchema, podSelectorProblems, labelsSchema, labelMapProblems, tfill } from './registry.js';
import type { Spec } from './registry.js';
import { selectPods, nodes, NODEGROUP_LABEL, eventsFor, selectorMatches, expressionMatches } from './k8s.js';
import type { NodeInfo, PodSelector } from './k8s.js';
import { schedulerMessage } from './pod-health.js';
import { selectionMotion } from './settle.js';

export interface Placement { pod: string; node?: string; group?: string; ok: boolean; phase?: string }

/** Whether the required node-affinity terms allow node `n` (In/NotIn/Exists/DoesNotExist); undefined when there are none. */
export function requiredAffinityAllows(affinity: V1Affinity | undefined, n: NodeInfo): boolean | undefined {
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  return terms.some((t) => (t.matchExpressions ?? []).every((e) => expressionMatches(e, n.labels)));
}

function podConstraint(pod: V1Pod): string {
  const ns = pod.spec?.nodeSelector;
  const parts: string[] = [];
  if (ns && Object.keys(ns).length) parts.push(`nodeSelector {${Object.entries(ns).map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
  if (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution) parts.push('nodeAffinity (required)');
  return parts.join(' + ');
}

/** Why did this pod land on a node outside the wanted group? */
function whyWrong(pod: V1Pod, want: Record<string, string>, all: Map<string, NodeInfo>): Text {
  const c = podConstraint(pod);
  if (!c) {
    return {
      ko: 'nodeSelector도 node affinity도 없어 스케줄러가 아무 노드나 고를 수 있습니다.',
      en: 'It has neither a nodeSelector nor a node affinity, so the scheduler may pick any node.',
    };
  }
  const groups = new Set<string>();
  for (const n of all.values()) {
    const sel = pod.spec?.nodeSelector ?? {};
    const okSel = Object.entries(sel).every(([k, v]) => n.labels[k] === v);
    const okAff = requiredAffinityAllows(pod.spec?.affinity, n);
    if (okSel && okAff !== false && !selectorMatches(want, n.labels)) groups.add(n.labels[NODEGROUP_LABEL] ?? n.name);
  }
  return fill({
    ko: '{c}{c:이/가} 원하는 노드만이 아니라 다른 노드({groups})에도 맞습니다.',
    en: '{c} also matches other nodes ({groups}), not only the wanted ones.',
  }, { c, groups: [...groups].join(', ') || '?' });
}

export async function placementOf(kc: KubeConfig, pods: V1Pod[], want: Record<string, string>, ns: string): Promise<{ ok: boolean; placements: Placement[]; reasons: Text[]; hints: Text[]; evidence: Evidence[] }> {
  const all = await nodes(kc);
  const placements: Placement[] = [];
  const reasons: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  const wantStr = Object.entries(want).map(([k, v]) => `${k}=${v}`).join(',');
  let ok = true;
  const labelKeys = new Set<string>();
  for (const n of all.values()) for (const k of Object.keys(n.labels)) labelKeys.add(k);
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '?';
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) {
      ok = false;
      const msg = schedulerMessage(pod) ?? pod.status?.phase ?? 'Pending';
      placements.push({ pod: name, ok: false, phase: pod.status?.phase });
      reasons.push(fill({ ko: '{pod} → (노드 없음: Pending). 스케줄러: {msg}', en: '{pod} → (no node: Pending). Scheduler: {msg}' }, { pod: name, msg }));
      const unknown = Object.keys(pod.spec?.nodeSelector ?? {}).filter((k) => !labelKeys.has(k));
      for (const k of unknown) {
        const near = [...labelKeys].find((l) => l.toLowerCase().replace(/[^a-z]/g, '').includes(k.toLowerCase().replace(/[^a-z]/g, '').replace(/s$/, '')))
          ?? Object.keys(want)[0];
        reasons.push(fill({
          ko: "nodeSelector의 키 '{k}'는 어떤 노드에도 없는 레이블입니다 (patch의 키 이름 오타?). 예: '{near}'.",
          en: "The nodeSelector key '{k}' is a label no node has (a wrong key in the patch?). Did you mean '{near}'?",
        }, { k, near }));
      }
      const ev = await eventsFor(kc, ns, 'Pod', name);
      if (ev) evidence.push({ ...ev, kind: 'scheduler' });
      continue;
    }
    const n = all.get(nodeName);
    const group = n?.labels[NODEGROUP_LABEL];
    const good = !!n && selectorMatches(want, n.labels);
    placements.push({ pod: name, node: nodeName, group, ok: good, phase: pod.status?.phase });
    if (good) {
      reasons.push(fill({ ko: '{pod} → {node} → {group} ✓', en: '{pod} → {node} → {group} ✓' }, { pod: name, node: nodeName, group: group ?? '-' }));
    } else {
      ok = false;
      reasons.push(fill({ ko: '{pod} → {node} → {group}: 이 노드에는 {want} 레이블이 없습니다.', en: '{pod} → {node} → {group}: this node is not labelled {want}.' },
        { pod: name, node: nodeName, group: group ?? '-', want: wantStr }));
      if (n?.simulated) reasons.push(fill({ ko: '{node}{node:은/는} 시뮬레이션 노드(kwok)입니다: 컨테이너가 실제로 실행되지 않았습니다.', en: '{node} is a simulated node (kwok): its containers did not really run.' }, { node: nodeName }));
      reasons.push(whyWrong(pod, want, all));
    }
  }
  if (!ok) {
    hints.push(fill({
      ko: "파드 템플릿에 nodeSelector를 넣으세요. 예: kubectl patch deployment <이름> -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{{sel}}}}}}' (위치: spec.template.spec.nodeSelector). 이미 떠 있는 파드는 새로 만들어져야 옮겨집니다.",
      en: "Put a nodeSelector in the pod template, e.g. kubectl patch deployment <name> -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{{sel}}}}}}' (it lives at spec.template.spec.nodeSelector). Running pods move only when they are re-created.",
    }, { sel: Object.entries(want).map(([k, v]) => `"${k}":"${v}"`).join(',') }));
  }
  return { ok, placements, reasons, hints, evidence };
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const sel = spec.selector as PodSelector;
  const got = await selectPods(ctx.kc, sel, ctx.namespace);
  if (got.problem) return { ok: false, settled: true, reasons: [got.problem] };
  const min = spec.minPods ?? 1;
  if (got.pods.length < min) {
    const waitingFor = await selectionMotion(ctx.kc, got, min) ?? undefined;
    return { ok: false, settled: !waitingFor, waitingFor, observed: { pods: got.pods.length }, reasons: [tfill({ ko: '{what}: 파드가 {n}개뿐입니다 (최소 {min}개 필요).', en: '{what}: only {n} pod(s) found (at least {min} needed).' }, { what: got.what, n: got.pods.length, min })] };
  }
  const r = await placementOf(ctx.kc, got.pods, spec.nodeLabels, got.namespace);
  // A pod on the wrong node stays there; but a rollout in progress replaces pods (a fix may be on its way).
  const waitingFor = r.ok ? undefined : await selectionMotion(ctx.kc, got, min) ?? undefined;
  return {
    ok: r.ok, settled: !waitingFor, waitingFor, observed: { placements: r.placements },
    reasons: [tfill({ ko: '{what}: 파드 → 노드 → 노드 그룹', en: '{what}: pod → node → node group' }, { what: got.what }), ...r.reasons],
    hints: r.hints, evidence: r.evidence,
  };
}

registerKind({
  kind: 'node-placement',
  description: { ko: '파드가 원하는 레이블의 노드(노드 그룹)에서만 실행되는지', en: 'Pods run only on nodes with the wanted labels (node group)' },
  properties: {
    selector: podSelectorSchema,
    nodeLabels: { ...labelsSchema, minProperties: 1 },
    minPods: { type: 'integer', minimum: 0 },
  },
  required: ['selector', 'nodeLabels'],
  validate: (s) => [...podSelectorProblems(s.selector, '/selector'), ...(s.nodeLabels && typeof s.nodeLabels === 'object' ? labelMapProblems(s.nodeLabels, '/nodeLabels') : [])],
  title: (s) => fill({ ko: '파드가 {labels} 노드에서 실행', en: 'Pods run on {labels} nodes' }, { labels: Object.values(s.nodeLabels ?? {}).join(',') }),
  probe,
});
