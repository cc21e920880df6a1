// i-m1's code check: the base64 form of the token, as `kubectl get secret -o yaml` shows it. A declarative `answer`
// cannot compute base64 from a param, and the wrong answers trainees give have causes worth naming: the decoded
// value, the base64 of `echo` output (with its newline), the value encoded twice. The right answer is never shown.
import type { Check, CheckContext, ProbeResult } from '../../checkers/types.js';
import { fill } from '../../i18n/index.js';
import { normaliseAnswer } from '../../checkers/answer.js';
import { clients, getOrNull } from '../../checkers/k8s.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/**
 * Judge the answer. `current` is data.TOKEN of the Secret as it is now (undefined when it does not exist): a wrong
 * answer that was the Secret's value before the trainee fixed it is explained as such, not as a wrong Secret.
 */
export function tokenB64(p: Record<string, string>, ctx: CheckContext, current?: string): ProbeResult {
  const given = ctx.answers['token-b64'];
  if (given === undefined || given.trim() === '') {
    return {
      ok: false, observed: { answered: false },
      reasons: [{ ko: "아직 답하지 않았습니다 (질문 'token-b64': Secret 의 data.TOKEN).", en: "Not answered yet (question 'token-b64': data.TOKEN of the Secret)." }],
      hints: [fill({ ko: '`kubectl -n {ns} get secret {s} -o yaml` 을 보고 `klab answer i-m1 token-b64 <값>` 으로 답하세요.', en: 'Look at `kubectl -n {ns} get secret {s} -o yaml`, then answer with `klab answer i-m1 token-b64 <value>`.' }, { ns: p.namespace, s: p.secret })],
    };
  }
  const g = normaliseAnswer(given, true);
  const right = b64(p.token);
  if (g === right) return { ok: true, observed: { answered: true, correct: true }, reasons: [{ ko: "질문 'token-b64': 정답입니다 (data 에는 값이 base64 로 저장됩니다).", en: "Question 'token-b64': correct (data holds the value base64-encoded)." }] };
  const wrong = (ko: string, en: string): ProbeResult => ({ ok: false, observed: { answered: true, correct: false }, reasons: [fill({ ko: `질문 'token-b64': 답 "{g}" 은(는) 맞지 않습니다. ${ko}`, en: `Question 'token-b64': the answer "{g}" is not correct. ${en}` }, { g: given.trim() })] });
  if (g.normalize('NFC') === p.token.normalize('NFC')) {
    return wrong('그것은 파드 안에서 보이는 디코딩된 값입니다. -o yaml 의 data: 에는 base64 로 인코딩된 값이 보입니다.', 'That is the decoded value the pod sees; data: in -o yaml shows it base64-encoded.');
  }
  if (current === right && g !== right && (g === b64(p.token + '\n') || g === b64(right))) {
    return wrong('그것은 Secret 을 고치기 전의 값입니다. 지금 Secret 에는 올바른 값이 들어 있으니 `kubectl get secret ' + p.secret + ' -o yaml` 을 다시 보고 답하세요.', 'That was the Secret\'s value before you fixed it. The Secret holds the right value now: look again with `kubectl get secret ' + p.secret + ' -o yaml` and answer.');
  }
  if (g === b64(p.token + '\n')) {
    return wrong('그것은 값 끝에 줄바꿈을 더한 것의 base64 입니다 (끝이 "Cg==" — `echo` 가 줄바꿈을 붙입니다). Secret 을 `echo -n` 이나 --from-literal 로 다시 만드세요.', 'That is the base64 of the value plus a newline (it ends in "Cg==" — `echo` adds the newline). Re-create the Secret with `echo -n` or --from-literal.');
  }
  if (g === b64(right) || g === b64(b64(p.token + '\n'))) {
    return wrong('그것은 두 번 base64 로 인코딩된 값입니다: Secret 에 이미 인코딩한 값을 --from-literal (또는 stringData) 로 넣으면 한 번 더 인코딩됩니다.', 'That value is base64-encoded twice: an already encoded value given to --from-literal (or stringData) is encoded once more.');
  }
  return wrong('`kubectl get secret ' + p.secret + ' -o yaml` 의 data.TOKEN 을 그대로 옮기세요.', 'Copy data.TOKEN exactly as `kubectl get secret ' + p.secret + ' -o yaml` shows it.');
}

export default function checks(p: Record<string, string>): Check[] {
  return [{
    id: 'token-b64',
    title: { ko: 'Secret 의 data.TOKEN (base64) 을 읽음', en: 'Read data.TOKEN (base64) of the Secret' },
    points: 3,
    timeout: 0,
    async probe(ctx) {
      const answered = (ctx.answers['token-b64'] ?? '').trim() !== '';
      const secret = answered ? await getOrNull(ctx.kc, () => clients(ctx.kc).core.readNamespacedSecret({ name: p.secret, namespace: p.namespace }), `get secret ${p.namespace}/${p.secret}`) : null;
      return { ...tokenB64(p, ctx, secret?.data?.TOKEN), settled: true };
    },
  }];
}
