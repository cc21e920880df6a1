import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeReleaseSecretData, decodeHelmPayload, manifestObjects } from '../../checkers/helm-decode.js';
import { pickLatest } from '../../checkers/helm-release.js';

// Release Secrets written by a real `helm install` / `helm upgrade` (see test/fixtures/helm/README.md).
const dir = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'test/fixtures/helm');
const secret = (v: number) => JSON.parse(readFileSync(join(dir, `release-dodo-v${v}.json`), 'utf8'));

test('fixtures are real Helm release Secrets', () => {
  const s = secret(1);
  assert.is(s.type, 'helm.sh/release.v1');
  assert.is(s.metadata.name, 'sh.helm.release.v1.dodo.v1');
  assert.equal({ owner: s.metadata.labels.owner, name: s.metadata.labels.name, version: s.metadata.labels.version }, { owner: 'helm', name: 'dodo', version: '1' });
});

test('decode revision 1: status, chart, user values, manifest, hook and its last run', async () => {
  const r = decodeReleaseSecretData(secret(1).data.release);
  assert.is(r.name, 'dodo');
  assert.is(r.version, 1);
  assert.is(r.namespace, 'chk-fixture');
  assert.is(r.info.status, 'superseded');
  assert.is(r.info.description, 'Install complete');
  assert.is(r.chart.metadata.name, 'django-tutorial');
  assert.is(r.chart.metadata.version, '0.3.1');
  assert.is((r.config as any).env, 'dev');
  const objs = await manifestObjects(r.manifest!);
  assert.equal(objs.map((o) => `${o.kind}/${o.name}`).sort(), ['ConfigMap/dodo-web-env', 'Deployment/dodo-web', 'Service/dodo-web']);
  assert.ok(objs.every((o) => o.source?.startsWith('django-tutorial/templates/')));
  assert.not.match(r.manifest!, 'SENTRY__DSN', 'dev values leave the prod-only key out');
  assert.match(r.manifest!, 'WEB__CROSS_ORIGIN__1');
  const hook = r.hooks!.find((h) => h.name === 'db-migration-job')!;
  assert.is(hook.kind, 'Job');
  assert.equal(hook.events, ['post-install']);
  assert.is(hook.last_run?.phase, 'Succeeded');
});

test('decode revision 2 (upgrade with values.prod.yaml)', () => {
  const r = decodeReleaseSecretData(secret(2).data.release);
  assert.is(r.version, 2);
  assert.is(r.info.status, 'deployed');
  assert.is(r.info.description, 'Upgrade complete');
  assert.is((r.config as any).env, 'prod');
  assert.is((r.config as any).replicas, 2);
  assert.match(r.manifest!, 'SENTRY__DSN: https://sentry.io/');
});

test('the two base64 layers and gzip are each required; garbage is an error, not a release', () => {
  const json = JSON.stringify({ name: 'x', info: { status: 'deployed' }, chart: { metadata: { name: 'c', version: '1' } }, version: 1 });
  const helmPayload = gzipSync(Buffer.from(json)).toString('base64');
  assert.is(decodeHelmPayload(helmPayload).name, 'x');
  assert.is(decodeReleaseSecretData(Buffer.from(helmPayload).toString('base64')).name, 'x');
  // Helm also reads records that were not gzipped
  assert.is(decodeHelmPayload(Buffer.from(json).toString('base64')).info.status, 'deployed');
  assert.throws(() => decodeReleaseSecretData(Buffer.from('not a release').toString('base64')));
  assert.throws(() => decodeHelmPayload(Buffer.from(JSON.stringify({ hello: 1 })).toString('base64')), /not a Helm release/);
});

test('hook weight and delete policy are in the release record (what helm-release hooks compare)', () => {
  const hook = decodeReleaseSecretData(secret(1).data.release).hooks!.find((h) => h.name === 'db-migration-job')!;
  assert.is(hook.weight, 5);
  assert.equal([...hook.delete_policies!].sort(), ['before-hook-creation', 'hook-succeeded']);
});

test('pickLatest: the newest revision from Secret storage and from ConfigMap storage (HELM_DRIVER=configmap)', () => {
  const s1 = secret(1), s2 = secret(2);
  assert.is(pickLatest([s1, s2], [])!.release.version, 2);
  assert.equal(pickLatest([s2, s1], [])!.revisions, [1, 2]);
  assert.is(pickLatest([s1], [])!.driver, 'secret');
  // The ConfigMap driver stores Helm's payload as is (no Kubernetes base64 on top), same labels.
  const asConfigMap = (s: any) => ({ metadata: { name: s.metadata.name, labels: { ...s.metadata.labels, owner: 'helm' } }, data: { release: Buffer.from(s.data.release, 'base64').toString('latin1') } });
  const cm = pickLatest([], [asConfigMap(s1), asConfigMap(s2)])!;
  assert.is(cm.driver, 'configmap');
  assert.is(cm.release.version, 2);
  assert.is((cm.release.config as any).env, 'prod');
  assert.is(pickLatest([], []), null);
  assert.is(pickLatest([s1, s2], [], 1)!.release.info.status, 'superseded', 'a given revision');
  assert.is(pickLatest([s1, s2], [], 7), null);
  assert.is(pickLatest([{ ...s1, type: 'Opaque' }], []), null, 'only helm.sh/release.v1 Secrets');
});

test.run();
