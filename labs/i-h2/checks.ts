// i-h2's code checks. The run checks are the `workflow` kind (checkers/workflow.ts) with expectations klab computes
// itself from the seed (shared.ts `compute`: the result the given program prints for the seeded input); the template
// checks read the trainee's WorkflowTemplate:
//  - template: in the lab namespace (else: where it is), a parameter batch-size with a default, a python step, and
//    an output `result` (an output parameter, or a script step's outputs.result that a template references);
//  - template-lint: Argo's own validation, `argo lint --offline` on the template as stored (skip without the CLI);
//  - template-placement: every step's nodeSelector/affinity (its own, else the workflow's) allows only
//    PROTO-INFERENCE-NG nodes of this cluster;
//  - peak: the answer read from the log, traced to the default run when it is that one's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Affinity } from '@kubernetes/client-node';
import type { Check, CheckContext, ProbeResult } from '../../checkers/types.js';
import { fill, type Text, josa } from '../../i18n/index.js';
import { clients, isNotFound, toCheckError, nodes as clusterNodes, NODEGROUP_LABEL, type NodeInfo } from '../../checkers/k8s.js';
import { requiredAffinityAllows } from '../../checkers/node-placement.js';
import { checkFromSpec } from '../../checkers/kinds.js';
import { normaliseAnswer } from '../../checkers/answer.js';
import { currentBinDir } from '../../cluster/local/tools.js';
import { compute, programOf, DEFAULT_SIZE, OUTPUT, GROUP, GROUP_LABEL } from './shared.js';

const A = { group: 'argoproj.io', version: 'v1alpha1' };

type Tmpl = { name: string; script?: any; container?: any; steps?: any; dag?: any; inputs?: any; outputs?: any; nodeSelector?: Record<string, string>; affinity?: V1Affinity };

/** The trainee's template, or a settled fail that says where it is instead. */
async function readTemplate(ctx: CheckContext, ns: string, name: string): Promise<{ obj: any } | { fail: ProbeResult }> {
  const c = clients(ctx.kc);
  try {
    return { obj: await c.custom.getNamespacedCustomObject({ ...A, namespace: ns, plural: 'workflowtemplates', name }) };
  } catch (e) {
    if (!isNotFound(e)) throw toCheckError(e, ctx.kc, `get workflowtemplate ${ns}/${name}`);
  }
  const reasons: Text[] = [fill({ ko: '네임스페이스 {ns}에 WorkflowTemplate {t}{t:이/가} 없습니다.', en: 'There is no WorkflowTemplate {t} in namespace {ns}.' }, { ns, t: name })];
  const hints: Text[] = [];
  try {
    const all: any = await c.custom.listClusterCustomObject({ ...A, plural: 'workflowtemplates', fieldSelector: `metadata.name=${name}` });
    const elsewhere = (all.items ?? []).map((x: any) => x.metadata?.namespace).filter((n: string) => n && n !== ns);
    if (elsewhere.length) {
      reasons.push(fill({ ko: '같은 이름의 템플릿이 다른 네임스페이스에 있습니다: {list}. 워크플로는 자기 네임스페이스의 템플릿만 씁니다.', en: 'A template of that name is in another namespace: {list}. A workflow only uses templates of its own namespace.' }, { list: elsewhere.join(', ') }));
      hints.push(fill({ ko: 'kubectl apply -n {ns} -f <파일> (파일의 metadata.namespace 도 확인하세요)', en: 'kubectl apply -n {ns} -f <file> (check metadata.namespace in the file too)' }, { ns }));
    }
  } catch { /* listing every namespace may be forbidden (EKS): say what we know */ }
  try {
    const here: any = await c.custom.listNamespacedCustomObject({ ...A, namespace: ns, plural: 'workflowtemplates' });
    const names = (here.items ?? []).map((x: any) => x.metadata?.name);
    if (names.length) reasons.push(fill({ ko: '{ns}에 있는 템플릿: {list} — 이름은 {t}이어야 합니다.', en: 'Templates in {ns}: {list} — the name must be {t}.' }, { ns, list: names.join(', '), t: name }));
  } catch (e) {
    if (isNotFound(e)) return { fail: { ok: false, reasons: [{ ko: 'Argo Workflows가 설치되어 있지 않습니다 (workflowtemplates.argoproj.io CRD 없음).', en: 'Argo Workflows is not installed (no workflowtemplates.argoproj.io CRD).' }] } };
  }
  return { fail: { ok: false, observed: { template: null }, reasons, hints } };
}

const podTemplates = (spec: any): Tmpl[] => (spec?.templates ?? []).filter((t: Tmpl) => t.script || t.container);
const image = (t: Tmpl) => String((t.script ?? t.container)?.image ?? '');

