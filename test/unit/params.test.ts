import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deriveParams, substitute } from '../../labs/_engine/params.js';

const defs = {
  token: { kind: 'token' as const, length: 10 },
  word: { kind: 'word' as const, from: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] },
  n: { kind: 'number' as const, min: 2, max: 5 },
  ns: { kind: 'template' as const, value: 'lab-{token}' },
};

test('same seed → same values; different seeds → different values', () => {
  const a = deriveParams('kim', 'i-m1', defs), b = deriveParams('kim', 'i-m1', defs), c = deriveParams('lee', 'i-m1', defs);
  assert.equal(a, b);
  assert.is.not(a.token, c.token);
  assert.is(a.token.length, 10);
  assert.match(a.token, /^[a-z0-9]{10}$/);
  assert.ok(defs.word.from.includes(a.word));
  assert.ok(Number(a.n) >= 2 && Number(a.n) <= 5);
  assert.is(a.ns, `lab-${a.token}`);
});

test('the lab id is part of the derivation', () => {
  assert.is.not(deriveParams('kim', 'i-m1', defs).token, deriveParams('kim', 'i-m2', defs).token);
});

test('substitute leaves unknown placeholders visible', () => {
  assert.is(substitute('{a}-{b}', { a: 'x' }), 'x-{b}');
});

test('no seeded value a trainee must copy mixes digits with the letters that look like them (O, I, l)', async () => {
  const { loadAllLabs } = await import('../../labs/_engine/load.js');
  const confusable = (v: string) => /\d/.test(v) && /[OIl]/.test(v);
  const bad: string[] = [];
  for (const lab of await loadAllLabs()) {
    for (const [name, d] of Object.entries(lab.def.params ?? {})) {
      for (const v of d.from ?? []) if (confusable(v)) bad.push(`${lab.def.id} ${name}: ${v}`);
      if (d.alphabet && confusable(d.alphabet)) bad.push(`${lab.def.id} ${name}: alphabet ${d.alphabet}`);
    }
  }
  assert.equal(bad, []);
});

test('substitute: {name:을/를} is the Korean particle that fits the filled value; unknown names stay as they are', () => {
  const p = { size: '911', word: 'hola', ns: 'hello-ab3c7', n: 'kim' };
  assert.is(substitute('`{size}`{size:을/를} 넘겼는지', p), '`911`을 넘겼는지');
  assert.is(substitute('{word}{word:을/를} · {ns}{ns:은/는} · {n}{n:이/가} · {word}{word:와/과}', p), 'hola를 · hello-ab3c7은 · kim이 · hola와');
  assert.is(substitute('{nope:을/를} {nope}', p), '{nope:을/를} {nope}');
});

test.run();
