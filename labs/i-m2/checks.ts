// i-m2's code checks (the escape hatch) — what the declarative kinds cannot say:
//  - controller-placement / server-placement: the node-placement kind, plus *why* the pod template has no usable
//    nodeSelector (the notes' patch that the API server drops; a label value in the wrong case);
//  - workflow-defaults: the controller ConfigMap's workflowDefaults is a YAML string inside the ConfigMap: parse it
//    and evaluate its nodeSelector against the live nodes;
//  - test-workflow: the workflow kind — but only when the controller installed in the lab namespace can really run
//    workflows. klab's own cluster-wide controller is paused during the lab (setup, decision 0015), and on `local` the
//    group's simulated node is tainted so the pinned controller lands on the real node; only a cluster with no real
//    node in the group leaves it on a simulated node, where nothing runs: then the check is skipped, not failed.
import { parse as parseYaml } from 'yaml';
import type { Check, CheckContext, ProbeResult } from '../../checkers/types.js';
import type { Text } from '../../i18n/index.js';
import { fill } from '../../i18n/index.js';
import { checkFromSpec } from '../../checkers/kinds.js';
import { requiredAffinityAllows } from '../../checkers/node-placement.js';
import { clients, getOrNull, nodes, type NodeInfo } from '../../checkers/k8s.js';
import { NODEGROUP_LABEL, CONTROLLER, SERVER, CONFIGMAP } from './shared.js';

const show = (sel: Record<string, string>) => Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') || '{}';

/** Why a nodeSelector does not select exactly the group's nodes, or null when it does. */
function selectorProblem(sel: Record<string, string>, group: string, all: Map<string, NodeInfo>): Text | null {
  const list = [...all.values()];
  const matching = list.filter((n) => Object.entries(sel).every(([k, v]) => n.labels[k] === v));
  if (!matching.length) {
    for (const [k, v] of Object.entries(sel)) {
      if (list.some((n) => n.labels[k] === v)) continue;
      const near = list.map((n) => Object.entries(n.labels).find(([nk, nv]) => nk.toLowerCase() === k.toLowerCase() && nv.toLowerCase() === v.toLowerCase())).find(Boolean);
      if (near) {
        return fill({
          ko: "어떤 노드에도 {k}={v} 레이블이 없습니다. 노드에는 {nk}={nv} 가 있습니다: 레이블 키와 값은 대소문자를 구분합니다.",
          en: "No node is labelled {k}={v}. The nodes have {nk}={nv}: label keys and values are case-sensitive.",
        }, { k, v, nk: near[0], nv: near[1] });
      }
      return fill({ ko: '어떤 노드에도 {k}={v} 레이블이 없습니다 (kubectl get nodes --show-labels 로 확인하세요).', en: 'No node is labelled {k}={v} (see kubectl get nodes --show-labels).' }, { k, v });
    }
    return fill({ ko: '{s} 에 모두 맞는 노드가 없습니다.', en: 'No node matches all of {s}.' }, { s: show(sel) });
  }
  const others = matching.filter((n) => n.labels[NODEGROUP_LABEL] !== group);
  if (others.length) {
    return fill({ ko: '{s} 는 {group} 밖의 노드에도 맞습니다: {nodes}.', en: '{s} also matches nodes outside {group}: {nodes}.' },
      { s: show(sel), group, nodes: others.map((n) => `${n.name} (${n.labels[NODEGROUP_LABEL] ?? '-'})`).join(', ') });
  }
  return null;
}

const DROPPED_PATCH: Text = {
  ko: 'spec.template.spec.nodeSelector 가 비어 있습니다. nodeSelector 는 파드 템플릿의 spec 안에 들어가야 합니다. 노트의 '
    + '\'{"spec": {"template": {"Node-Selector": "node-group=A"}}}\' 처럼 spec.template 바로 아래에 키를 넣는 patch 는 오류가 나지 않습니다: '
    + 'API 서버가 모르는 필드를 버리고, kubectl 은 `Warning: unknown field "spec.template.Node-Selector"` 경고와 함께 "patched" (흔히 `patched (no change)`) 라고만 출력합니다.',
  en: 'spec.template.spec.nodeSelector is empty. The nodeSelector belongs in the pod template\'s spec. A patch that puts a key '
    + 'directly under spec.template, like the notes\' \'{"spec": {"template": {"Node-Selector": "node-group=A"}}}\', is not an error: '
    + 'the API server drops the unknown field, and kubectl only prints `Warning: unknown field "spec.template.Node-Selector"` next to "patched" (often `patched (no change)`).',
};

