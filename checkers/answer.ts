// answer: the trainee's answer to a question equals the value derived from the lab's seed. Normalised (Unicode
// NFC, trimmed, inner whitespace collapsed, surrounding quotes/backticks dropped, case-insensitive unless told
// otherwise; a name may carry its kind in front: `secret/x`, `Secret x`). The expected value is never revealed: not
// in the message, not in `observed`.
import { fill } from '../i18n/index.js';
import type { CheckContext, ProbeResult } from './types.js';
import { registerKind, textSchema, asText } from './registry.js';
import type { Spec } from './registry.js';

export function normaliseAnswer(s: string, caseSensitive = false): string {
  let v = s.normalize('NFC').trim().replace(/\s+/g, ' ');
  const q = /^(["'`])(.*)\1$/s.exec(v);
  if (q) v = q[2].trim();
  return caseSensitive ? v : v.toLowerCase();
}

// Resource words kubectl prints or accepts in front of a name (`kubectl get … -o name` gives `secret/board-secrets`).
const KIND_WORDS = new Set(('pod pods po deployment deployments deploy replicaset replicasets rs statefulset statefulsets sts ' +
  'daemonset daemonsets ds job jobs cronjob cronjobs cj service services svc configmap configmaps cm secret secrets ' +
  'namespace namespaces ns node nodes no serviceaccount serviceaccounts sa persistentvolumeclaim persistentvolumeclaims pvc ' +
  'ingress ingresses ing role roles rolebinding rolebindings clusterrole clusterroles clusterrolebinding clusterrolebindings ' +
  'workflow workflows wf workflowtemplate workflowtemplates wftmpl cronworkflow cronworkflows cwf').split(' '));

/**
 * The name in an answer written as `kind/name` (`secret/board-secrets`, `deployment.apps/web`) or `Kind name`
 * (`Secret board-secrets`, as describe's Events say it); undefined when the answer has no known kind in front.
 */
export function nameWithoutKind(answer: string): string | undefined {
  const m = /^([A-Za-z][\w.-]*?)(?:\/|\s+)([^\s/]+)$/.exec(answer.normalize('NFC').trim().replace(/^(["'`])(.*)\1$/s, '$2').trim());
  return m && KIND_WORDS.has(m[1].toLowerCase().split('.')[0]) ? m[2] : undefined;
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const key: string = spec.answer ?? spec.id;
  const given = ctx.answers[key];
  const question = asText(spec.question);
  if (given === undefined || given.trim() === '') {
    return {
      ok: false, settled: true, observed: { answered: false },
      reasons: [fill({ ko: "아직 답하지 않았습니다 (질문 '{id}'{q}).", en: "Not answered yet (question '{id}'{qEn})." }, { id: key, q: question ? `: ${question.ko}` : '', qEn: question ? `: ${question.en}` : '' })],
      hints: [fill({ ko: '`klab answer {lab} {id} <답>` 으로 답하세요.', en: 'Answer with `klab answer {lab} {id} <answer>`.' }, { id: key, lab: ctx.params.lab ?? '<lab>' })],
    };
  }
  const accepted = (Array.isArray(spec.expect) ? spec.expect : [spec.expect]).map(String);
  const cs = !!spec.caseSensitive;
  // A bare expected name is also matched by the same name with its kind in front (secret/board-secrets).
  const given2 = nameWithoutKind(given);
  const forms = [normaliseAnswer(given, cs), ...(given2 ? [normaliseAnswer(given2, cs)] : [])];
  if (accepted.some((a) => forms.includes(normaliseAnswer(a, cs)))) {
    return { ok: true, observed: { answered: true, correct: true }, reasons: [fill({ ko: "질문 '{id}': 정답입니다.", en: "Question '{id}': correct." }, { id: key })] };
  }
  return {
    ok: false, settled: true, observed: { answered: true, correct: false },
    reasons: [fill({ ko: "질문 '{id}': 답 \"{g}\"은(는) 맞지 않습니다.", en: "Question '{id}': the answer \"{g}\" is not correct." }, { id: key, g: given.trim() })],
  };
}

registerKind({
  kind: 'answer',
  description: { ko: '질문에 대한 답 (시드에서 만든 값, 정규화 후 비교, 정답은 보여 주지 않음)', en: 'The answer to a question (seed-derived value, normalised, never revealed)' },
  properties: {
    question: textSchema,
    answer: { type: 'string', minLength: 1 },
    expect: { anyOf: [{ type: ['string', 'number'] }, { type: 'array', minItems: 1, items: { type: ['string', 'number'] } }] },
    caseSensitive: { type: 'boolean' },
  },
  required: ['expect'],
  defaultTimeoutMs: 0,
  title: (s) => asText(s.question) ?? fill({ ko: '질문 {id}', en: 'Question {id}' }, { id: s.answer ?? s.id }),
  probe,
});
