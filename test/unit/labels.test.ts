// The trainee label (decision 0029): every seed gets one valid, stable label value; different seeds differ.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { traineeLabel, labSelector, labLabels } from '../../labs/_engine/runtime.js';

const VALID = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

test('a seed that is a valid label value is used as it is', () => {
  for (const s of ['kim', 'trainee-07', 'a.b_c', 'x']) assert.is(traineeLabel(s), s);
});

test('any other seed gets a valid, stable, distinct value of at most 63 characters', () => {
  const seeds = ['kim@example.com', '김철수', '', '-lead', 'trail-', 'x'.repeat(64), 'a b', 'kim@example.org'];
  const seen = new Set<string>();
  for (const s of seeds) {
    const v = traineeLabel(s);
    assert.ok(VALID.test(v) && v.length > 0 && v.length <= 63, `${JSON.stringify(s)} → ${v}`);
    assert.is(traineeLabel(s), v, 'stable');
    assert.not.ok(seen.has(v), `distinct: ${v}`);
    seen.add(v);
  }
  assert.match(traineeLabel('kim@example.com'), /^kim-example\.com-[0-9a-f]{12}$/);
});

test('labels and selectors: this trainee\'s copy, or every copy', () => {
  assert.equal(labLabels('hello', 'kim'), { 'app.kubernetes.io/managed-by': 'klab', 'klab.dev/lab': 'hello', 'klab.dev/trainee': 'kim' });
  assert.is(labSelector('hello', 'kim'), 'klab.dev/lab=hello,klab.dev/trainee=kim');
  assert.is(labSelector('hello'), 'klab.dev/lab=hello');
});

test.run();