function placement(p: Record<string, string>, id: string, deployment: string): Check {
  const base = checkFromSpec({ id, kind: 'node-placement', selector: { deployment, namespace: p.namespace }, nodeLabels: { [NODEGROUP_LABEL]: p.group } }, p);
  return {
    ...base,
    title: fill({ ko: '{d} 파드가 {group} 노드에서만 실행', en: '{d} pods run only on {group} nodes' }, { d: deployment, group: p.group }),
    points: 10,
    timeout: 20_000,
    async probe(ctx) {
      const r = await base.probe(ctx);
      if (r.skip) return r;
      const dep = await getOrNull(ctx.kc, () => clients(ctx.kc).apps.readNamespacedDeployment({ name: deployment, namespace: p.namespace }), `get deployment ${p.namespace}/${deployment}`);
      if (!dep) return r;
      // Where may the pod template go? Pods that are on the group's nodes only by chance do not count.
      const spec = dep.spec?.template?.spec;
      const sel = spec?.nodeSelector ?? {};
      const all = await nodes(ctx.kc);
      const allowed = [...all.values()].filter((n) => Object.entries(sel).every(([k, v]) => n.labels[k] === v) && (requiredAffinityAllows(spec?.affinity, n) ?? true));
      const outside = allowed.filter((n) => n.labels[NODEGROUP_LABEL] !== p.group);
      let why: Text | null = null;
      if (allowed.length && !outside.length) why = null;
      else if (!Object.keys(sel).some((k) => k !== 'kubernetes.io/os')) why = DROPPED_PATCH;
      else if (!allowed.length) {
        const s = selectorProblem(sel, p.group, all);
        why = fill({ ko: 'Deployment {d} 의 nodeSelector {s}: {why}', en: 'Deployment {d} nodeSelector {s}: {why}' }, { d: deployment, s: show(sel), why: '' });
        why = s ? { ko: why.ko + s.ko, en: why.en + s.en } : { ko: why.ko + 'nodeSelector 와 affinity 를 모두 만족하는 노드가 없습니다.', en: why.en + 'no node satisfies both the nodeSelector and the affinity.' };
      } else {
        why = fill({ ko: 'Deployment {d} 의 파드 템플릿은 {group} 밖의 노드에도 갈 수 있습니다: {nodes}.', en: 'The pod template of Deployment {d} may also go to nodes outside {group}: {nodes}.' },
          { d: deployment, group: p.group, nodes: outside.map((n) => `${n.name} (${n.labels[NODEGROUP_LABEL] ?? '-'})`).join(', ') });
      }
      if (!why) return r;
      const reasons = [...r.reasons];
      if (r.ok) reasons.push(fill({ ko: '지금은 파드가 {group} 노드에 있지만 우연입니다: 파드 템플릿에는 그곳에 묶어 두는 것이 없습니다.', en: 'The pods are on {group} nodes now, but only by chance: nothing in the pod template keeps them there.' }, { group: p.group }));
      reasons.push(why);
      return { ...r, ok: false, settled: true, waitingFor: undefined, reasons, hints: r.hints?.length ? r.hints : [fill({ ko: "kubectl -n {ns} patch deployment {d} -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"{k}\":\"{g}\"}}}}}'", en: "kubectl -n {ns} patch deployment {d} -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"{k}\":\"{g}\"}}}}}'" }, { ns: p.namespace, d: deployment, k: NODEGROUP_LABEL, g: p.group })] };
    },
  };
}

