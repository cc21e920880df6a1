// Settled or moving (issue 11): the classification of recorded objects, and the runner's use of it — a settled fail
// is reported at once, a moving state is waited for (and a timeout says "still changing"), a pass as soon as seen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import { podMotion, deploymentMotion, recentMotion, SETTLE_GRACE_MS } from '../../checkers/settle.js';
import { configErrorRef } from '../../checkers/pod-health.js';
import { runChecks } from '../../checkers/runner.js';
import type { RunOptions } from '../../checkers/runner.js';
import type { Check, ProbeResult } from '../../checkers/types.js';
import { noCapabilities } from '../../cluster/provider.js';

const old = new Date(Date.now() - 60_000).toISOString();
function pod(status: Record<string, unknown>, meta: Record<string, unknown> = {}): V1Pod {
  return { metadata: { name: 'p', namespace: 'n', creationTimestamp: old as any, ...meta }, spec: { nodeName: 'node1', containers: [{ name: 'app', image: 'x' }] }, status: status as any };
}
const waiting = (reason: string, extra: Record<string, unknown> = {}) => pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason } }, ...extra }] });
const ready = (r: boolean) => pod({ phase: 'Running', conditions: [{ type: 'Ready', status: r ? 'True' : 'False' }], containerStatuses: [{ name: 'app', ready: r, restartCount: 0, image: 'x', imageID: '', state: { running: { startedAt: old } } }] });

test('pods: settled when healthy, finished, crash-looping, unpullable, missing config or unschedulable', () => {
  assert.is(podMotion(ready(true)), null);
  assert.is(podMotion(pod({ phase: 'Succeeded' })), null);
  assert.is(podMotion(pod({ phase: 'Failed' })), null);
  for (const r of ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'CreateContainerConfigError']) assert.is(podMotion(waiting(r)), null, r);
  assert.is(podMotion(waiting('RunContainerError')), null);
  // crashed once, restarting: the crash will come back by itself
  assert.is(podMotion(waiting('ContainerCreating', { restartCount: 1, lastState: { terminated: { exitCode: 3 } } })), null);
  assert.is(podMotion(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes' }] })), null);
});

test('pods: moving while being scheduled, created, initialised, not yet Ready, or terminating', () => {
  assert.match(podMotion(waiting('ContainerCreating'))!.en, /ContainerCreating/);
  assert.match(podMotion(waiting('PodInitializing'))!.en, /PodInitializing/);
  assert.ok(podMotion(pod({ phase: 'Pending' })), 'not scheduled yet');
  assert.match(podMotion(ready(false))!.en, /becoming Ready/);
  assert.match(podMotion(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }, { deletionTimestamp: new Date() }))!.en, /terminating/);
  assert.ok(podMotion(pod({ phase: 'Unknown' })), 'unknown phase is never settled');
});

function dep(spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2): V1Deployment {
  return { metadata: { name: 'web', generation, creationTimestamp: old as any }, spec: { replicas: 2, selector: {}, template: {}, ...spec } as any, status: status as any };
}

test('deployments: moving mid-rollout; settled when complete, paused, past its deadline, or its new pods are stuck', () => {
  const done = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 };
  assert.is(deploymentMotion(dep({}, done)), null);
  assert.match(deploymentMotion(dep({}, { ...done, observedGeneration: 1 }))!.en, /observe its change/);
  assert.match(deploymentMotion(dep({}, { observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 }))!.en, /rollout of web: 1\/2 new pods ready, 3 in all/);
  assert.match(deploymentMotion(dep({}, { ...done, replicas: 3 }))!.en, /rollout/, 'old pods still running');
  const mid = { observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 };
  assert.is(deploymentMotion(dep({ paused: true }, mid)), null);
  assert.is(deploymentMotion(dep({}, { ...mid, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] })), null);
  assert.is(deploymentMotion(dep({}, mid), [waiting('ImagePullBackOff')]), null, 'new pods cannot pull: settled');
  assert.ok(deploymentMotion(dep({}, mid), [waiting('ImagePullBackOff'), waiting('ContainerCreating')]), 'one new pod still starting');
});

test('objects written within the grace period are moving; CreateContainerConfigError messages name their object', () => {
  assert.ok(recentMotion('ConfigMap', { name: 'c', creationTimestamp: new Date() }));
  assert.is(recentMotion('ConfigMap', { name: 'c', creationTimestamp: new Date(Date.now() - SETTLE_GRACE_MS - 10) }), null);
  assert.ok(recentMotion('ConfigMap', { name: 'c', creationTimestamp: new Date(0), managedFields: [{ time: new Date() }] }), 'a recent write counts');
  assert.equal(configErrorRef('secret "board-secrets" not found'), { kind: 'secret', name: 'board-secrets' });
  assert.equal(configErrorRef("couldn't find key TOKEN in Secret ns1/board-secrets"), { kind: 'secret', name: 'board-secrets', key: 'TOKEN' });
  assert.is(configErrorRef('something else'), null);
});

const T = (s: string) => ({ ko: s, en: s });
const kc = new KubeConfig();
kc.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
const opts = (o: Partial<RunOptions> = {}): RunOptions => ({
  kc, lang: 'en', namespace: 'default', params: {}, capabilities: { ...noCapabilities },
  answers: {}, lab: 'demo', seed: 's', preflight: false, pollMs: 20, ...o,
});
const chk = (id: string, probe: () => ProbeResult, timeout: number): Check => ({ id, title: T(id), points: 1, timeout, probe: async () => probe() });

test('runner: a settled fail is reported at once, with no "still changing" note', async () => {
  let calls = 0;
  const t0 = Date.now();
  const r = await runChecks([chk('a', () => { calls++; return { ok: false, settled: true, reasons: [T('absent')] }; }, 5000)], opts());
  assert.is(r.checks[0].status, 'fail');
  assert.is(calls, 1, 'probed once');
  assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
  assert.not.ok(r.checks[0].timedOut);
  assert.is(r.checks[0].message.en, 'absent');
});

test('runner: a moving state is waited for and passes when it settles right; waiting is announced', async () => {
  let calls = 0;
  const seen: string[] = [];
  const r = await runChecks([chk('a', () => (++calls < 4 ? { ok: false, waitingFor: T('the rollout of web'), reasons: [T('not yet')] } : { ok: true, reasons: [T('fine')] }), 5000)],
    opts({ onWaiting: (_c, what) => seen.push(what.en) }));
  assert.is(r.checks[0].status, 'pass');
  assert.is(calls, 4);
  assert.equal([...new Set(seen)], ['the rollout of web']);
});

test('runner: a state still moving at the timeout fails with "Still changing after …" (not a settled fail)', async () => {
  const r = await runChecks([chk('a', () => ({ ok: false, waitingFor: T('pod p starting (ContainerCreating)'), reasons: [T('not ready')] }), 300)], opts());
  assert.is(r.checks[0].status, 'fail');
  assert.ok(r.checks[0].timedOut);
  assert.match(r.checks[0].message.en, /^Still changing after \d+s: pod p starting \(ContainerCreating\)\.\nnot ready/);
  assert.match(r.checks[0].message.ko, /아직 바뀌는 중입니다/);
});

test('runner: a probe that says nothing about settledness is treated as moving (polled to its timeout)', async () => {
  let calls = 0;
  const r = await runChecks([chk('a', () => { calls++; return { ok: false, reasons: [T('no')] }; }, 300)], opts());
  assert.ok(calls > 2, `polled ${calls} times`);
  assert.ok(r.checks[0].timedOut);
});

test.run();
