// node-placement against the live cluster's node groups (EKS-like labels on real and simulated nodes).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { env, namespace, cleanup, apply, until, check, nodeKinds, busybox } from './_checkers.js';
import type { Env } from './_checkers.js';

let e: Env;
let ns = '';
let general: string[] = [];
const INF = { 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG' };
const GEN = { 'eks.amazonaws.com/nodegroup': 'PROTO-GENERAL-NG' };

function dep(name: string, podSpec: Record<string, unknown>, replicas = 1) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } } } as any;
}

test.before(async () => { try { await setup(); } catch (err) { console.error('setup failed:', err); throw err; } });
async function setup() {
  e = await env();
  ns = await namespace(e, 'place');
  general = (await nodeKinds(e)).byGroup.get('PROTO-GENERAL-NG') ?? [];
  await apply(e,
    dep('inference', { ...busybox(undefined), nodeSelector: INF }, 2),
    dep('general', { ...busybox(undefined), nodeSelector: GEN }),
    // pinned by nodeName, no selector at all
    dep('anywhere', { ...busybox(undefined), nodeName: general[0] }),
    // the notes' wrong patch: a label key no node has → Pending
    dep('typo', { ...busybox(undefined), nodeSelector: { 'Node-Selectors': 'A' } }),
  );
  await until('pods placed', async () => {
    const l = await e.core.listNamespacedPod({ namespace: ns });
    const placed = l.items.filter((p) => p.spec?.nodeName).length;
    const pending = l.items.filter((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')).length;
    return placed >= 4 && pending >= 1 ? true : undefined;
  }, 90000);
}

test.after(async () => { await cleanup(e); });

test('pass: every pod on a PROTO-INFERENCE-NG node, reported pod → node → group', async () => {
  const [r] = await check(e, [{ id: 'p', kind: 'node-placement', selector: { deployment: 'inference', namespace: ns }, nodeLabels: INF, minPods: 2 }]);
  assert.is(r.status, 'pass', r.message.en);
  assert.match(r.message.en, '→ PROTO-INFERENCE-NG ✓');
  console.log(`    node-placement pass: ${r.durationMs} ms`);
});

test('fail: a nodeSelector for another group, explained (ko/en)', async () => {
  const [r] = await check(e, [{ id: 'p', kind: 'node-placement', selector: { labels: { app: 'general' }, namespace: ns }, nodeLabels: INF }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, '→ PROTO-GENERAL-NG: this node is not labelled eks.amazonaws.com/nodegroup=PROTO-INFERENCE-NG');
  assert.match(r.message.en, 'nodeSelector {eks.amazonaws.com/nodegroup: PROTO-GENERAL-NG} also matches other nodes (PROTO-GENERAL-NG)');
  assert.match(r.message.ko, '이 노드에는 eks.amazonaws.com/nodegroup=PROTO-INFERENCE-NG 레이블이 없습니다');
  assert.match(r.hint!.en, 'spec.template.spec.nodeSelector');
  console.log(`    node-placement fail: ${r.durationMs} ms`);
});

test('fail: no nodeSelector/affinity at all', async () => {
  const [r] = await check(e, [{ id: 'p', kind: 'node-placement', selector: { deployment: 'anywhere', namespace: ns }, nodeLabels: INF }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'neither a nodeSelector nor a node affinity');
});

test('fail: Pending pod with a label key no node has → scheduler message and the wrong key', async () => {
  const [r] = await check(e, [{ id: 'p', kind: 'node-placement', selector: { deployment: 'typo', namespace: ns }, nodeLabels: INF }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, '(no node: Pending). Scheduler: Unschedulable');
  assert.match(r.message.en, "The nodeSelector key 'Node-Selectors' is a label no node has");
  assert.match(r.message.ko, "nodeSelector의 키 'Node-Selectors'는 어떤 노드에도 없는 레이블입니다");
});

test('fail: too few pods', async () => {
  const [r] = await check(e, [{ id: 'p', kind: 'node-placement', selector: { labels: { app: 'nothing' }, namespace: ns }, nodeLabels: INF }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'only 0 pod(s) found');
});

test.run();
