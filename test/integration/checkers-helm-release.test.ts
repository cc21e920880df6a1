// helm-release against a release made by a real `helm install` / `helm upgrade` (the provider's helm binary).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, namespace, cleanup, check, nodeKinds, helmBinary, toolEnv } from './_checkers.js';
import type { Env } from './_checkers.js';
import { skipTest } from '../skip.js';

const execFileP = promisify(execFile);
const chart = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'test/fixtures/helm/django-chart');
let e: Env;
let ns = '';
let helm: string | undefined;
let pin: string[] = [];

const run = (args: string[]) => execFileP(helm!, [...args, '--namespace', ns], { env: toolEnv(), maxBuffer: 8 << 20 });

test.before(async () => { try { await setup(); } catch (err) { console.error('setup failed:', err); throw err; } });
async function setup() {
  e = await env();
  ns = await namespace(e, 'helm');
  helm = helmBinary();
  const real = e.caps.realPods ? (await nodeKinds(e)).real[0] : undefined;
  // The hook Job must really complete: pin it to a real node, or leave the hook out where no pod really runs.
  pin = real ? ['--set', `nodeName=${real}`] : ['--set', 'hook.enabled=false'];
  if (helm) await run(['install', 'dodo', chart, '-f', join(chart, 'environments/values.dev.yaml'), ...pin, '--timeout', '3m']);
}

test.after(async () => { await cleanup(e); });

const base = () => ({ id: 'h', kind: 'helm-release', release: 'dodo', namespace: ns });

test('pass: deployed, chart name/version, user values, manifest, hook, live objects', async () => {
  if (!helm) { assert.not.ok(e.caps.helm, 'the cluster says it has helm but no binary was found'); return; }
  const hooks = pin[1] === 'hook.enabled=false' ? [] : [{ name: 'db-migration-job', kind: 'Job', events: ['post-install'], weight: 5, deletePolicies: ['hook-succeeded', 'before-hook-creation'], deleted: true }];
  const [r] = await check(e, [{ ...base(), chart: { name: 'django-tutorial', version: '0.3.1' }, values: { env: 'dev' },
    manifest: [{ kind: 'Deployment', name: 'dodo-web' }, { kind: 'Service', name: 'dodo-web' }, { kind: 'ConfigMap', contains: 'WEB__CROSS_ORIGIN__1' }, { notContains: 'SENTRY__DSN' }], hooks, liveObjects: true }]);
  if (hooks.length) {
    const [w] = await check(e, [{ ...base(), hooks: [{ name: 'db-migration-job', weight: 1, deletePolicies: ['hook-failed'] }] }], { timeoutMs: 0 });
    assert.is(w.status, 'fail');
    assert.match(w.message.en, 'helm.sh/hook-weight: expected "1", found "5"');
    assert.match(w.message.en, 'helm.sh/hook-delete-policy: expected hook-failed, found before-hook-creation,hook-succeeded');
  }
  assert.is(r.status, 'pass', r.message.en);
  assert.match(r.message.en, `Release ${ns}/dodo: revision 1, status deployed, chart django-tutorial-0.3.1`);
  console.log(`    helm-release pass: ${r.durationMs} ms`);
});

test('fail: prod values and an upgrade expected (ko/en); then `helm upgrade -f values.prod.yaml` passes', async () => {
  if (!helm) return skipTest('no helm binary on this cluster');
  const want = { ...base(), values: { env: 'prod' }, minRevision: 2, manifest: [{ kind: 'ConfigMap', contains: 'SENTRY__DSN' }] };
  const [r] = await check(e, [want], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'user values (-f/--set) differ: values.env: expected "prod", found "dev"');
  assert.match(r.message.en, 'revision: expected at least 2, found 1 (no upgrade/rollback yet)');
  assert.match(r.message.en, 'The rendered manifest does not contain "SENTRY__DSN"');
  assert.match(r.message.ko, '사용자 값(-f/--set)이 다릅니다');
  assert.match(r.hint!.en, 'helm upgrade dodo');
  console.log(`    helm-release fail: ${r.durationMs} ms`);
  await run(['upgrade', 'dodo', chart, '-f', join(chart, 'environments/values.prod.yaml'), ...pin, '--timeout', '3m']);
  const [ok] = await check(e, [want], { timeoutMs: 5000 });
  assert.is(ok.status, 'pass', ok.message.en);
  const [nc] = await check(e, [{ ...base(), manifest: [{ kind: 'ConfigMap', notContains: 'SENTRY__DSN' }] }], { timeoutMs: 0 });
  assert.is(nc.status, 'fail');
  assert.match(nc.message.en, 'The rendered manifest must not contain "SENTRY__DSN", but it does (templates/configmap.yaml)');
});

test('fail: an object of the manifest deleted by hand; a release that does not exist', async () => {
  if (!helm) return skipTest('no helm binary on this cluster');
  await e.core.deleteNamespacedService({ name: 'dodo-web', namespace: ns });
  const [r] = await check(e, [{ ...base(), liveObjects: true }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'Objects of the manifest are missing from the cluster: Service/dodo-web');
  const [m] = await check(e, [{ ...base(), release: 'dodo-helm-tutorial' }], { timeoutMs: 0 });
  assert.is(m.status, 'fail');
  assert.match(m.message.en, `There is no Helm release dodo-helm-tutorial in namespace ${ns} (releases here: dodo)`);
});

test('HELM_DRIVER=configmap: the release stored in ConfigMaps is read too', async () => {
  if (!helm) return skipTest('no helm binary on this cluster');
  await execFileP(helm, ['install', 'dodo-cm', chart, '-f', join(chart, 'environments/values.prod.yaml'), '--set', 'hook.enabled=false', '--namespace', ns], { env: { ...toolEnv(), HELM_DRIVER: 'configmap' }, maxBuffer: 8 << 20 });
  const [r] = await check(e, [{ ...base(), release: 'dodo-cm', values: { env: 'prod' }, manifest: [{ kind: 'ConfigMap', contains: 'SENTRY__DSN' }] }], { timeoutMs: 0 });
  assert.is(r.status, 'pass', r.message.en);
  assert.equal((r.observed as { driver: string }).driver, 'configmap');
});

test.run();
