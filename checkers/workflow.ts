// workflow: an Argo Workflow (optionally created from a WorkflowTemplate / ClusterWorkflowTemplate) reached a phase
// (Succeeded by default); every node's phase; an output parameter or the main container's logs contain a value;
// and optionally a node-placement sub-check for its pods. Argo CRs are read through CustomObjectsApi.
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind, labelsSchema, labelMapProblems } from './registry.js';
import type { Spec } from './registry.js';
import { clients, read, isNotFound, toCheckError, readLog, logTail } from './k8s.js';
import { placementOf } from './node-placement.js';

const G = 'argoproj.io', V = 'v1alpha1';

interface WfNode { id: string; name?: string; displayName?: string; type?: string; phase?: string; message?: string; templateName?: string; outputs?: { parameters?: { name: string; value?: string }[] }; hostNodeName?: string }

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const ns: string = spec.namespace ?? ctx.namespace;
  const c = clients(ctx.kc);
  const crdMissing = (): ProbeResult => ({ ok: false, settled: true, reasons: [{ ko: 'Argo Workflows가 설치되어 있지 않습니다 (workflows.argoproj.io CRD 없음).', en: 'Argo Workflows is not installed (no workflows.argoproj.io CRD).' }] });
  const list = async (labelSelector?: string): Promise<any[] | null> => {
    try {
      const r: any = await c.custom.listNamespacedCustomObject({ group: G, version: V, namespace: ns, plural: 'workflows', labelSelector });
      return r.items ?? [];
    } catch (e) {
      if (isNotFound(e)) return null; // a 404 on a list: the resource type does not exist
      throw toCheckError(e, ctx.kc, `list workflows in ${ns}`);
    }
  };
  let wf: any;
  if (spec.name) {
    try {
      wf = await c.custom.getNamespacedCustomObject({ group: G, version: V, namespace: ns, plural: 'workflows', name: spec.name });
    } catch (e) {
      if (!isNotFound(e)) throw toCheckError(e, ctx.kc, `get workflow ${ns}/${spec.name}`);
      if ((await list()) === null) return crdMissing();
    }
  } else {
    const labels: string[] = [];
    if (spec.labels) for (const [k, v] of Object.entries(spec.labels)) labels.push(`${k}=${v}`);
    const items = await list(labels.join(',') || undefined);
    if (items === null) return crdMissing();
    const picked = items.filter((w) => {
      if (!spec.fromTemplate) return true;
      const l = w.metadata?.labels ?? {};
      const ref = w.spec?.workflowTemplateRef;
      const key = spec.clusterTemplate ? 'workflows.argoproj.io/cluster-workflow-template' : 'workflows.argoproj.io/workflow-template';
      return l[key] === spec.fromTemplate || (ref?.name === spec.fromTemplate && !!ref.clusterScope === !!spec.clusterTemplate);
    });
    // Newest first; but a later run that failed or is still running must not hide an earlier one that reached the
    // wanted phase (issue 14): the newest run in the wanted phase wins, else the newest run.
    const newest = picked.sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')));
    wf = newest.find((w) => (w.status?.phase ?? 'Pending') === (spec.phase ?? 'Succeeded')) ?? newest[0];
  }
  if (!wf) {
    // Each language gets its own sentence (the Korean one must not carry the English fragment).
    const missing = spec.fromTemplate && !spec.name
      ? fill({ ko: '네임스페이스 {ns}에 템플릿 {t}에서 만든 워크플로가 없습니다.', en: 'No workflow created from template {t} in namespace {ns}.' }, { ns, t: spec.fromTemplate })
      : fill({ ko: '네임스페이스 {ns}에 워크플로 {w}이(가) 없습니다.', en: 'No workflow {w} in namespace {ns}.' }, { ns, w: spec.name ?? '' });
    return {
      ok: false, settled: true, observed: { workflow: null },
      reasons: [missing],
      hints: [spec.fromTemplate
        ? fill({ ko: '`argo submit --from {kind}/{t} -n {ns}` 로 실행하세요.', en: 'Run it with `argo submit --from {kind}/{t} -n {ns}`.' }, { kind: spec.clusterTemplate ? 'clusterworkflowtemplate' : 'workflowtemplate', t: spec.fromTemplate, ns })
        : fill({ ko: '`argo submit -n {ns} <파일>` 로 실행하세요.', en: 'Run it with `argo submit -n {ns} <file>`.' }, { ns })],
    };
  }
  const name: string = wf.metadata.name;
  const phase: string = wf.status?.phase ?? 'Pending';
  const nodes: WfNode[] = Object.entries(wf.status?.nodes ?? {}).map(([id, n]: [string, any]) => ({ id, ...n }));
  const podNodes = nodes.filter((n) => n.type === 'Pod');
  const bad: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  const want = spec.phase ?? 'Succeeded';
  const reasons: Text[] = [fill({ ko: '워크플로 {ns}/{name}: {phase}', en: 'Workflow {ns}/{name}: {phase}' }, { ns, name, phase })];
  if (phase !== want) {
    bad.push(fill({ ko: '단계(phase): 기대 {want}, 실제 {phase}{msg}', en: 'phase: expected {want}, found {phase}{msg}' }, { want, phase, msg: wf.status?.message ? ` — ${wf.status.message}` : '' }));
    for (const n of podNodes.filter((x) => x.phase !== 'Succeeded')) {
      bad.push(fill({ ko: '  노드 {n} ({t}): {p}{m}', en: '  node {n} ({t}): {p}{m}' }, { n: n.displayName ?? n.name ?? n.id, t: n.templateName ?? '-', p: n.phase ?? '?', m: n.message ? ` — ${n.message}` : '' }));
      if (ctx.capabilities.logs && n.phase === 'Failed') {
        const pod = await podOf(ctx, ns, name, n);
        if (pod) { const e = await logTail(ctx.kc, ns, pod, 'main'); if (e) evidence.push(e); }
      }
    }
    if (phase === 'Running' || phase === 'Pending') hints.push({ ko: '아직 실행 중입니다: `argo watch` 로 지켜보세요.', en: 'It is still running: follow it with `argo watch`.' });
    else hints.push(fill({ ko: '`argo get {name} -n {ns}` 와 `argo logs {name} -n {ns}` 로 실패한 단계를 보세요.', en: 'Look at the failed step with `argo get {name} -n {ns}` and `argo logs {name} -n {ns}`.' }, { name, ns }));
  }
  const outputs: Record<string, string> = {};
  for (const p of wf.status?.outputs?.parameters ?? []) outputs[p.name] = p.value;
  for (const n of nodes) for (const p of n.outputs?.parameters ?? []) if (outputs[p.name] === undefined && p.value !== undefined) outputs[p.name] = p.value;
  for (const [k, v] of Object.entries((spec.outputs ?? {}) as Record<string, string>)) {
    if (outputs[k] === undefined) bad.push(fill({ ko: '출력 파라미터 {k}가 없습니다 (있는 것: {list}).', en: 'There is no output parameter {k} (there are: {list}).' }, { k, list: Object.keys(outputs).join(', ') || '-' }));
    else if (String(outputs[k]).trim() !== String(v).trim()) bad.push(fill({ ko: '출력 파라미터 {k}: 기대 "{v}", 실제 "{got}"', en: 'output parameter {k}: expected "{v}", found "{got}"' }, { k, v, got: outputs[k] }));
  }
  if (spec.logContains) {
    if (!ctx.capabilities.logs) {
      return { ok: false, skip: { ko: '이 클러스터에서는 컨테이너 로그를 읽을 수 없어 logContains를 확인할 수 없습니다.', en: 'This cluster cannot read container logs, so logContains cannot be checked.' }, reasons: [] };
    }
    let hit = false;
    for (const n of podNodes) {
      const pod = await podOf(ctx, ns, name, n);
      if (!pod) continue;
      const text = await readLog(ctx.kc, ns, pod, 'main').catch(() => '');
      if (text.includes(spec.logContains)) { hit = true; break; }
    }
    if (!hit) bad.push(fill({ ko: 'main 컨테이너 로그 어디에도 "{s}"가 없습니다.', en: 'No main container log contains "{s}".' }, { s: spec.logContains }));
  }
  let placements: unknown;
  if (spec.nodeLabels) {
    const pods = await read(ctx.kc, () => c.core.listNamespacedPod({ namespace: ns, labelSelector: `workflows.argoproj.io/workflow=${name}` }), `list pods in ${ns}`);
    if (!pods.items.length) {
      // Pods may be gone (podGC): fall back to the hostNodeName Argo recorded.
      const { nodes: nodeInfo } = await import('./k8s.js');
      const all = await nodeInfo(ctx.kc);
      const wrong = podNodes.filter((n) => n.hostNodeName && !Object.entries(spec.nodeLabels).every(([k, v]) => all.get(n.hostNodeName!)?.labels[k] === v));
      placements = podNodes.map((n) => ({ node: n.displayName, host: n.hostNodeName }));
      for (const n of wrong) bad.push(fill({ ko: '노드 {n}이(가) {host}에서 실행되었습니다 (원하는 레이블 아님).', en: 'Step {n} ran on {host}, which lacks the wanted labels.' }, { n: n.displayName ?? n.id, host: n.hostNodeName ?? '?' }));
      if (!podNodes.some((n) => n.hostNodeName)) bad.push({ ko: '워크플로 파드가 없어 배치를 확인할 수 없습니다.', en: 'The workflow has no pods to check the placement of.' });
    } else {
      const r = await placementOf(ctx.kc, pods.items, spec.nodeLabels, ns);
      placements = r.placements;
      if (!r.ok) { bad.push(...r.reasons); hints.push(...r.hints); evidence.push(...r.evidence); }
      else reasons.push(...r.reasons);
    }
  }
  // A workflow that has not finished may still reach the wanted phase (or produce its outputs and logs).
  const finished = ['Succeeded', 'Failed', 'Error'].includes(phase);
  return {
    ok: bad.length === 0, reasons: [...reasons, ...bad], hints, evidence,
    settled: finished || phase === want,
    waitingFor: finished ? undefined : fill({ ko: '워크플로 {name} ({phase})', en: 'workflow {name} ({phase})' }, { name, phase }),
    observed: { workflow: name, phase, nodes: nodes.map((n) => ({ name: n.displayName, type: n.type, phase: n.phase })), outputs, placements },
  };
}

