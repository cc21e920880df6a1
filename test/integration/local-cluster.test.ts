// Proves the test cluster is a real Kubernetes cluster with EKS-like node groups, Helm and Argo Workflows:
// the scheduler really places pods by node group, a missing group really leaves a pod Unschedulable, Helm really
// installs and upgrades a release, Argo really runs a Workflow from a WorkflowTemplate on the chosen group.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { promisify } from 'node:util';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { testCluster, testKubeConfig } from './_env.js';
import { skipTest } from '../skip.js';

const execFileP = promisify(execFile);
const NS = `klab-itest-${process.pid}`;
const GROUP_LABEL = 'eks.amazonaws.com/nodegroup';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let custom: CustomObjectsApi;

/** PATH with the provider's bin dir (kubectl, helm) first, when it reports one. */
function toolEnv(): NodeJS.ProcessEnv {
  const info = testCluster() as ReturnType<typeof testCluster> & { binDir?: string };
  const path = info.binDir && existsSync(info.binDir) ? `${info.binDir}${delimiter}${process.env.PATH}` : process.env.PATH;
  return { ...process.env, PATH: path, KUBECONFIG: info.kubeconfig, HELM_KUBECONTEXT: info.context };
}
async function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileP(cmd, args, { env: toolEnv(), cwd, maxBuffer: 64 << 20 });
  return stdout;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try { const v = await fn(); if (v !== undefined) return v; } catch (e) { last = e; }
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

async function nodesOf(group: string): Promise<string[]> {
  const list = await core.listNode({ labelSelector: `${GROUP_LABEL}=${group}` });
  return list.items.map((n) => n.metadata!.name!);
}

function deployment(name: string, selector: Record<string, string>, replicas: number) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        // busybox: an image the local provider's real node (if any) can run, so pods there are really Running too.
        spec: { nodeSelector: selector, containers: [{ name: 'web', image: 'busybox:1.35', command: ['sleep', '3600'], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      },
    },
  };
}

test.before(async () => {
  kc = await testKubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  await core.createNamespace({ body: { metadata: { name: NS, labels: { 'app.kubernetes.io/managed-by': 'klab' } } } });
  await until('default service account', async () => (await core.readNamespacedServiceAccount({ name: 'default', namespace: NS })) ?? undefined);
});

test.after(async () => {
  await core.deleteNamespace({ name: NS }).catch(() => undefined);
});

test('the cluster has the EKS-like node groups with their capacity, all Ready', async () => {
  const inference = await nodesOf('PROTO-INFERENCE-NG');
  const general = await nodesOf('PROTO-GENERAL-NG');
  assert.ok(inference.length >= 2, `PROTO-INFERENCE-NG nodes: ${inference.join(', ')}`);
  assert.ok(general.length >= 1, `PROTO-GENERAL-NG nodes: ${general.join(', ')}`);
  const nodes = (await core.listNode()).items;
  for (const n of nodes.filter((x) => x.metadata?.labels?.[GROUP_LABEL])) {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    assert.is(ready?.status, 'True', `${n.metadata?.name} Ready`);
    const grp = n.metadata!.labels![GROUP_LABEL];
    assert.is(n.metadata!.labels!['node-group'], grp === 'PROTO-INFERENCE-NG' ? 'inference' : 'general');
    if (n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake') {
      assert.is(n.status?.capacity?.cpu, grp === 'PROTO-INFERENCE-NG' ? '8' : '4', `${n.metadata?.name} cpu capacity`);
    }
  }
  const caps = testCluster().capabilities;
  assert.ok(caps.nodeGroups && caps.helm && caps.argo, JSON.stringify(caps));
});

test('a Deployment with a nodeSelector for PROTO-INFERENCE-NG lands only on those nodes', async () => {
  const inference = new Set(await nodesOf('PROTO-INFERENCE-NG'));
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment('inference-web', { [GROUP_LABEL]: 'PROTO-INFERENCE-NG' }, 4) });
  const pods = await until('4 running pods of inference-web', async () => {
    const list = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=inference-web' });
    const running = list.items.filter((p) => p.status?.phase === 'Running');
    return running.length === 4 ? running : undefined;
  }, 90_000);
  for (const p of pods) assert.ok(inference.has(p.spec!.nodeName!), `${p.metadata!.name} on ${p.spec!.nodeName}`);
  const dep = await until('deployment available', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'inference-web', namespace: NS });
    return d.status?.availableReplicas === 4 ? d : undefined;
  });
  assert.is(dep.status?.readyReplicas, 4);
});