function workflowDefaults(p: Record<string, string>): Check {
  const ns = p.namespace;
  const example = `workflowDefaults: |\n  spec:\n    nodeSelector:\n      ${NODEGROUP_LABEL}: ${p.group}`;
  const hints: Text[] = [fill({ ko: 'ConfigMap {cm} 의 data 에 다음을 넣으세요:\n{ex}', en: 'Put this in the data of ConfigMap {cm}:\n{ex}' }, { cm: CONFIGMAP, ex: example })];
  const fail = (reason: Text, observed?: unknown): ProbeResult => ({ ok: false, settled: true, reasons: [reason], hints, observed, verifiedBy: 'spec' });
  return {
    id: 'workflow-defaults',
    title: fill({ ko: 'workflowDefaults 가 워크플로 파드를 {group} 노드로 보냄', en: 'workflowDefaults send workflow pods to {group} nodes' }, { group: p.group }),
    points: 15,
    timeout: 0,
    async probe(ctx: CheckContext) {
      const cm = await getOrNull(ctx.kc, () => clients(ctx.kc).core.readNamespacedConfigMap({ name: CONFIGMAP, namespace: ns }), `get configmap ${ns}/${CONFIGMAP}`);
      if (!cm) return fail(fill({ ko: 'ConfigMap {ns}/{cm} 이 없습니다 (설치 매니페스트에 들어 있습니다).', en: 'ConfigMap {ns}/{cm} does not exist (the install manifest creates it).' }, { ns, cm: CONFIGMAP }));
      const raw = cm.data?.workflowDefaults;
      if (raw === undefined) {
        return fail(fill({
          ko: 'ConfigMap {cm} 에 workflowDefaults 키가 없습니다 (있는 키: {keys}). 컨트롤러 Deployment 의 nodeSelector 는 컨트롤러 파드만 옮깁니다: 워크플로가 만드는 파드는 여전히 아무 노드에나 뜹니다.',
          en: 'ConfigMap {cm} has no workflowDefaults key (keys: {keys}). The controller Deployment\'s nodeSelector moves only the controller\'s own pod: the pods workflows create still go to any node.',
        }, { cm: CONFIGMAP, keys: Object.keys(cm.data ?? {}).join(', ') || '-' }), { keys: Object.keys(cm.data ?? {}) });
      }
      let wd: any;
      try { wd = parseYaml(raw); } catch (e) {
        return fail(fill({ ko: 'workflowDefaults 가 올바른 YAML 이 아닙니다: {err}', en: 'workflowDefaults is not valid YAML: {err}' }, { err: (e as Error).message.split('\n')[0] }));
      }
      const sel = wd?.spec?.nodeSelector;
      // A required node affinity does the same job as a nodeSelector (issue 14: a correct alternative).
      const affinity = wd?.spec?.affinity;
      if ((!sel || typeof sel !== 'object') && affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution) {
        const all = await nodes(ctx.kc);
        const allowed = [...all.values()].filter((n) => requiredAffinityAllows(affinity, n));
        const outside = allowed.filter((n) => n.labels[NODEGROUP_LABEL] !== p.group);
        if (!allowed.length) return fail(fill({ ko: 'workflowDefaults.spec.affinity 의 nodeAffinity 를 만족하는 노드가 없습니다: 워크플로 파드는 Pending 으로 남습니다.', en: 'No node satisfies the nodeAffinity in workflowDefaults.spec.affinity: workflow pods would stay Pending.' }, {}), { affinity });
        if (outside.length) return fail(fill({ ko: 'workflowDefaults.spec.affinity 의 nodeAffinity 가 {group} 밖의 노드도 허용합니다: {nodes}.', en: 'The nodeAffinity in workflowDefaults.spec.affinity also allows nodes outside {group}: {nodes}.' }, { group: p.group, nodes: outside.map((n) => `${n.name} (${n.labels[NODEGROUP_LABEL] ?? '-'})`).join(', ') }), { affinity });
        return {
          ok: true, settled: true, verifiedBy: 'spec', observed: { affinity, nodes: allowed.map((n) => n.name) },
          reasons: [fill({ ko: 'workflowDefaults.spec.affinity (nodeAffinity, required) → {nodes} ({group})', en: 'workflowDefaults.spec.affinity (nodeAffinity, required) → {nodes} ({group})' }, { nodes: allowed.map((n) => n.name).join(', '), group: p.group })],
        };
      }
      if (!sel || typeof sel !== 'object') {
        const top = wd && typeof wd === 'object' ? Object.keys(wd) : [];
        if (wd?.nodeSelector) return fail({ ko: 'workflowDefaults 의 nodeSelector 가 맨 위에 있습니다. workflowDefaults 는 Workflow 의 일부이므로 spec: 아래에 두어야 합니다 (spec.nodeSelector).', en: 'workflowDefaults has nodeSelector at the top level. workflowDefaults is part of a Workflow, so it must be under spec: (spec.nodeSelector).' }, { keys: top });
        const odd = Object.keys(wd?.spec ?? {}).find((k) => k.toLowerCase().replace(/[^a-z]/g, '').startsWith('nodeselector'));
        if (odd) return fail(fill({ ko: "workflowDefaults.spec 의 '{k}' 는 Workflow 에 없는 필드라 컨트롤러가 무시합니다: 정확히 nodeSelector 여야 합니다.", en: "'{k}' in workflowDefaults.spec is not a Workflow field, so the controller ignores it: it must be exactly nodeSelector." }, { k: odd }));
        return fail({ ko: 'workflowDefaults 에 spec.nodeSelector 가 없습니다.', en: 'workflowDefaults has no spec.nodeSelector.' }, { keys: top });
      }
      const flat = Object.fromEntries(Object.entries(sel).map(([k, v]) => [k, String(v)]));
      const all = await nodes(ctx.kc);
      const why = selectorProblem(flat, p.group, all);
      if (why) return fail({ ko: `workflowDefaults.spec.nodeSelector ${show(flat)}: ${why.ko}`, en: `workflowDefaults.spec.nodeSelector ${show(flat)}: ${why.en}` }, { nodeSelector: flat });
      const hit = [...all.values()].filter((n) => Object.entries(flat).every(([k, v]) => n.labels[k] === v)).map((n) => n.name);
      return {
        ok: true, verifiedBy: 'spec', observed: { nodeSelector: flat, nodes: hit },
        reasons: [fill({ ko: 'workflowDefaults.spec.nodeSelector {s} → {nodes} ({group})', en: 'workflowDefaults.spec.nodeSelector {s} → {nodes} ({group})' }, { s: show(flat), nodes: hit.join(', '), group: p.group })],
      };
    },
  };
}

