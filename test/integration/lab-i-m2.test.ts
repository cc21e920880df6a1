// Lab i-m2 end to end through the CLI against the live cluster: start (prints the release manifest; on `local` renders
// it from the Go module cache) → checks fail with their diagnoses → each known mistake fails exactly the named checks
// → solve → full score (the test-workflow check is skipped, not passed, only on a cluster with no real node in the
// group, where the installed controller cannot really run) → reset leaves nothing labelled klab.dev/lab=i-m2, no namespace, no PriorityClass of its own.
// Then its mistakes, alternatives and guided flow (the generic harnesses, _generic.ts), here because i-m2 runs alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CoreV1Api, SchedulingV1Api, AppsV1Api } from '@kubernetes/client-node';
import { trainee, applyCommands } from './_labs.js';
import { registerMistakes, registerAlternatives, registerGuided } from './_generic.js';
import { skipTest } from '../skip.js';
import { testCluster, testKubeConfig } from './_env.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { labSelector } from '../../labs/_engine/runtime.js';

const t = suite('lab i-m2');
const LAB = 'i-m2';
const SIMULATED_SKIP = 'runs on a simulated node';

async function params(seed: string) { return labParams(await loadLab(LAB), seed); }
const manifestOf = (state: string, p: Record<string, string>) => {
  const f = join(state, 'klab', 'labs', 'i-m2', 'namespace-install.yaml');
  return existsSync(f) ? f : p.manifestUrl;
};