test('a Deployment for a node group that does not exist stays Pending with an Unschedulable condition', async () => {
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment('nowhere', { [GROUP_LABEL]: 'NO-SUCH-NG' }, 1) });
  const pod = await until<V1Pod>('an unschedulable pod', async () => {
    const list = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=nowhere' });
    return list.items.find((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable'));
  });
  assert.is(pod.status?.phase, 'Pending');
  assert.not.ok(pod.spec?.nodeName, 'not bound to any node');
  const cond = pod.status!.conditions!.find((c) => c.type === 'PodScheduled')!;
  assert.match(cond.message ?? '', /node affinity\/selector|didn't match/);
});

test('helm install of a `helm create` chart is deployed and helm upgrade makes revision 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'klab-helm-'));
  try {
    await run('helm', ['create', 'demo'], dir);
    const chart = join(dir, 'demo');
    // The chart's nginx image is not available offline: keep its pods on simulated nodes (what is tested is Helm).
    const kwokOnly = ['--set', 'nodeSelector.type=kwok'];
    await run('helm', ['install', 'demo', chart, '--namespace', NS, ...kwokOnly, '--wait', '--timeout', '90s']);
    const st1 = JSON.parse(await run('helm', ['status', 'demo', '--namespace', NS, '-o', 'json'])) as { info: { status: string }; version: number };
    assert.is(st1.info.status, 'deployed');
    assert.is(st1.version, 1);
    const dep = await apps.readNamespacedDeployment({ name: 'demo', namespace: NS });
    assert.is(dep.status?.availableReplicas, 1, 'the chart\'s Deployment is available');
    await run('helm', ['upgrade', 'demo', chart, '--namespace', NS, ...kwokOnly, '--set', 'replicaCount=2', '--wait', '--timeout', '90s']);
    const st2 = JSON.parse(await run('helm', ['status', 'demo', '--namespace', NS, '-o', 'json'])) as { info: { status: string }; version: number };
    assert.is(st2.version, 2);
    assert.is(st2.info.status, 'deployed');
    const hist = JSON.parse(await run('helm', ['history', 'demo', '--namespace', NS, '-o', 'json'])) as { revision: number; status: string }[];
    assert.equal(hist.map((h) => [h.revision, h.status]), [[1, 'superseded'], [2, 'deployed']]);
    const dep2 = await until('2 replicas after upgrade', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'demo', namespace: NS });
      return d.status?.availableReplicas === 2 ? d : undefined;
    });
    assert.is(dep2.spec?.replicas, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const wf = <T extends object>(body: T) => ({ group: 'argoproj.io', version: 'v1alpha1', namespace: NS, ...body });

async function waitWorkflow(name: string): Promise<{ status?: { phase?: string; message?: string } }> {
  return until(`workflow ${name} to finish`, async () => {
    const w = (await custom.getNamespacedCustomObject(wf({ plural: 'workflows', name }))) as { status?: { phase?: string; message?: string } };
    return ['Succeeded', 'Failed', 'Error'].includes(w.status?.phase ?? '') ? w : undefined;
  }, 120_000);
}

test('an Argo hello-world Workflow succeeds', async () => {
  await custom.createNamespacedCustomObject(wf({
    plural: 'workflows',
    body: {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'hello-world' },
      // on a simulated node (a real node runs it for real: that is cluster/local/node.ts's test)
      spec: { entrypoint: 'main', nodeSelector: { type: 'kwok' }, templates: [{ name: 'main', container: { image: 'busybox', command: ['echo', 'hello world'] } }] },
    },
  }));
  const w = await waitWorkflow('hello-world');
  assert.is(w.status?.phase, 'Succeeded', w.status?.message);
});

test('an Argo Workflow from a WorkflowTemplate with a nodeSelector succeeds on the selected node group', async () => {
  const general = new Set(await nodesOf('PROTO-GENERAL-NG'));
  await custom.createNamespacedCustomObject(wf({
    plural: 'workflowtemplates',
    body: {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'two-steps' },
      spec: {
        entrypoint: 'main',
        nodeSelector: { [GROUP_LABEL]: 'PROTO-GENERAL-NG' },
        arguments: { parameters: [{ name: 'who', value: 'klab' }] },
        templates: [
          { name: 'main', steps: [[{ name: 'first', template: 'say' }], [{ name: 'second', template: 'say' }]] },
          { name: 'say', container: { image: 'busybox', command: ['echo', 'hello {{workflow.parameters.who}}'] } },
        ],
      },
    },
  }));
  await custom.createNamespacedCustomObject(wf({
    plural: 'workflows',
    body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'from-template' }, spec: { workflowTemplateRef: { name: 'two-steps' } } },
  }));
  const w = await waitWorkflow('from-template');
  assert.is(w.status?.phase, 'Succeeded', w.status?.message);
  const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: 'workflows.argoproj.io/workflow=from-template' });
  assert.is(pods.items.length, 2, 'one pod per step');
  for (const p of pods.items) {
    assert.ok(general.has(p.spec!.nodeName!), `${p.metadata!.name} on ${p.spec!.nodeName} (want PROTO-GENERAL-NG)`);
    assert.is(p.status?.phase, 'Succeeded');
  }
});

