// Signed results: the key file (0600, made once), sign/verify, and tampering with a score or one evidence line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KlabError } from '../../i18n/index.js';
import { canonical, defaultKeyFile, loadKey, sign, verify } from '../../grade/sign.js';
import { gradeAll } from '../../grade/grade.js';
import { tempDir } from './_cli.js';
import { entry, fakeGrader, helloSpec } from './_grade.js';

async function doc() {
  const { grader } = fakeGrader({ kim: { kind: 'wrong-value' }, lee: { kind: 'solved' } });
  return gradeAll([entry('kim', { name: '김민수' }), entry('lee')], { labs: [await helloSpec()], grader, concurrency: 2, timeoutMs: 5000 }, 'roster');
}

test('key file: created on first use with mode 0600 in klab\'s state dir, the same key afterwards', () => {
  const state = tempDir('klab-key-');
  const file = defaultKeyFile({ XDG_STATE_HOME: state });
  assert.is(file, join(state, 'klab', 'grade.key'));
  const a = loadKey(file, true);
  assert.ok(a.created);
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.equal(a.warnings, []);
  const b = loadKey(file, true);
  assert.not.ok(b.created);
  assert.is(b.id, a.id);
  assert.is(b.secret.toString(), a.secret.toString());
  chmodSync(file, 0o644);
  assert.match(loadKey(file, false).warnings[0].en, 'mode 644');
  try { loadKey(join(state, 'none.key'), false); assert.unreachable(); } catch (e) {
    assert.instance(e, KlabError);
    assert.is((e as KlabError).exitCode, 2);
    assert.match((e as KlabError).text.en, '--key');
  }
  writeFileSync(join(state, 'short.key'), 'abc\n', { mode: 0o600 });
  try { loadKey(join(state, 'short.key'), false); assert.unreachable(); } catch (e) { assert.match((e as KlabError).text.en, 'too short'); }
});

test('canonical JSON: key order does not matter, values do', () => {
  assert.is(canonical({ b: 1, a: [1, { d: 'x', c: null }] }), canonical({ a: [1, { c: null, d: 'x' }], b: 1 }));
  assert.is.not(canonical({ a: 1 }), canonical({ a: '1' }));
});

test('verify: untouched → ok; a score edited → detected; one evidence line edited → detected', async () => {
  const key = loadKey(join(tempDir('klab-key-'), 'k'), true);
  const signed = sign(await doc(), key);
  assert.is(signed.signature!.alg, 'HMAC-SHA256');
  assert.is(signed.signature!.keyId, key.id);
  // through JSON, as it would be on disk
  const disk = () => JSON.parse(JSON.stringify(signed, null, 2));
  assert.equal(verify(disk(), key), { ok: true });

  const score = disk();
  score.trainees[0].score = 20;
  assert.equal(verify(score, key), { ok: false, reason: 'tampered' });

  const check = disk();
  check.trainees[0].labs[0].checks[1].points = 10;
  assert.equal(verify(check, key), { ok: false, reason: 'tampered' });

  const evidence = disk();
  const ev = evidence.trainees[0].labs[0].checks[1].evidence[0];
  assert.equal(ev.lines[0], 'data.message: "hola\\n"');
  ev.lines[0] = 'data.message: "hola"';
  assert.equal(verify(evidence, key), { ok: false, reason: 'tampered' });

  const reordered = disk();
  reordered.trainees.reverse();
  assert.equal(verify(reordered, key), { ok: false, reason: 'tampered' }, 'order of trainees is content');

  const other = loadKey(join(tempDir('klab-key-'), 'k'), true);
  assert.equal(verify(disk(), other), { ok: false, reason: 'otherKey' });
  const unsigned = disk();
  delete unsigned.signature;
  assert.equal(verify(unsigned, key), { ok: false, reason: 'unsigned' });
  const forged = disk();
  forged.signature.value = forged.signature.value.replace(/^./, (c: string) => (c === 'a' ? 'b' : 'a'));
  assert.equal(verify(forged, key), { ok: false, reason: 'tampered' });
  const shortSig = disk();
  shortSig.signature.value = 'abcd';
  assert.equal(verify(shortSig, key), { ok: false, reason: 'tampered' });
});

test('re-signing a signed document replaces the signature (no signature inside the signed body)', async () => {
  const key = loadKey(join(tempDir('klab-key-'), 'k'), true);
  const once = sign(await doc(), key);
  const twice = sign(once, key);
  assert.equal(twice.signature, once.signature);
  assert.not.ok(readFileSync(key.file, 'utf8').includes('\0'));
});

test('result schema: what klab writes is valid; a signed file of another shape is refused (exit 2) after its signature', async () => {
  const { schemaProblem, readVerified } = await import('../../grade/merge.js');
  const { classDoc } = await import('./_grade.js');
  const key = loadKey(join(tempDir('klab-key-'), 'k'), true);
  const good = JSON.parse(JSON.stringify(sign(await classDoc(), key)));
  assert.is(await schemaProblem(good), undefined);
  const broken = JSON.parse(JSON.stringify(good));
  delete broken.trainees[0].labs[0].checks[0].counted;
  assert.match((await schemaProblem(broken))!, '/trainees/0/labs/0/checks/0');
  const dir = tempDir('klab-res-');
  writeFileSync(join(dir, 'broken.json'), JSON.stringify(sign(broken, key)));
  try { await readVerified(join(dir, 'broken.json'), key); assert.unreachable(); } catch (e) {
    assert.is((e as KlabError).exitCode, 2);
    assert.match((e as KlabError).text.en, "not a klab grade result file (/trainees/0/labs/0/checks/0 must have required property 'counted')");
  }
  writeFileSync(join(dir, 'good.json'), JSON.stringify(good));
  assert.is((await readVerified(join(dir, 'good.json'), key)).trainees.length, 6);
  writeFileSync(join(dir, 'v2.json'), JSON.stringify({ ...good, schemaVersion: 2 }));
  try { await readVerified(join(dir, 'v2.json'), key); assert.unreachable(); } catch (e) { assert.match((e as KlabError).text.en, 'schemaVersion 2'); }
});

test.run();
