// answer: the trainee's answer to a question equals the value derived from the lab's seed. Normalised (Unicode
// NFC, trimmed, inner whitespace collapsed, surrounding quotes/backticks dropped, case-insensitive unless told
// otherwise). The expected value is never revealed: not in the message, not in `observed`.
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
  const g = normaliseAnswer(given, cs);
  if (accepted.some((a) => normaliseAnswer(a, cs) === g)) {
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
