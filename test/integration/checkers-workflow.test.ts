// workflow against the live cluster's Argo Workflows (the local provider runs the real workflow-controller).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { env, namespace, cleanup, until, check, nodeKinds } from './_checkers.js';
import type { Env } from './_checkers.js';
import { skipTest } from '../skip.js';

let e: Env;
let custom: CustomObjectsApi;
let ns = '';
let real: string | undefined;
const G = { group: 'argoproj.io', version: 'v1alpha1' };

const wfPhase = (name: string) => until(`workflow ${name} finished`, async () => {
  const w: any = await custom.getNamespacedCustomObject({ ...G, namespace: ns, plural: 'workflows', name });
  return ['Succeeded', 'Failed', 'Error'].includes(w.status?.phase) ? w.status.phase : undefined;
}, 150000);

test.before(async () => { try { await setup(); } catch (err) { console.error('setup failed:', err); throw err; } });
async function setup() {
  e = await env();
  custom = e.kc.makeApiClient(CustomObjectsApi);
  ns = await namespace(e, 'wf');
  real = (await nodeKinds(e)).real[0];
  if (!e.caps.argo || !real) return skipTest('no Argo, or no real node, on this cluster');
  const pin = { nodeSelector: { 'kubernetes.io/hostname': real } };
  await custom.createNamespacedCustomObject({ ...G, namespace: ns, plural: 'workflowtemplates', body: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'hello' },
    spec: { entrypoint: 'main', ...pin, templates: [{ name: 'main',
      container: { image: 'busybox:1.35', command: ['sh', '-c'], args: ['echo hello-klab; echo 42 > /tmp/answer'] },
      outputs: { parameters: [{ name: 'answer', valueFrom: { path: '/tmp/answer' } }] } }] },
  } });
  await custom.createNamespacedCustomObject({ ...G, namespace: ns, plural: 'workflows', body: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'hello-run' }, spec: { workflowTemplateRef: { name: 'hello' } },
  } });
  await custom.createNamespacedCustomObject({ ...G, namespace: ns, plural: 'workflows', body: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'broken' },
    spec: { entrypoint: 'main', ...pin, templates: [{ name: 'main', container: { image: 'busybox:1.35', command: ['sh', '-c', 'echo boom; exit 1'] } }] },
  } });
  await Promise.all([wfPhase('hello-run'), wfPhase('broken')]);
}

test.after(async () => { await cleanup(e); });

test('pass: created from the template, Succeeded, output parameter, logs, placement', async () => {
  if (!e.caps.argo || !real) {
    const [r] = await check(e, [{ id: 'w', kind: 'workflow', namespace: ns, fromTemplate: 'hello' }], { timeoutMs: 0 });
    assert.is(r.status, 'fail');
    assert.match(r.message.en, /not installed|No workflow/);
    return;
  }
  const [r] = await check(e, [{ id: 'w', kind: 'workflow', namespace: ns, fromTemplate: 'hello', outputs: { answer: '42' },
    ...(e.caps.logs ? { logContains: 'hello-klab' } : {}), nodeLabels: { 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG' } }]);
  assert.is(r.status, 'pass', r.message.en);
  assert.match(r.message.en, `Workflow ${ns}/hello-run: Succeeded`);
  console.log(`    workflow pass: ${r.durationMs} ms`);
});

test('fail: Failed workflow names the failed node and its message (ko/en); wrong output; wrong group', async () => {
  if (!e.caps.argo || !real) return skipTest('no Argo, or no real node, on this cluster');
  const [r] = await check(e, [{ id: 'w', kind: 'workflow', namespace: ns, name: 'broken' }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'phase: expected Succeeded, found Failed');
  // The failed step is named with its template, exit code and the last line its program printed (issue 16).
  assert.match(r.message.en, 'step broken (template main): Failed — exit code 1');
  assert.match(r.message.en, 'log: "boom"');
  assert.match(r.message.ko, '단계(phase): 기대 Succeeded, 실제 Failed');
  assert.match(r.hint!.en, 'argo logs broken');
  const [o] = await check(e, [{ id: 'w2', kind: 'workflow', namespace: ns, name: 'hello-run', outputs: { answer: '41' }, nodeLabels: { 'eks.amazonaws.com/nodegroup': 'PROTO-GENERAL-NG' } }], { timeoutMs: 0 });
  assert.is(o.status, 'fail');
  assert.match(o.message.en, 'output parameter answer: expected "41", found "42"');
  assert.match(o.message.en, 'this node is not labelled eks.amazonaws.com/nodegroup=PROTO-GENERAL-NG');
  console.log(`    workflow fail: ${r.durationMs} ms`);
});

test('fail: no workflow from a template that was never submitted', async () => {
  const [r] = await check(e, [{ id: 'w', kind: 'workflow', namespace: ns, fromTemplate: 'never' }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  if (e.caps.argo) {
    assert.match(r.message.en, `No workflow created from template never in namespace ${ns}`);
    assert.match(r.hint!.en, 'argo submit --from workflowtemplate/never');
  }
});

test.run();
