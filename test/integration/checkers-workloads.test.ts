// rollout and pod-status against the live cluster.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AppsV1Api } from '@kubernetes/client-node';
import { env, namespace, cleanup, apply, until, check, nodeKinds, busybox } from './_checkers.js';
import type { Env } from './_checkers.js';
import { deploymentMotion } from '../../checkers/settle.js';

let e: Env;
let apps: AppsV1Api;
let ns = '';
let real: string | undefined;
let sim: string | undefined;

function dep(name: string, podSpec: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec }, ...extra } } as any;
}
// Settled the way the checks decide it (checkers/settle.ts): the controller has observed the latest generation and
// the rollout is complete — a helper that returned before observedGeneration caught up made the rollback test flaky.
const available = (name: string) => until(`${name} available`, async () => {
  const d = await apps.readNamespacedDeployment({ name, namespace: ns });
  return deploymentMotion(d) === null && (d.status?.availableReplicas ?? 0) >= (d.spec?.replicas ?? 1) && d.status?.updatedReplicas === d.spec?.replicas ? d : undefined;
}, 90000);

test.before(async () => { try { await setup(); } catch (err) { console.error('setup failed:', err); throw err; } });
async function setup() {
  e = await env();
  apps = e.kc.makeApiClient(AppsV1Api);
  ns = await namespace(e, 'work');
  const k = await nodeKinds(e);
  real = e.caps.realPods ? k.real[0] : undefined;
  sim = k.simulated[0];
  await apply(e,
    dep('web', busybox(sim ?? real), { replicas: 2, strategy: { type: 'Recreate' } }),
    dep('pending', { ...busybox(undefined), nodeSelector: { 'eks.amazonaws.com/nodegroup': 'NO-SUCH-NG' } }),
  );
  if (real) {
    await apply(e,
      dep('crash', busybox(real, {}, ['sh', '-c', 'echo token-7f3a; exit 3'])),
      dep('badimage', { ...busybox(real), containers: [{ name: 'app', image: 'busybox:no-such-tag-klab' }] }),
      dep('noconfig', busybox(real, { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'X' } } }] })),
    );
  }
  await available('web');
}

test.after(async () => { await cleanup(e); });

test('rollout pass: rolled out with strategy Recreate and the image', async () => {
  const [r] = await check(e, [{ id: 'r', kind: 'rollout', deployment: 'web', namespace: ns, strategy: { type: 'Recreate' }, image: 'busybox:1.35', replicas: 2 }]);
  assert.is(r.status, 'pass', r.message.en);
  assert.match(r.message.en, 'updated 2/2, available 2/2');
  console.log(`    rollout pass: ${r.durationMs} ms`);
});

test('rollout fail: wrong strategy and image, ko/en', async () => {
  const [r] = await check(e, [{ id: 'r', kind: 'rollout', deployment: 'web', namespace: ns, strategy: { type: 'RollingUpdate', maxSurge: 1 }, image: 'busybox:1.36' }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'strategy: expected RollingUpdate, found Recreate (spec.strategy.type)');
  assert.match(r.message.en, 'image of container app: expected busybox:1.36, found busybox:1.35');
  assert.match(r.message.ko, '전략: 기대 RollingUpdate, 실제 Recreate');
  console.log(`    rollout fail: ${r.durationMs} ms`);
});

test('rollout: rolledBack fails before `rollout undo` and passes after', async () => {
  const [before] = await check(e, [{ id: 'r', kind: 'rollout', deployment: 'web', namespace: ns, rolledBack: true }], { timeoutMs: 0 });
  assert.is(before.status, 'fail');
  assert.match(before.message.en, 'No rollback happened');
  assert.match(before.hint!.en, 'kubectl rollout undo deployment/web');
  const setImage = async (image: string) => {
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    d.spec!.template!.spec!.containers[0].image = image;
    await apps.replaceNamespacedDeployment({ name: 'web', namespace: ns, body: d });
  };
  await setImage('busybox:latest');
  await available('web');
  // what `kubectl rollout undo` does: the previous ReplicaSet's template goes back into the Deployment
  await setImage('busybox:1.35');
  await available('web');
  const [after] = await check(e, [{ id: 'r', kind: 'rollout', deployment: 'web', namespace: ns, rolledBack: true, image: 'busybox:1.35' }], { timeoutMs: 5000 });
  assert.is(after.status, 'pass', after.message.en);
});

test('pod-status pass: healthy pods', async () => {
  const [r] = await check(e, [{ id: 's', kind: 'pod-status', namespace: ns, selector: { deployment: 'web' } }]);
  assert.is(r.status, 'pass', r.message.en);
  console.log(`    pod-status pass: ${r.durationMs} ms`);
});

test('pod-status fail: Pending with the scheduler message (ko/en)', async () => {
  await until('pending pod', async () => (await e.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=pending' })).items.find((p) => p.status?.conditions?.some((c) => c.reason === 'Unschedulable')));
  const [r] = await check(e, [{ id: 's', kind: 'pod-status', namespace: ns, selector: { deployment: 'pending' } }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'cannot be scheduled (Pending). Scheduler: Unschedulable');
  assert.match(r.message.en, "didn't match Pod's node affinity/selector");
  assert.match(r.message.ko, '스케줄되지 못했습니다');
  console.log(`    pod-status fail: ${r.durationMs} ms`);
});

test('rollout fail: not available → the pods say why', async () => {
  const [r] = await check(e, [{ id: 'r', kind: 'rollout', deployment: 'pending', namespace: ns }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'The rollout is not complete: ');
  assert.match(r.message.en, 'availableReplicas 0/1');
  assert.match(r.message.en, 'cannot be scheduled');
});

test('pod-status on real pods: CrashLoopBackOff with exit code and log, ImagePullBackOff with the image, missing ConfigMap', async () => {
  if (!real) { assert.not.ok(e.caps.realPods); return; }
  await until('crash loop', async () => (await e.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=crash' })).items.find((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff'), 120000);
  await until('image pull failure', async () => (await e.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=badimage' })).items.find((p) => /ImagePull|ErrImage/.test(p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '')), 120000);
  await until('config error', async () => (await e.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=noconfig' })).items.find((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError'), 120000);
  const [crash, img, cfg] = await check(e, [
    { id: 'c', kind: 'pod-status', namespace: ns, selector: { deployment: 'crash' } },
    { id: 'i', kind: 'pod-status', namespace: ns, selector: { deployment: 'badimage' } },
    { id: 'n', kind: 'pod-status', namespace: ns, selector: { deployment: 'noconfig' } },
  ], { timeoutMs: 0 });
  assert.is(crash.status, 'fail');
  assert.match(crash.message.en, 'keeps crashing (CrashLoopBackOff');
  assert.match(crash.message.en, 'last exit code 3');
  if (e.caps.logs) assert.ok(crash.evidence.some((x) => x.kind === 'logs' && x.lines.includes('token-7f3a')), JSON.stringify(crash.evidence));
  assert.is(img.status, 'fail');
  assert.match(img.message.en, 'cannot pull image `busybox:no-such-tag-klab`');
  assert.match(img.hint!.en, 'Check the image name');
  assert.is(cfg.status, 'fail');
  assert.match(cfg.message.en, 'ConfigMap `app-config` not found');
  assert.match(cfg.hint!.en, `kubectl create configmap app-config -n ${ns} --from-literal=X=…`);
});

test.run();
