// Lab i-m1 (ConfigMap and Secret as environment variables) end to end through the CLI against the live test cluster:
// the pod really fails with CreateContainerConfigError naming the seeded Secret, the checks fail with the expected
// diagnoses, each known mistake (echo newline, double base64, no restart, wrong container, key case) fails exactly the
// named checks — verified inside the pod — the reference solution scores the maximum, reset leaves nothing labelled.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { trainee, timings, checkIn, paramsOf, answerAll as answerAllOf, podsOf, waitFor, leftovers as leftoversOf } from './_labs.js';
import { answers } from '../../labs/i-m1/solution.js';
import { tokenB64 } from '../../labs/i-m1/checks.js';
import type { CheckContext } from '../../checkers/types.js';

const LAB = 'i-m1';
const t = suite(`lab ${LAB}`);

const { figures, timed } = timings();
const koCheck = (tr: ReturnType<typeof trainee>, ...extra: string[]) => checkIn(tr, 'ko', LAB, ...extra);
const params = (seed: string) => paramsOf(LAB, seed);
const answerAll = (tr: ReturnType<typeof trainee>, p: Record<string, string>, given: Record<string, string> = {}) => answerAllOf(tr, LAB, { ...answers(p), ...given });
const leftovers = (seed: string) => leftoversOf(LAB, seed);

t('two seeds give different names and values; the token is Hangul like the notes\' 가나다', async () => {
  const a = await params('kim'), b = await params('lee');
  assert.is.not(a.namespace, b.namespace);
  assert.is.not(a.token, b.token);
  assert.match(a.token, /^[가-힣]{3}$/);
  assert.is(a.secret, `${a.app}-secrets`);
  assert.ok(['app', 'greeting', 'level', 'stage'].some((k) => a[k] !== b[k]));
  assert.is.not(answers(a)['token-b64'], answers(b)['token-b64']);
  // the notes' example: 가나다 with echo's newline is 6rCA64KY64ukCg==, without it 6rCA64KY64uk
  assert.is(Buffer.from('가나다\n').toString('base64'), '6rCA64KY64ukCg==');
  assert.is(answers({ ...a, token: '가나다' })['token-b64'], '6rCA64KY64uk');
});

t('token-b64 explains each wrong answer without revealing the right one', async () => {
  const p = await params('b64-unit');
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const judge = (a?: string) => tokenB64(p, { answers: a === undefined ? {} : { 'token-b64': a } } as unknown as CheckContext);
  const right = b64(p.token);
  assert.ok(judge(right).ok);
  assert.ok(judge(` "${right}" `).ok, 'quotes and spaces are tolerated');
  const cases: [string | undefined, string][] = [
    [undefined, 'Not answered yet'],
    [p.token, 'decoded value'],
    [b64(p.token + '\n'), 'plus a newline'],
    [b64(right), 'encoded twice'],
    ['AAAA', 'Copy data.TOKEN exactly'],
  ];
  for (const [a, why] of cases) {
    const r = judge(a);
    assert.not.ok(r.ok, String(a));
    const text = r.reasons.map((x) => x.en + x.ko).join(' ') + (r.hints ?? []).map((x) => x.en + x.ko).join(' ');
    assert.match(text, why);
    // (the trainee's own answer is echoed; …Cg== begins with the right answer, so look at the rest)
    assert.not.match(a === undefined ? text : text.split(a).join(''), right, 'the right answer is never shown');
  }
  assert.ok(judge(right.toLowerCase()).ok === false, 'base64 is case-sensitive');
  // A stale answer (the Secret's value before the trainee fixed it) is explained against the Secret as it is now.
  const stale = tokenB64(p, { answers: { 'token-b64': b64(p.token + '\n') } } as unknown as CheckContext, right);
  assert.not.ok(stale.ok);
  assert.match(stale.reasons[0].en, /before you fixed it/);
  assert.not.match(stale.reasons[0].en + (stale.hints ?? []).map((h) => h.en).join(' '), /echo -n/);
});