test('local: Argo\'s upstream install manifests are found in the Go module cache and render with kustomize', async () => {
  if (testCluster().provider !== 'local') return skipTest('not the local provider');
  const { argoInstallManifest } = await import('../../cluster/local.js');
  for (const kind of ['cluster-install', 'namespace-install'] as const) {
    const dir = await argoInstallManifest(kind);
    const out = await run('kubectl', ['kustomize', dir]);
    assert.match(out, /name: workflow-controller\n/, `${kind} has the controller Deployment`);
    assert.match(out, /kind: CustomResourceDefinition/);
  }
});

// Faults of the local provider itself (skipped, with a reason, when the suite runs on another provider).
const isLocal = () => testCluster().provider === 'local';
const recording = () => {
  const lines: string[] = [];
  return { lines, progress: { phase: (t: { en: string }) => lines.push(t.en), done: () => undefined, info: (t: { en: string }) => lines.push(t.en) } };
};

test('local: `up` on a running cluster reports "already running" and returns the same cluster', async () => {
  if (!isLocal()) return skipTest('not the local provider');
  const { createProvider } = await import('../../cluster/local.js');
  const { lines, progress } = recording();
  const info = await createProvider({}).up({ progress });
  assert.is(info.kubeconfig, testCluster().kubeconfig);
  assert.ok(lines.some((l) => /already running/.test(l)), lines.join('\n'));
});

test('local: a component that dies during `up` fails with its log tail, exit code 3, and leaves nothing running', async () => {
  if (!isLocal()) return skipTest('not the local provider');
  const { createProvider } = await import('../../cluster/local.js');
  const tools = await import('../../cluster/local/tools.js');
  const procs = await import('../../host/procs.js');
  const { KlabError } = await import('../../i18n/index.js');
  const { mkdirSync, symlinkSync, writeFileSync, chmodSync, readdirSync } = await import('node:fs');
  const base = mkdtempSync(join(tmpdir(), 'klab-fault-'));
  const cache = join(base, 'cache');
  const bin = join(cache, 'klab', 'bin');
  mkdirSync(bin, { recursive: true });
  // The real binaries, except a kube-scheduler that exits at once.
  for (const f of readdirSync(tools.binCacheDir())) if (/-v\d/.test(f)) symlinkSync(join(tools.binCacheDir(), f), join(bin, f));
  const sched = join(bin, `kube-scheduler-${tools.tool('kube-scheduler').version}`);
  (await import('node:fs')).rmSync(sched);
  writeFileSync(sched, '#!/bin/sh\necho "scheduler: simulated crash for the test" >&2\nexit 1\n');
  chmodSync(sched, 0o755);
  const saved = { c: process.env.XDG_CACHE_HOME, s: process.env.KLAB_LOCAL_STATE_DIR };
  process.env.XDG_CACHE_HOME = cache;
  process.env.KLAB_LOCAL_STATE_DIR = join(base, 'state');
  try {
    await createProvider({}).up({ progress: recording().progress });
    assert.unreachable('up should fail');
  } catch (e) {
    assert.instance(e, KlabError);
    assert.is((e as InstanceType<typeof KlabError>).exitCode, 3);
    assert.match((e as InstanceType<typeof KlabError>).text.en, /kube-scheduler exited while starting/);
    assert.match((e as InstanceType<typeof KlabError>).text.en, /simulated crash for the test/);
    assert.match((e as InstanceType<typeof KlabError>).text.ko, /kube-scheduler/);
  } finally {
    process.env.XDG_CACHE_HOME = saved.c; if (saved.c === undefined) delete process.env.XDG_CACHE_HOME;
    process.env.KLAB_LOCAL_STATE_DIR = saved.s; if (saved.s === undefined) delete process.env.KLAB_LOCAL_STATE_DIR;
  }
  assert.equal(procs.processesMentioning(join(base, 'state') + '/'), [], 'nothing of the failed cluster is left running');
  rmSync(base, { recursive: true, force: true });
});

test.run();
