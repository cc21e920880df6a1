// "Which object is not found?" answered the way kubectl names objects: secret/board-secrets, Secret board-secrets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nameWithoutKind } from '../../checkers/answer.js';
import { checkFromSpec } from '../../checkers/kinds.js';
import type { CheckContext } from '../../checkers/types.js';

test('nameWithoutKind: kind/name and "Kind name" give the name; anything else nothing', () => {
  assert.is(nameWithoutKind('secret/board-secrets'), 'board-secrets');
  assert.is(nameWithoutKind(' Secret board-secrets '), 'board-secrets');
  assert.is(nameWithoutKind('"configmap/board-config"'), 'board-config');
  assert.is(nameWithoutKind('deployment.apps/web'), 'web');
  assert.is(nameWithoutKind('cm shop-config'), 'shop-config');
  for (const v of ['board-secrets', 'docker.io/library/busybox:1.35', 'busybox:1.35', 'the secret board-secrets', 'foo/bar', 'secret/a/b']) {
    assert.is(nameWithoutKind(v), undefined, v);
  }
});

async function judge(answer: string, expect: string | string[], caseSensitive = false) {
  const c = checkFromSpec({ kind: 'answer', id: 'missing', points: 2, expect, caseSensitive } as never);
  const ctx = { answers: { missing: answer }, params: { lab: 'i-m1' } } as unknown as CheckContext;
  return (await c.probe(ctx)).ok;
}

test('the answer check accepts the name with its kind in front, and still rejects a wrong name', async () => {
  const expect = ['board-secrets', 'board-config'];
  for (const a of ['board-secrets', 'secret/board-secrets', 'Secret board-secrets', 'secrets/board-secrets', 'configmap/board-config']) assert.ok(await judge(a, expect), a);
  for (const a of ['secret/shop-secrets', 'board', 'pod/board-secrets-x', 'secret/', 'secret board-secrets extra']) assert.not.ok(await judge(a, expect), a);
  assert.not.ok(await judge('secret/Board-Secrets', 'board-secrets', true), 'case-sensitive stays case-sensitive');
  assert.ok(await judge('docker.io/library/busyboxx:1.35', ['busyboxx:1.35', 'docker.io/library/busyboxx:1.35'], true), 'an expected value with a slash still matches itself');
});

test.run();