function testWorkflow(p: Record<string, string>): Check {
  const ns = p.namespace;
  const base = checkFromSpec({ id: 'test-workflow', kind: 'workflow', namespace: ns, phase: 'Succeeded', nodeLabels: { [NODEGROUP_LABEL]: p.group } }, p);
  return {
    ...base,
    title: fill({ ko: '시험 워크플로가 성공하고 파드가 {group} 노드에서 실행됨', en: 'A test workflow succeeded and its pods ran on {group} nodes' }, { group: p.group }),
    points: 10,
    timeout: 60_000,
    async probe(ctx) {
      // Can the controller installed in this namespace really run workflows here?
      const c = clients(ctx.kc);
      const dep = await getOrNull(ctx.kc, () => c.apps.readNamespacedDeployment({ name: CONTROLLER, namespace: ns }), `get deployment ${ns}/${CONTROLLER}`);
      const labelSelector = Object.entries(dep?.spec?.selector?.matchLabels ?? { app: CONTROLLER }).map(([k, v]) => `${k}=${v}`).join(',');
      const pods = (await c.core.listNamespacedPod({ namespace: ns, labelSelector })).items.filter((x) => !x.metadata?.deletionTimestamp && x.spec?.nodeName);
      const all = await nodes(ctx.kc);
      const onReal = pods.filter((x) => !all.get(x.spec!.nodeName!)?.simulated);
      if (pods.length && !onReal.length) {
        return {
          ok: false, reasons: [], observed: { controllerPods: pods.map((x) => ({ pod: x.metadata?.name, node: x.spec?.nodeName, simulated: true })) },
          skip: fill({
            ko: '{ns} 의 workflow-controller 파드가 시뮬레이션 노드({nodes})에 있어 실제로 워크플로를 돌릴 수 없습니다 (이 클러스터의 {group} 에는 실제 노드가 없습니다). 그래서 시험 워크플로는 여러분의 작업에 대해 아무것도 말해 주지 않으므로 채점하지 않습니다.',
            en: 'The workflow-controller pod of {ns} runs on a simulated node ({nodes}), so it cannot really run workflows (this cluster has no real node in {group}). A test workflow would say nothing about your work, so it is not graded.',
          }, { ns, group: p.group, nodes: [...new Set(pods.map((x) => x.spec!.nodeName!))].join(', ') }),
        };
      }
      return base.probe(ctx);
    },
  };
}

export default function checks(p: Record<string, string>): Check[] {
  return [placement(p, 'controller-placement', CONTROLLER), placement(p, 'server-placement', SERVER), workflowDefaults(p), testWorkflow(p)];
}
