// workflow: an Argo Workflow (optionally created from a WorkflowTemplate / ClusterWorkflowTemplate) reached a phase
// (Succeeded by default); every node's phase; an output parameter, the workflow's result (`outputs.result` of a script
// step, or an output parameter `result`) or the main container's logs contain a value; the parameter values it really
// ran with (given, or the template's default); and optionally a node-placement sub-check for its pods. A failed run is
// diagnosed per failed step: its name, exit code, message and the last lines of its log. Argo CRs are read through
// CustomObjectsApi. The pure parts (workflowParameters, workflowResult, failedSteps) are unit-tested on recorded
// Workflow objects (test/unit/fixtures/workflows/).
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind, labelsSchema, labelMapProblems } from './registry.js';
import type { Spec } from './registry.js';
import { clients, read, isNotFound, toCheckError, readLog, logTail } from './k8s.js';
import { placementOf } from './node-placement.js';

const G = 'argoproj.io', V = 'v1alpha1';

interface WfNode {
  id: string; name?: string; displayName?: string; type?: string; phase?: string; message?: string; templateName?: string;
  inputs?: { parameters?: { name: string; value?: string }[] };
  outputs?: { parameters?: { name: string; value?: string }[]; result?: string; exitCode?: string };
  hostNodeName?: string; startedAt?: string; finishedAt?: string;
}

const nodesOf = (wf: any): WfNode[] => Object.entries(wf?.status?.nodes ?? {}).map(([id, n]: [string, any]) => ({ id, ...n }));

export interface RanWith { value: string; given: boolean }
/**
 * The workflow parameters a workflow ran with: the ones given at submission (`spec.arguments`, what `argo submit -p`
 * and a Workflow's arguments set), then the defaults of its template (`status.storedWorkflowTemplateSpec`, which Argo
 * records for a run of a WorkflowTemplate) or of its own spec. `given: false` marks a default.
 */
export function workflowParameters(wf: any): Record<string, RanWith> {
  const out: Record<string, RanWith> = {};
  for (const p of wf?.status?.storedWorkflowTemplateSpec?.arguments?.parameters ?? []) if (p?.name && p.value !== undefined) out[p.name] = { value: String(p.value), given: false };
  for (const p of wf?.spec?.arguments?.parameters ?? []) {
    if (!p?.name) continue;
    const fromTemplate = !!wf?.spec?.workflowTemplateRef;
    if (p.value !== undefined) out[p.name] = { value: String(p.value), given: fromTemplate || !(p.name in out) };
  }
  // A Workflow written out in full (no template): its own arguments are what it was given.
  if (!wf?.spec?.workflowTemplateRef) for (const k of Object.keys(out)) out[k] = { ...out[k]!, given: true };
  return out;
}

export interface WfResult { value: string; from: string }
/**
 * The result a workflow exposes: an output parameter `result` of the workflow (or of any step), else the
 * `outputs.result` of a script step (Argo records it only when a template references it). `from` says where.
 */
export function workflowResult(wf: any, name = 'result'): WfResult | undefined {
  const wfp = (wf?.status?.outputs?.parameters ?? []).find((p: any) => p?.name === name && p.value !== undefined);
  if (wfp) return { value: String(wfp.value), from: `workflow outputs.parameters.${name}` };
  if (wf?.status?.outputs?.result !== undefined) return { value: String(wf.status.outputs.result), from: 'workflow outputs.result' };
  const ns = nodesOf(wf).sort((a, b) => String(b.finishedAt ?? '').localeCompare(String(a.finishedAt ?? '')));
  for (const n of ns) {
    const p = n.outputs?.parameters?.find((x) => x.name === name && x.value !== undefined);
    if (p) return { value: String(p.value), from: `${n.displayName ?? n.id} outputs.parameters.${name}` };
  }
  for (const n of ns) if (n.type === 'Pod' && n.outputs?.result !== undefined) return { value: String(n.outputs.result), from: `${n.displayName ?? n.id} outputs.result` };
  return undefined;
}