async function simulatedNodes(): Promise<boolean> {
  const kc = await testKubeConfig();
  return (await kc.makeApiClient(CoreV1Api).listNode()).items.some((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
}

/** A real (kubelet) node in PROTO-INFERENCE-NG: the trainee's controller then really runs workflows, full score. */
async function realNodeInGroup(): Promise<boolean> {
  const kc = await testKubeConfig();
  return (await kc.makeApiClient(CoreV1Api).listNode()).items.some((n) => n.metadata?.labels?.['eks.amazonaws.com/nodegroup'] === 'PROTO-INFERENCE-NG' && n.metadata?.annotations?.['kwok.x-k8s.io/node'] !== 'fake');
}

/** Is klab's own cluster-wide Argo controller running (local: the host process; kind: the add-on's replicas)? */
function sharedArgoRunning(): boolean | undefined {
  const info = testCluster();
  if (info.provider === 'local') return spawnSync('pgrep', ['-f', `workflow-controller.*--namespace=argo`]).status === 0;
  if (info.provider === 'kind') {
    const r = spawnSync('kubectl', ['--kubeconfig', info.kubeconfig, '--context', info.context, '-n', 'argo', 'get', 'deployment', 'workflow-controller', '-o', 'jsonpath={.spec.replicas}'], { encoding: 'utf8' });
    return r.stdout.trim() !== '0';
  }
  return undefined;
}

async function leftovers(ns: string, seed: string): Promise<string[]> {
  const kc = await testKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const out = (await core.listNamespace({ labelSelector: labSelector(LAB, seed) })).items.map((n) => `namespace/${n.metadata!.name}`);
  try { await core.readNamespace({ name: ns }); out.push(`namespace/${ns}`); } catch (e) { if ((e as { code?: number }).code !== 404) throw e; }
  const usedElsewhere = (await kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces()).items.some((d) => d.spec?.template?.spec?.priorityClassName === 'workflow-controller');
  if (!usedElsewhere) {
    try { await kc.makeApiClient(SchedulingV1Api).readPriorityClass({ name: 'workflow-controller' }); out.push('priorityclass/workflow-controller'); } catch (e) { if ((e as { code?: number }).code !== 404) throw e; }
  }
  return out;
}

t.before(() => {
  assert.ok(testCluster().capabilities.nodeGroups, 'the test cluster must have the node groups of cluster/nodegroups.yaml');
});

t('two seeds give different namespaces', async () => {
  const a = await params('kim'), b = await params('lee');
  assert.is.not(a.namespace, b.namespace);
  assert.match(a.namespace, /^argo-[a-z0-9]{5}$/);
  assert.is(a.manifestUrl, 'https://github.com/argoproj/argo-workflows/releases/download/v4.0.5/namespace-install.yaml');
});

t('after start: the manifest is printed (local: rendered, no CRDs, pinned images); checks fail or wait for the namespace', async () => {
  const tr = trainee('im2-setup');
  const p = await params(tr.seed);
  try {
    const s = tr.klab('start', LAB, '--no-guide');
    assert.is(s.code, 0, s.stderr + s.stdout);
    assert.match(s.stdout, p.namespace);
    if (await simulatedNodes()) {
      const file = manifestOf(tr.state, p);
      assert.match(s.stdout, file);
      const text = readFileSync(file, 'utf8');
      assert.not.match(text, 'kind: CustomResourceDefinition');
      assert.not.match(text, /image: \S+:latest/);
      assert.match(text, 'image: quay.io/argoproj/workflow-controller:v4.0.5');
      assert.match(text, 'image: quay.io/argoproj/argocli:v4.0.5');
      assert.match(text, '--namespaced');
    } else {
      assert.match(s.stdout, p.manifestUrl);
    }
    const r = tr.checkJson(LAB);
    assert.is(r.code, 1, r.stderr);
    const by = Object.fromEntries(r.json!.checks.map((c) => [c.id, c]));
    assert.is(by.namespace.status, 'fail');
    assert.match(by.namespace.message, `v1/Namespace ${p.namespace}: not found`, "a cluster-scoped kind has no namespace in the header (issue 12)");
    for (const id of ['controller-installed', 'server-installed']) {
      assert.is(by[id].status, 'skip', id);
      assert.match(by[id].message, "'namespace' (fail)");
    }
    for (const id of ['controller-placement', 'server-placement', 'workflow-defaults', 'test-workflow']) assert.is(by[id].status, 'skip', id);
    assert.is(r.json!.score, 0);
    assert.is(r.json!.maxScore, 65);
    const ko = trainee(tr.seed, 'ko').checkJson(LAB);
    assert.match(ko.json!.checks.find((c) => c.id === 'namespace')!.message, '없습니다');
  } finally {
    assert.is(tr.klab('reset', LAB).code, 0);
  }
});

t("the notes' patch for real: the API server drops spec.template.Node-Selector with a warning, exit 0", async () => {
  const tr = trainee('im2-notes-patch');
  const p = await params(tr.seed);
  assert.is(tr.klab('start', LAB, '--no-guide').code, 0);
  try {
    // Once the deployment controller has seen it (it adds its revision annotation): a change of its own between
    // kubectl's read and the patch would make kubectl say "patched" instead of "patched (no change)" (CI, once).
    applyCommands(['kubectl create namespace {namespace}', 'kubectl -n {namespace} create deployment web --image=busybox:1.35 -- sleep 3600',
      "kubectl -n {namespace} wait deployment/web --for=jsonpath='{.status.observedGeneration}'=1 --timeout=60s"], p);
    const r = spawnSync('bash', ['-c', `kubectl -n ${p.namespace} patch deployment web -p '{"spec": {"template": {"Node-Selector": "node-group=A"}}}'`],
      { encoding: 'utf8', env: { ...process.env, KUBECONFIG: testCluster().kubeconfig } });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stderr, 'Warning: unknown field "spec.template.Node-Selector"');
    assert.match(r.stdout, 'patched (no change)');
  } finally {
    assert.is(tr.klab('reset', LAB).code, 0);
  }
});

// Its mistakes (labs/<lab>/mistakes/) run in the generic harness: test/integration/lab-mistakes.test.ts.

t('solve → full score where the group has a real node (klab\'s own Argo paused meanwhile); reset leaves nothing and resumes it', async () => {
  const tr = trainee('im2-solve');
  const p = await params(tr.seed);
  const st = tr.klab('start', LAB, '--no-guide');
  assert.is(st.code, 0, st.stderr + st.stdout);
  const shared = sharedArgoRunning();
  if (shared !== undefined) {
    assert.is(shared, false, 'klab\'s cluster-wide Argo controller is paused while the trainee runs their own');
    assert.match(st.stdout, 'Paused the cluster-wide Argo controller');
  }
  try {
    const started = Date.now();
    const s = tr.klab('solve', LAB);
    assert.is(s.code, 0, s.stderr + s.stdout);
    console.log(`    i-m2 solve (install, pin, defaults, test workflow): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.match(s.stdout, `apply --server-side -n ${p.namespace} -f`);
    const r = tr.checkJson(LAB);
    const wf = r.json!.checks.find((c) => c.id === 'test-workflow')!;
    for (const c of r.json!.checks) if (c.id !== 'test-workflow') assert.is(c.status, 'pass', `${c.id}: ${c.message}`);
    if (wf.status === 'skip') {
      assert.not.ok(await realNodeInGroup(), `with a real node in the group the test workflow must be graded: ${wf.message}`);
      assert.match(wf.message, SIMULATED_SKIP);
      assert.is(r.json!.score, r.json!.maxScore - 10);
      assert.is(r.code, 1, 'a skipped required check is not a pass');
    } else {
      assert.is(wf.status, 'pass', wf.message);
      assert.is(r.json!.score, r.json!.maxScore);
      assert.is(r.code, 0);
    }
    const ko = trainee(tr.seed, 'ko').checkJson(LAB);
    assert.match(ko.json!.checks.find((c) => c.id === 'workflow-defaults')!.message, 'workflowDefaults.spec.nodeSelector eks.amazonaws.com/nodegroup=PROTO-INFERENCE-NG');
    assert.is(tr.klab('reset', LAB).code, 0);
    assert.equal(await leftovers(p.namespace, tr.seed), [], 'reset leaves nothing behind');
    if (shared !== undefined) assert.is(sharedArgoRunning(), true, 'reset turns klab\'s Argo controller back on');
    assert.not.ok(existsSync(join(tr.state, 'klab', 'labs', 'i-m2', 'namespace-install.yaml')), 'reset removes the rendered manifest');
    assert.is(tr.klab('reset', LAB).code, 0, 'reset is idempotent');
  } finally {
    tr.klab('reset', LAB);
  }
});

t("two trainees' i-m2 at once: the pause is held by each, the first reset keeps klab's Argo paused, the last resumes it", async () => {
  if (sharedArgoRunning() === undefined) return skipTest('klab installed no Argo of its own on this cluster');
  const a = trainee('im2-hold-a'), b = trainee('im2-hold-b');
  try {
    for (const tr of [a, b]) assert.is(tr.klab('start', LAB, '--no-guide').code, 0);
    assert.is(sharedArgoRunning(), false, 'paused');
    const ra = a.klab('reset', LAB);
    assert.is(ra.code, 0, ra.stderr);
    assert.is(sharedArgoRunning(), false, "still paused: the other trainee's i-m2 holds it");
  } finally {
    const rb = b.klab('reset', LAB);
    assert.is(rb.code, 0, rb.stderr);
  }
  assert.is(sharedArgoRunning(), true, 'the last reset resumes it');
});

// i-m2 pauses klab's own Argo (cluster-wide): its mistakes, alternatives and guided flow run here, alone, not in the
// generic files that run side by side with others (_labs.ts CLUSTER_WIDE_LABS).
registerMistakes(t, [LAB]);
registerAlternatives(t, [LAB]);
registerGuided(t, [LAB]);

t.run();
