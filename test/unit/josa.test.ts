// The Korean particle after a filled value: chosen by how the value ends when read aloud.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { josa, endsInConsonant, fill } from '../../i18n/index.js';

test('Hangul: by the final consonant', () => {
  assert.is(josa('파파다', '이/가'), '가');
  assert.is(josa('가나닭', '이/가'), '이');
  assert.is(josa('시크릿', '을/를'), '을');
  assert.is(josa('컨피그맵', '은/는'), '은');
  assert.is(josa('노드', '와/과'), '와');
  assert.is(josa('파드들', '와/과'), '과');
});

test('digits by their Korean reading, acronyms letter by letter, words roughly as they sound', () => {
  const cases: [string, boolean][] = [
    ['3', true], ['2', false], ['10', true], ['1.35', false], ['v4.0.5', false], ['7', true], ['9', false],
    ['API', false], ['NG', false], ['PROTO-INFERENCE-NG', false], ['HTML', true], ['X', false], ['L', true],
    ['token', true], ['TOKEN', true], ['helm', true], ['annyeong', true], ['model', true],
    ['server', false], ['hello', false], ['board-secrets', false], ['config', false], ['pod', false],
    ['app', true], ['secret', true], ['web', true], ['busybox:1.35', false],
  ];
  for (const [w, want] of cases) assert.is(endsInConsonant(w), want, w);
});

test('quotes and punctuation after the value are skipped; nothing readable → the written-out form', () => {
  assert.is(josa("'i-m1'", '이/가'), '이');
  assert.is(josa('`hello`', '을/를'), '를');
  assert.is(josa('—', '이/가'), '이(가)');
});

test('fill chooses the particle for {name:pair}; English is untouched; unknown names stay visible', () => {
  const t = fill({ ko: "실습 '{id}'{id:이/가} 없습니다, {x:을/를}", en: "no lab '{id}'" }, { id: 'hello' });
  assert.is(t.ko, "실습 'hello'가 없습니다, {x:을/를}");
  assert.is(t.en, "no lab 'hello'");
  assert.is(fill({ ko: '{v}{v:은/는}', en: '' }, { v: 'i-m1' }).ko, 'i-m1은');
});

test('으로/로: 로 after a vowel or ㄹ, 으로 after other consonants; (으)로 when unsure; in fill and step texts', async () => {
  const cases: [string, string][] = [
    ['파일', '로'], ['서울', '로'], ['노드', '로'], ['컨테이너', '로'], ['값', '으로'], ['네임스페이스', '로'], ['토큰', '으로'],
    ['1', '로'], ['7', '로'], ['8', '로'], ['3', '으로'], ['2', '로'], ['10', '으로'],
    ['L', '로'], ['R', '로'], ['M', '으로'], ['API', '로'], ['model', '로'], ['token', '으로'], ['server', '로'], ['secret', '으로'],
  ];
  for (const [w, want] of cases) assert.is(josa(w, '으로/로'), want, w);
  assert.is(josa('—', '으로/로'), '(으)로');
  assert.is(fill({ ko: '{v}{v:으로/로} 바꿨습니다', en: 'changed to {v}' }, { v: 'prod' }).ko, 'prod로 바꿨습니다');
  const { substitute } = await import('../../labs/_engine/params.js');
  assert.is(substitute('값을 {n}{n:으로/로}', { n: '3' }), '값을 3으로');
});

test.run();