/** Where the template declares the parameter's default: workflow arguments, or the entrypoint's inputs. */
export function parameterDefault(spec: any, param: string): { declared: boolean; value?: string } {
  const arg = (spec?.arguments?.parameters ?? []).find((p: any) => p?.name === param);
  const entry = (spec?.templates ?? []).find((t: Tmpl) => t.name === spec?.entrypoint);
  const inp = (entry?.inputs?.parameters ?? []).find((p: any) => p?.name === param);
  const v = arg?.value ?? inp?.value ?? inp?.default;
  return { declared: !!(arg || inp), value: v === undefined ? undefined : String(v) };
}

/** Does the template expose `result`: an output parameter of that name, or a script step's result that is referenced? */
export function outputDeclared(spec: any, name = OUTPUT): 'parameter' | 'script-result' | 'unreferenced-script' | 'none' {
  const ts: Tmpl[] = spec?.templates ?? [];
  if (ts.some((t) => (t.outputs?.parameters ?? []).some((p: any) => p?.name === name))) return 'parameter';
  if (!ts.some((t) => t.script)) return 'none';
  const text = JSON.stringify(spec);
  return /(steps|tasks)(\.[\w-]+|\[['"][^'"]+['"]\])\.outputs\.result/.test(text) ? 'script-result' : 'unreferenced-script';
}

function templateCheck(p: Record<string, string>): Check {
  const ns = p.namespace, name = p.template, param = p.param;
  return {
    id: 'template', points: 10, timeout: 0,
    title: { ko: `WorkflowTemplate ${name}: 파라미터 ${param}(기본값), python 단계, 출력 ${OUTPUT}`, en: `WorkflowTemplate ${name}: parameter ${param} (with a default), a python step, output ${OUTPUT}` },
    async probe(ctx) {
      const got = await readTemplate(ctx, ns, name);
      if ('fail' in got) return got.fail;
      const spec = got.obj.spec ?? {};
      const bad: Text[] = [], hints: Text[] = [];
      const pd = parameterDefault(spec, param);
      if (!pd.declared) bad.push(fill({ ko: '파라미터 {k}{k:을/를} 선언하지 않았습니다 (spec.arguments.parameters).', en: 'It declares no parameter {k} (spec.arguments.parameters).' }, { k: param }));
      else if (pd.value === undefined) bad.push(fill({ ko: '파라미터 {k}에 기본값(value)이 없습니다.', en: 'Parameter {k} has no default value.' }, { k: param }));
      const pods = podTemplates(spec);
      const py = pods.filter((t) => /(^|\/)python(:|@|$)/.test(image(t)));
      if (!py.length) bad.push(fill({ ko: 'python 이미지로 코드를 실행하는 단계가 없습니다 (이미지: {list}).', en: 'No step runs the code with a python image (images: {list}).' }, { list: pods.map(image).join(', ') || '-' }));
      const out = outputDeclared(spec);
      if (out === 'none') bad.push(fill({ ko: '출력 {o}{o:이/가} 없습니다: 출력 파라미터 {o}도, 스크립트 단계의 outputs.result 도 없습니다.', en: 'It exposes no output {o}: no output parameter {o} and no script step outputs.result.' }, { o: OUTPUT }));
      if (out === 'unreferenced-script') {
        bad.push({ ko: '스크립트 단계의 outputs.result 를 아무 템플릿도 참조하지 않아 Argo 가 결과를 기록하지 않습니다.', en: 'No template references the script step\'s outputs.result, so Argo does not record the result.' });
        hints.push(fill({ ko: 'steps 템플릿이 스크립트 단계를 부르고 outputs.parameters 에 {o} (valueFrom.parameter: "{{steps.<단계>.outputs.result}}") 를 두세요.', en: 'Let a steps template call the script step and declare an output parameter {o} (valueFrom.parameter: "{{steps.<step>.outputs.result}}").' }, { o: OUTPUT }));
      }
      const observed = { template: `${ns}/${name}`, parameterDefault: pd.value ?? null, images: pods.map(image), output: out };
      if (bad.length) return { ok: false, observed, reasons: bad, hints };
      return { ok: true, observed, reasons: [fill({ ko: '{t}: {k} 기본값 {d}, 이미지 {img}, 출력 {o} ({how})', en: '{t}: {k} default {d}, image {img}, output {o} ({how})' }, { t: name, k: param, d: pd.value!, img: image(py[0]!), o: OUTPUT, how: out === 'parameter' ? 'output parameter' : 'outputs.result' })] };
    },
  };
}

/** The argo CLI klab can run: the local provider's build, else one on PATH. */
export function argoBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const local = join(currentBinDir(env), 'argo');
  if (existsSync(local)) return local;
  for (const dir of (env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'argo'))) return join(dir, 'argo');
  return undefined;
}