/** The pod name of a workflow node: label lookup (works for both Argo pod-naming schemes). */
async function podOf(ctx: CheckContext, ns: string, wf: string, n: WfNode): Promise<string | undefined> {
  const c = clients(ctx.kc);
  const pods = await read(ctx.kc, () => c.core.listNamespacedPod({ namespace: ns, labelSelector: `workflows.argoproj.io/workflow=${wf}` }), `list pods in ${ns}`);
  const hit = pods.items.find((p) => p.metadata?.annotations?.['workflows.argoproj.io/node-id'] === n.id || p.metadata?.name === n.id
    || p.metadata?.annotations?.['workflows.argoproj.io/node-name'] === n.name);
  return hit?.metadata?.name;
}

registerKind({
  kind: 'workflow',
  description: { ko: 'Argo 워크플로가 성공했는지, 출력/로그, 파드 배치', en: 'An Argo Workflow succeeded; outputs/logs; pod placement' },
  properties: {
    namespace: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    fromTemplate: { type: 'string', minLength: 1 },
    clusterTemplate: { type: 'boolean' },
    labels: labelsSchema,
    phase: { enum: ['Succeeded', 'Failed', 'Error', 'Running', 'Pending'] },
    outputs: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    logContains: { type: 'string', minLength: 1 },
    nodeLabels: { ...labelsSchema, minProperties: 1 },
  },
  validate: (s) => [
    ...(s.labels && typeof s.labels === 'object' ? labelMapProblems(s.labels, '/labels') : []),
    ...(s.nodeLabels && typeof s.nodeLabels === 'object' ? labelMapProblems(s.nodeLabels, '/nodeLabels') : []),
  ],
  title: (s) => fill({ ko: '워크플로 {w} 성공', en: 'Workflow {w} succeeded' }, { w: s.name ?? s.fromTemplate ?? '' }),
  probe,
});