t('after start: CreateContainerConfigError naming the Secret; the checks fail with the expected diagnoses (exit 1)', async () => {
  const tr = trainee('i-m1-setup');
  const p = await params(tr.seed);
  try {
    const s = timed('start', () => tr.klab('start', LAB, '--no-guide'));
    assert.is(s.code, 0, s.stderr + s.stdout);
    const waiting = await waitFor('CreateContainerConfigError', async () => {
      const st = (await podsOf(p.namespace, p.app))[0]?.status?.containerStatuses?.find((c) => c.name === 'app');
      return st?.state?.waiting?.reason === 'CreateContainerConfigError' ? st.state.waiting : undefined;
    });
    assert.match(waiting.message ?? '', `secret "${p.secret}" not found`);
    const r = timed('check after start', () => tr.checkJson(LAB));
    assert.is(r.code, 1, r.stderr);
    const by = (id: string) => r.json!.checks.find((c) => c.id === id)!;
    assert.is(by('missing').status, 'fail');
    assert.match(by('missing').message, 'Not answered yet');
    assert.is(by('token-b64').status, 'fail');
    assert.match(by('token-b64').message, 'Not answered yet');
    for (const id of ['env-token', 'env-log-level', 'env-app-env']) {
      assert.is(by(id).status, 'fail', id);
      assert.match(by(id).message, `Secret \`${p.secret}\` not found`, id);
      assert.match(by(id).message, 'CreateContainerConfigError', id);
    }
    assert.match(by('env-token').hint ?? '', `kubectl create secret generic ${p.secret}`);
    assert.is(r.json!.score, 0);
    assert.is(r.json!.maxScore, 18);
    const ko = koCheck(tr, '--step', '2');
    assert.match(ko.checks[0].message, `Secret \`${p.secret}\`이(가) 없습니다`);
    // Answers: a right one passes; the decoded value is explained, never the right answer shown.
    assert.is(tr.klab('answer', LAB, 'missing', p.secret).code, 0);
    assert.is(tr.klab('answer', LAB, 'token-b64', p.token).code, 0);
    const a = tr.checkJson(LAB, '--step', '1');
    assert.is(a.json!.checks[0].status, 'pass');
    const b = tr.checkJson(LAB, '--step', '3');
    assert.is(b.json!.checks[0].status, 'fail');
    assert.match(b.json!.checks[0].message, 'That is the decoded value');
    assert.not.match(b.json!.checks[0].message, answers(p)['token-b64']);
  } finally {
    assert.is(tr.klab('reset', LAB).code, 0);
  }
});

// Its mistakes (labs/<lab>/mistakes/) run in the generic harness: test/integration/lab-mistakes.test.ts.

t('solve → check passes with the maximum score (exit 0), verified inside the pod; reset leaves nothing labelled', async () => {
  const tr = trainee('i-m1-solve');
  const p = await params(tr.seed);
  assert.is(tr.klab('start', LAB, '--no-guide').code, 0);
  const s = timed('solve', () => tr.klab('solve', LAB));
  assert.is(s.code, 0, s.stderr + s.stdout);
  assert.match(s.stdout, `create secret generic ${p.secret} '--from-literal=TOKEN=${p.token}'`);
  assert.match(s.stdout, `rollout restart deployment/${p.app}`);
  assert.match(s.stdout, `data.TOKEN = ${answers(p)['token-b64']}`);
  answerAll(tr, p);
  const r = timed('check after solve', () => tr.checkJson(LAB));
  assert.is(r.code, 0, r.stdout);
  assert.is(r.json!.score, r.json!.maxScore);
  for (const c of r.json!.checks) {
    assert.is(c.status, 'pass', c.id);
    if (c.id.startsWith('env-')) assert.is(c.verifiedBy, 'cluster', `${c.id} verified inside the pod`);
  }
  const reset = timed('reset', () => tr.klab('reset', LAB));
  assert.is(reset.code, 0, reset.stderr);
  assert.equal(await leftovers(tr.seed), []);
  assert.is(tr.klab('reset', LAB).code, 0, 'reset is idempotent');
  console.log(`  i-m1 figures: ${figures.join(', ')}`);
});

t.run();