export interface FailedStep { id: string; name: string; template: string; phase: string; exitCode?: string; message?: string; nodeName?: string }
/** The steps (pods) that failed or errored, oldest first: the first is usually the cause. */
export function failedSteps(wf: any): FailedStep[] {
  return nodesOf(wf)
    .filter((n) => n.type === 'Pod' && (n.phase === 'Failed' || n.phase === 'Error'))
    .sort((a, b) => String(a.startedAt ?? '').localeCompare(String(b.startedAt ?? '')))
    .map((n) => ({ id: n.id, name: n.displayName ?? n.name ?? n.id, template: n.templateName ?? '-', phase: n.phase!, exitCode: n.outputs?.exitCode, message: n.message, nodeName: n.name }));
}

/** Lines argoexec (the emissary) adds to the main container's log: its own log lines and its closing "Error: exit
 *  status N". The step's last words are the last line that is not one of these. */
export const argoExecLine = (l: string) => /\bargo=true\b/.test(l) || /^Error: exit status \d+$/.test(l.trim());

const showParams = (r: Record<string, RanWith>) => Object.entries(r).map(([k, v]) => `${k}=${v.value}`).join(', ');

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
    // Among those, one that ran with the wanted parameters wins over one that did not (a trial run with the default
    // must not hide the real one).
    const inPhase = newest.filter((w) => (w.status?.phase ?? 'Pending') === (spec.phase ?? 'Succeeded'));
    wf = inPhase.find((w) => paramsMatch(w, spec.parameters)) ?? inPhase[0] ?? newest.find((w) => paramsMatch(w, spec.parameters)) ?? newest[0];
  }
  if (!wf) {
    // Each language gets its own sentence (the Korean one must not carry the English fragment).
    const missing = spec.fromTemplate && !spec.name
      ? fill({ ko: '네임스페이스 {ns}에 템플릿 {t}에서 만든 워크플로가 없습니다.', en: 'No workflow created from template {t} in namespace {ns}.' }, { ns, t: spec.fromTemplate })
      : fill({ ko: '네임스페이스 {ns}에 워크플로 {w}{w:이/가} 없습니다.', en: 'No workflow {w} in namespace {ns}.' }, { ns, w: spec.name ?? '' });
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
  const nodes: WfNode[] = nodesOf(wf);
  const ranWith = workflowParameters(wf);
  const podNodes = nodes.filter((n) => n.type === 'Pod');
  const bad: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  const want = spec.phase ?? 'Succeeded';
  const shown = showParams(ranWith);
  const reasons: Text[] = [fill({ ko: '워크플로 {ns}/{name}: {phase}{p}', en: 'Workflow {ns}/{name}: {phase}{p}' }, { ns, name, phase, p: shown ? ` (${shown})` : '' })];
  const failed = failedSteps(wf);
  if (phase !== want) {
    bad.push(fill({ ko: '단계(phase): 기대 {want}, 실제 {phase}{msg}', en: 'phase: expected {want}, found {phase}{msg}' }, { want, phase, msg: wf.status?.message ? ` — ${wf.status.message}` : '' }));
    for (const n of podNodes.filter((x) => x.phase !== 'Succeeded' && x.phase !== 'Failed' && x.phase !== 'Error')) {
      bad.push(fill({ ko: '  노드 {n} ({t}): {p}{m}', en: '  node {n} ({t}): {p}{m}' }, { n: n.displayName ?? n.name ?? n.id, t: n.templateName ?? '-', p: n.phase ?? '?', m: n.message ? ` — ${n.message}` : '' }));
    }
  }
  // A run that did not reach the wanted phase: name each failed step, its exit code and the end of its log.
  for (const f of phase === want ? [] : failed) {
    let last = '';
    if (ctx.capabilities.logs) {
      const pod = await podOf(ctx, ns, name, nodes.find((n) => n.id === f.id)!);
      const e = pod ? await logTail(ctx.kc, ns, pod, 'main', false, 10) : null;
      if (e) { evidence.push(e); last = e.lines.filter((l) => l.trim() && !argoExecLine(l)).slice(-1)[0] ?? ''; }
    }
    const line = fill({ ko: '  단계 {n} (템플릿 {t}): {p}{code}{m}{last}', en: '  step {n} (template {t}): {p}{code}{m}{last}' }, {
      n: f.name, t: f.template, p: f.phase,
      code: f.exitCode !== undefined ? ` — exit code ${f.exitCode}` : '',
      m: f.message && !(f.exitCode !== undefined && /exit code \d+/.test(f.message) && f.message.length < 40) ? ` — ${f.message}` : '',
      last: last ? ` — log: "${last.length > 200 ? last.slice(0, 200) + '…' : last}"` : '',
    });
    bad.push(line);
  }
  if (phase !== want) {
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
  const result = workflowResult(wf);
  if (spec.result !== undefined) {
    const wantR = String(spec.result).trim();
    if (!result) {
      bad.push(phase === 'Succeeded'
        ? { ko: '워크플로는 성공했지만 결과(result)를 내놓지 않았습니다: 출력 파라미터 result 도, 스크립트 단계의 outputs.result 도 없습니다.', en: 'The workflow succeeded but exposes no result: neither an output parameter result nor a script step\'s outputs.result.' }
        : { ko: '워크플로에 결과(result)가 아직 없습니다.', en: 'The workflow has no result yet.' });
      if (phase === 'Succeeded') hints.push({ ko: '스크립트 단계의 outputs.result 는 다른 템플릿이 참조할 때만 기록됩니다 (예: steps 템플릿의 outputs.parameters 에 valueFrom.parameter: "{{steps.<단계>.outputs.result}}"). 아니면 출력 파라미터 result 를 파일 경로(valueFrom.path)에서 만드세요.', en: 'A script step\'s outputs.result is only recorded when another template references it (e.g. a steps template\'s outputs.parameters with valueFrom.parameter: "{{steps.<step>.outputs.result}}"). Or make an output parameter result from a file (valueFrom.path).' });
    } else if (result.value.trim() !== wantR) {
      bad.push(fill({ ko: '결과: 기대 "{v}", 실제 "{got}" ({from})', en: 'result: expected "{v}", found "{got}" ({from})' }, { v: wantR, got: result.value.trim().slice(0, 200), from: result.from }));
    } else reasons.push(fill({ ko: '결과 {v} ({from})', en: 'result {v} ({from})' }, { v: wantR, from: result.from }));
  }
  for (const [k, v] of Object.entries((spec.parameters ?? {}) as Record<string, string>)) {
    const got = ranWith[k];
    if (!got) bad.push(fill({ ko: '워크플로에 파라미터 {k}{k:이/가} 없습니다 (있는 것: {list}).', en: 'The workflow has no parameter {k} (it has: {list}).' }, { k, list: shown || '-' }));
    else if (got.value !== String(v)) {
      bad.push(got.given
        ? fill({ ko: '{k}={got} 로 실행되었습니다. 이 단계는 {k}={v} 를 요구합니다.', en: 'It ran with {k}={got}; the step asked for {k}={v}.' }, { k, got: got.value, v })
        : fill({ ko: '템플릿의 기본값 {k}={got} 로 실행되었습니다. 이 단계는 {k}={v} 를 요구합니다 — 실행할 때 값을 넘기지 않았습니다 (argo submit -p {k}={v}).', en: 'It ran with {k}={got} (the template\'s default: the parameter was not passed); the step asked for {k}={v} (argo submit -p {k}={v}).' }, { k, got: got.value, v }));
    } else if (!got.given) {
      bad.push(fill({ ko: '{k}={v} 이지만 넘긴 값이 아니라 템플릿의 기본값입니다. 실행할 때 값을 넘기세요 (argo submit -p {k}={v}).', en: '{k}={v}, but as the template\'s default, not passed: pass it when you submit (argo submit -p {k}={v}).' }, { k, v }));
    }
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
      const wantStr = Object.entries(spec.nodeLabels).map(([k, v]) => `${k}=${v}`).join(',');
      const { NODEGROUP_LABEL } = await import('./k8s.js');
      for (const n of wrong) {
        const host = all.get(n.hostNodeName!);
        bad.push(fill({ ko: '단계 {n} → {host} → {group}: 이 노드에는 {want} 레이블이 없습니다.', en: 'Step {n} → {host} → {group}: this node is not labelled {want}.' }, { n: n.displayName ?? n.id, host: n.hostNodeName ?? '?', group: host?.labels[NODEGROUP_LABEL] ?? '-', want: wantStr }));
        if (host?.simulated) bad.push(fill({ ko: '{node}{node:은/는} 시뮬레이션 노드(kwok)입니다: 컨테이너가 실제로 실행되지 않았습니다.', en: '{node} is a simulated node (kwok): its containers did not really run.' }, { node: host.name }));
      }
      if (!podNodes.some((n) => n.hostNodeName)) bad.push({ ko: '워크플로 파드가 없어 배치를 확인할 수 없습니다.', en: 'The workflow has no pods to check the placement of.' });
    } else {
      const r = await placementOf(ctx.kc, pods.items, spec.nodeLabels, ns);
      placements = r.placements;
      if (!r.ok) { bad.push(...r.reasons); hints.push(...r.hints); evidence.push(...r.evidence); }
      else reasons.push(...r.reasons);
    }
  }
  // A step "run" on a simulated (kwok) node did not really run: on `local`, a pod that no nodeSelector keeps on the
  // real node can land there and succeed at once. Say so (its result and logs cannot be real).
  const hosts = [...new Set(podNodes.map((n) => n.hostNodeName).filter((h): h is string => !!h))];
  if (hosts.length) {
    const { nodes: nodeInfo } = await import('./k8s.js');
    const all = await nodeInfo(ctx.kc);
    for (const n of podNodes) {
      if (n.hostNodeName && all.get(n.hostNodeName)?.simulated) {
        reasons.push(fill({ ko: '  단계 {n}: 시뮬레이션 노드 {h} (kwok) 에 놓였습니다 — 컨테이너가 실제로 실행되지 않았습니다.', en: '  step {n}: placed on the simulated node {h} (kwok) — its containers did not really run.' }, { n: n.displayName ?? n.id, h: n.hostNodeName }));
      }
    }
  }
  // A workflow that has not finished may still reach the wanted phase (or produce its outputs and logs).
  const finished = ['Succeeded', 'Failed', 'Error'].includes(phase);
  return {
    ok: bad.length === 0, reasons: [...reasons, ...bad], hints, evidence,
    settled: finished || phase === want,
    waitingFor: finished ? undefined : fill({ ko: '워크플로 {name} ({phase})', en: 'workflow {name} ({phase})' }, { name, phase }),
    observed: {
      workflow: name, phase, parameters: Object.fromEntries(Object.entries(ranWith).map(([k, v]) => [k, v.given ? v.value : `${v.value} (default)`])),
      nodes: nodes.map((n) => ({ name: n.displayName, type: n.type, phase: n.phase, ...(n.outputs?.exitCode !== undefined ? { exitCode: n.outputs.exitCode } : {}) })),
      outputs, result: result?.value, placements,
    },
  };
}

/** Did this workflow run with these parameter values, given at submission? (no wanted values: yes) */
function paramsMatch(wf: any, want?: Record<string, unknown>): boolean {
  if (!want) return true;
  const r = workflowParameters(wf);
  return Object.entries(want).every(([k, v]) => r[k]?.given && r[k]!.value === String(v));
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
    result: { type: ['string', 'number'] },
    parameters: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, minProperties: 1 },
    nodeLabels: { ...labelsSchema, minProperties: 1 },
  },
  validate: (s) => [
    ...(s.labels && typeof s.labels === 'object' ? labelMapProblems(s.labels, '/labels') : []),
    ...(s.nodeLabels && typeof s.nodeLabels === 'object' ? labelMapProblems(s.nodeLabels, '/nodeLabels') : []),
  ],
  title: (s) => fill({ ko: '워크플로 {w} 성공', en: 'Workflow {w} succeeded' }, { w: s.name ?? s.fromTemplate ?? '' }),
  probe,
});
