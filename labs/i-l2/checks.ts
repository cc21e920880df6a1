// i-l2's code checks (the escape hatch), for what lab.yaml cannot say:
//  - run-id: which run-id the trainee's workflow got (a template default applies silently when `-p` is forgotten);
//  - code: the expected answer is md5(run-id + salt), computed here, and a wrong answer is traced to the run-id
//    that printed it (the template's default, or another run in the namespace).
import type { Check, ProbeResult } from '../../checkers/types.js';
import { fill } from '../../i18n/index.js';
import { clients, isNotFound, toCheckError } from '../../checkers/k8s.js';
import { normaliseAnswer } from '../../checkers/answer.js';
import { ARGO, DEFAULT_RUN_ID, PARAM, codeFor, fromTemplate, runIdOf, effectiveRunIdOf } from './shared.js';

/** Workflows in the namespace, newest first; null when Argo's CRDs are missing. */
async function workflows(ctx: Parameters<Check['probe']>[0], ns: string): Promise<any[] | null> {
  try {
    const r: any = await clients(ctx.kc).custom.listNamespacedCustomObject({ ...ARGO, namespace: ns, plural: 'workflows' });
    return (r.items ?? []).sort((a: any, b: any) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')));
  } catch (e) {
    if (isNotFound(e)) return null;
    throw toCheckError(e, ctx.kc, `list workflows in ${ns}`);
  }
}

const noArgo: ProbeResult = { ok: false, reasons: [{ ko: 'Argo Workflows가 설치되어 있지 않습니다 (workflows.argoproj.io CRD 없음).', en: 'Argo Workflows is not installed (no workflows.argoproj.io CRD).' }] };

export default function checks(p: Record<string, string>): Check[] {
  const ns = p.namespace, want = p.runid;
  return [
    {
      id: 'run-id',
      title: { ko: `워크플로가 ${PARAM}=${want} 로 실행됨`, en: `The workflow ran with ${PARAM}=${want}` },
      points: 10,
      timeout: 0,
      async probe(ctx) {
        const all = await workflows(ctx, ns);
        if (all === null) return noArgo;
        if (!all.length) {
          return { ok: false, observed: { workflows: 0 }, reasons: [fill({ ko: '네임스페이스 {ns} 에 워크플로가 하나도 없습니다.', en: 'There is no workflow in namespace {ns}.' }, { ns })] };
        }
        const fromT = all.filter((w) => fromTemplate(w, p.template));
        const pool = fromT.length ? fromT : all;
        const seen = pool.map((w) => ({ name: w.metadata.name as string, runId: runIdOf(w), ranWith: effectiveRunIdOf(w), fromTemplate: fromTemplate(w, p.template) }));
        const hit = seen.find((s) => s.runId === want);
        if (hit) return { ok: true, observed: { workflows: seen }, reasons: [fill({ ko: '워크플로 {w}: {k}={v}', en: 'Workflow {w}: {k}={v}' }, { w: hit.name, k: PARAM, v: want })] };
        const last = seen[0];
        let why;
        if (last.runId === undefined) {
          why = last.fromTemplate
            ? fill({ ko: '워크플로 {w} 에 {k} 값을 주지 않아 템플릿의 기본값 {d} 로 실행되었습니다. 실행할 때 -p {k}={v} (또는 spec.arguments.parameters) 로 값을 넘기세요.', en: 'Workflow {w} was given no {k}, so it ran with the template\'s default {d}. Pass the value when you submit: -p {k}={v} (or spec.arguments.parameters).' }, { w: last.name, k: PARAM, d: last.ranWith, v: want })
            : fill({ ko: '워크플로 {w} 의 spec.arguments.parameters 에 {k} 가 없습니다.', en: 'Workflow {w} has no {k} in spec.arguments.parameters.' }, { w: last.name, k: PARAM });
        } else if (last.runId.trim().toLowerCase() === want.toLowerCase()) {
          why = fill({ ko: '워크플로 {w}: {k} 가 "{got}" 입니다 — {v} 와 대소문자나 앞뒤 공백이 다릅니다. 파라미터 값은 글자 그대로 비교됩니다.', en: 'Workflow {w}: {k} is "{got}" — it differs from {v} in case or surrounding spaces. Parameter values are taken literally.' }, { w: last.name, k: PARAM, got: last.runId, v: want });
        } else {
          why = fill({ ko: '워크플로 {w}: {k} 가 기대값 {v} 가 아니라 "{got}" 입니다.', en: 'Workflow {w}: {k} is "{got}", not the expected {v}.' }, { w: last.name, k: PARAM, got: last.runId, v: want });
        }
        return {
          ok: false, observed: { workflows: seen }, reasons: [why],
          hints: [fill({ ko: '워크플로의 파라미터는 실행 후에는 바꿀 수 없습니다: 올바른 값으로 새로 실행하세요.', en: 'A workflow\'s parameters cannot change after it was submitted: submit a new one with the right value.' }, {})],
        };
      },
    },
    {
      id: 'code',
      title: { ko: `run-id=${want} 실행이 출력한 code`, en: `The code printed by the run with run-id=${want}` },
      points: 10,
      timeout: 0,
      needs: ['logs'],
      async probe(ctx) {
        const given = ctx.answers.code;
        if (given === undefined || given.trim() === '') {
          return {
            ok: false, observed: { answered: false },
            reasons: [{ ko: "아직 답하지 않았습니다 (질문 'code').", en: "Not answered yet (question 'code')." }],
            hints: [{ ko: '`klab answer i-l2 code <값>` 으로 답하세요.', en: 'Answer with `klab answer i-l2 code <value>`.' }],
          };
        }
        const g = normaliseAnswer(given);
        if (g === codeFor(want, p.salt)) return { ok: true, observed: { answered: true, correct: true }, reasons: [{ ko: "질문 'code': 정답입니다.", en: "Question 'code': correct." }] };
        // Whose code is it? The template's default run-id, or another run in the namespace.
        const runs = new Set<string>([DEFAULT_RUN_ID]);
        for (const w of (await workflows(ctx, ns)) ?? []) runs.add(effectiveRunIdOf(w));
        const other = [...runs].find((r) => r !== want && codeFor(r, p.salt) === g);
        const reasons = [fill({ ko: "질문 'code': 답 \"{g}\"은(는) 맞지 않습니다.", en: "Question 'code': the answer \"{g}\" is not correct." }, { g: given.trim() })];
        if (other) reasons.push(fill({ ko: '이 값은 run-id={o} 로 실행한 워크플로가 출력한 값입니다{d}. run-id={v} 로 실행한 워크플로의 로그를 읽으세요.', en: 'That is what a workflow run with run-id={o} prints{dEn}. Read the log of the workflow run with run-id={v}.' },
          { o: other, v: want, d: other === DEFAULT_RUN_ID ? ' (템플릿의 기본값)' : '', dEn: other === DEFAULT_RUN_ID ? ' (the template\'s default)' : '' }));
        return { ok: false, observed: { answered: true, correct: false, fromRunId: other }, reasons };
      },
    },
  ];
}