function lintCheck(p: Record<string, string>): Check {
  const ns = p.namespace, name = p.template;
  return {
    id: 'template-lint', points: 5, timeout: 0,
    title: { ko: `Argo 검증 통과 (argo lint, ${name})`, en: `Passes Argo's validation (argo lint, ${name})` },
    async probe(ctx) {
      const got = await readTemplate(ctx, ns, name);
      if ('fail' in got) return got.fail;
      const argo = argoBinary();
      if (!argo) return { ok: false, reasons: [], skip: { ko: 'argo CLI 가 없어 Argo 의 검증(argo lint)을 돌릴 수 없습니다 (klab doctor 가 설치 방법을 알려 줍니다).', en: 'No argo CLI here to run Argo\'s validation (argo lint); klab doctor shows how to install it.' } };
      const { status: _s, ...obj } = got.obj;
      if (obj.metadata) { delete obj.metadata.managedFields; }
      const dir = mkdtempSync(join(tmpdir(), 'klab-lint-'));
      try {
        const file = join(dir, `${name}.json`);
        writeFileSync(file, JSON.stringify(obj));
        const r = spawnSync(argo, ['lint', '--offline', '--kinds=workflowtemplates', '-o', 'simple', '--no-color', file], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, KUBECONFIG: join(dir, 'none') } });
        const lines = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').map((l) => l.replace(file, name).trim()).filter(Boolean);
        if (r.error) throw r.error;
        if (r.status === 0) return { ok: true, reasons: [fill({ ko: 'argo lint: {t} 에 문제가 없습니다.', en: 'argo lint: no problems in {t}.' }, { t: name })] };
        return { ok: false, observed: { lint: lines }, reasons: [fill({ ko: 'argo lint 가 거부했습니다: {e}', en: 'argo lint rejected it: {e}' }, { e: lines.slice(0, 5).join(' / ') || `exit ${r.status}` })] };
      } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

/** Why the template's pods could land outside the group, per pod-making template (empty: they cannot). */
export function placementProblems(spec: any, all: NodeInfo[]): Text[] {
  const bad: Text[] = [];
  const pods = podTemplates(spec);
  if (!pods.length) return [{ ko: '파드를 만드는 템플릿(script/container)이 없습니다.', en: 'No template makes a pod (script/container).' }];
  for (const t of pods) {
    // Argo: a template's own nodeSelector/affinity replaces the workflow's (spec.nodeSelector / spec.affinity).
    const sel: Record<string, string> = t.nodeSelector && Object.keys(t.nodeSelector).length ? t.nodeSelector : spec.nodeSelector ?? {};
    const aff: V1Affinity | undefined = t.affinity ?? spec.affinity;
    if (!Object.keys(sel).length && !aff?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution) {
      bad.push(fill({ ko: '단계 템플릿 {t}에 nodeSelector도 필수 node affinity도 없어 아무 노드에나 놓일 수 있습니다.', en: 'Step template {t} has neither a nodeSelector nor a required node affinity: its pods may land on any node.' }, { t: t.name }));
      continue;
    }
    const allowed = all.filter((n) => Object.entries(sel).every(([k, v]) => n.labels[k] === String(v)) && requiredAffinityAllows(aff, n) !== false);
    const others = [...new Set(allowed.filter((n) => n.labels[NODEGROUP_LABEL] !== GROUP).map((n) => n.labels[NODEGROUP_LABEL] ?? n.name))];
    if (!allowed.length) bad.push(fill({ ko: '단계 템플릿 {t}의 조건에 맞는 노드가 하나도 없습니다 (파드가 Pending 으로 남습니다).', en: 'No node matches step template {t}\'s constraints (its pods would stay Pending).' }, { t: t.name }));
    else if (others.length === new Set(allowed.map((n) => n.labels[NODEGROUP_LABEL] ?? n.name)).size) bad.push(fill({ ko: '단계 템플릿 {t}의 조건은 {g} 밖의 노드({o})만 허용합니다.', en: 'Step template {t}\'s constraints allow only nodes outside {g} ({o}).' }, { t: t.name, g: GROUP, o: others.join(', ') }));
    else if (others.length) bad.push(fill({ ko: '단계 템플릿 {t}의 조건이 {g} 밖의 노드({o})도 허용합니다.', en: 'Step template {t}\'s constraints also allow nodes outside {g} ({o}).' }, { t: t.name, g: GROUP, o: others.join(', ') }));
  }
  return bad;
}

function placementCheck(p: Record<string, string>): Check {
  const ns = p.namespace, name = p.template;
  return {
    id: 'template-placement', points: 5, timeout: 0, needs: ['nodeGroups'],
    title: { ko: `${name} 의 파드는 ${GROUP} 노드에만 놓임`, en: `${name}'s pods can only land on ${GROUP} nodes` },
    async probe(ctx) {
      const got = await readTemplate(ctx, ns, name);
      if ('fail' in got) return got.fail;
      const spec = got.obj.spec ?? {};
      const bad = placementProblems(spec, [...(await clusterNodes(ctx.kc)).values()]);
      if (bad.length) return { ok: false, reasons: bad, hints: [fill({ ko: 'spec.nodeSelector: {{l}: {g}} (워크플로 전체) 또는 단계 템플릿마다 nodeSelector/affinity', en: 'spec.nodeSelector: {{l}: {g}} (the whole workflow) or a nodeSelector/affinity per step template' }, { l: GROUP_LABEL, g: GROUP })] };
      return { ok: true, reasons: [fill({ ko: '모든 단계가 {g} 노드에만 놓입니다.', en: 'Every step can only land on {g} nodes.' }, { g: GROUP })] };
    },
  };
}

function peakCheck(p: Record<string, string>): Check {
  const pr = programOf(p);
  const want = compute(pr, Number(p.size)).peak;
  return {
    id: 'peak', points: 10, timeout: 0, needs: ['logs'],
    title: { ko: `${p.param}=${p.size} 실행의 로그에 찍힌 peak`, en: `The peak in the log of the run with ${p.param}=${p.size}` },
    async probe(ctx) {
      const given = ctx.answers.peak;
      if (given === undefined || given.trim() === '') {
        return { ok: false, observed: { answered: false }, reasons: [{ ko: "아직 답하지 않았습니다 (질문 'peak').", en: "Not answered yet (question 'peak')." }], hints: [{ ko: '`klab answer i-h2 peak <값>` 으로 답하세요.', en: 'Answer with `klab answer i-h2 peak <value>`.' }] };
      }
      const g = normaliseAnswer(given);
      if (g === want) return { ok: true, observed: { answered: true, correct: true }, reasons: [{ ko: "질문 'peak': 정답입니다.", en: "Question 'peak': correct." }] };
      const reasons: Text[] = [fill({ ko: "질문 'peak': 답 \"{g}\"은(는) 맞지 않습니다.", en: "Question 'peak': the answer \"{g}\" is not correct." }, { g: given.trim() })];
      if (g === compute(pr, Number(DEFAULT_SIZE)).peak) reasons.push(fill({ ko: '이 값은 {k}={d} (기본값) 로 실행한 워크플로의 peak 입니다. {k}={v} 로 실행한 워크플로의 로그를 읽으세요.', en: 'That is the peak of a run with {k}={d} (the default). Read the log of the run with {k}={v}.' }, { k: p.param, d: DEFAULT_SIZE, v: p.size }));
      return { ok: false, observed: { answered: true, correct: false }, reasons };
    },
  };
}

export default function checks(p: Record<string, string>): Check[] {
  const expected = compute(programOf(p), Number(p.size)).result;
  const run = (id: string, extra: Record<string, unknown>, title: Text): Check => checkFromSpec({ id, kind: 'workflow', fromTemplate: p.template, timeout: '40s', title, ...extra } as any, p);
  const wantParam = { [p.param]: p.size };
  return [
    templateCheck(p),
    lintCheck(p),
    placementCheck(p),
    run('run-succeeded', { phase: 'Succeeded' }, { ko: `${p.template} 에서 실행한 워크플로가 Succeeded`, en: `A workflow run from ${p.template} Succeeded` }),
    run('run-param', { phase: 'Succeeded', parameters: wantParam }, { ko: `${p.param}=${p.size}${josa(p.size, '을/를')} 넘겨 실행함 (기본값 아님)`, en: `It ran with ${p.param}=${p.size}, passed (not the default)` }),
    run('run-result', { phase: 'Succeeded', parameters: wantParam, result: expected }, { ko: `결과가 주어진 코드의 ${p.param}=${p.size} 결과와 같음`, en: `Its result is what the given code computes for ${p.param}=${p.size}` }),
    { ...run('run-on-group', { phase: 'Succeeded', nodeLabels: { [GROUP_LABEL]: GROUP } }, { ko: `워크플로의 파드가 ${GROUP} 에서 실행됨`, en: `The workflow's pods ran on ${GROUP}` }), needs: ['nodeGroups'] },
    // The program's own rejection (its message in the log), not any failure: an image that does not pull is not it.
    run('failed-run', { phase: 'Failed', logContains: 'must be a whole number' }, { ko: `프로그램이 거부하는 입력으로 실행해 실패한 워크플로`, en: 'A run that failed because the program rejected its input' }),
    peakCheck(p),
  ];
}
