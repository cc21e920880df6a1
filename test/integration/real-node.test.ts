// The real kubelet node of the `local` cluster (issue 4): what only real containers can show. exec/printenv of
// ConfigMap/Secret values, logs and CrashLoopBackOff of a crashing pod, a real ErrImagePull, a real
// CreateContainerConfigError, an image built from a repo Dockerfile → local registry → helm → HTTP through a ClusterIP
// Service and a NodePort, an Argo WorkflowTemplate whose Python step really runs on the real node with an output
// parameter, and containerd killed → the node goes NotReady (then comes back).
// Runs only when the cluster reports realPods (the local provider with its real node, or kind); otherwise it prints
// why and registers no test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { testCluster, testKubeConfig } from './_env.js';

const execFileP = promisify(execFile);
const info = testCluster();
const NS = `klab-realnode-${process.pid}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REAL = { 'klab.dev/real-node': 'true' };

let kc: KubeConfig;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let toolPath: (n: 'kubectl' | 'helm') => string;

async function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await execFileP(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, maxBuffer: 16 << 20, timeout: opts.timeoutMs ?? 120_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, out: x.stdout ?? '', err: x.stderr ?? String(e) };
  }
}
const kubectl = (...args: string[]) => sh(toolPath('kubectl'), ['--kubeconfig', info.kubeconfig, '--context', info.context, ...args]);

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(500);
  }
}

async function pod(name: string): Promise<V1Pod> { return core.readNamespacedPod({ name, namespace: NS }); }
const waitingReason = (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;

async function createPod(name: string, spec: Record<string, unknown>) {
  await core.createNamespacedPod({ namespace: NS, body: { metadata: { name }, spec: { nodeSelector: REAL, restartPolicy: 'Always', ...spec } as never } });
}

if (!info.capabilities.realPods) {
  console.log(`[real-node] SKIPPED: the ${info.provider} cluster reports realPods=false (no real node), so nothing here can run.`);
} else {
  test.before(async () => {
    kc = await testKubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    const tools = await import('../../cluster/local/tools.js');
    toolPath = (n) => tools.toolPath(n);
    await core.createNamespace({ body: { metadata: { name: NS, labels: { 'app.kubernetes.io/managed-by': 'klab-test' } } } });
  });

  test.after(async () => {
    await sh(toolPath('helm'), ['--kube-context', info.context, '--kubeconfig', info.kubeconfig, 'uninstall', 'web', '-n', NS]).catch(() => undefined);
    await core.deleteNamespace({ name: NS }).catch(() => undefined);
  });

  test('exec printenv shows ConfigMap and Secret values decoded, a trailing newline included', async () => {
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'app-config' }, data: { COLOR: 'blue' } } });
    // TOKEN is 가나다 (base64 6rCA64KY64uk); NL is "abc\n": the newline is part of the value.
    await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'app-secrets' }, data: { TOKEN: Buffer.from('가나다').toString('base64'), NL: Buffer.from('abc\n').toString('base64') } } });
    await createPod('env', {
      containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], envFrom: [{ configMapRef: { name: 'app-config' } }, { secretRef: { name: 'app-secrets' } }] }],
    });
    await until('pod env Running', async () => (await pod('env')).status?.phase === 'Running');
    const r = await kubectl('exec', '-n', NS, 'env', '--', 'printenv', 'TOKEN', 'COLOR');
    assert.is(r.code, 0, r.err);
    assert.is(r.out, '가나다\nblue\n');
    const nl = await kubectl('exec', '-n', NS, 'env', '--', 'printenv', 'NL');
    assert.is(nl.out, 'abc\n\n', 'the Secret value keeps its trailing newline (printenv adds one more)');
    const missing = await kubectl('exec', '-n', NS, 'env', '--', 'printenv', 'NOT_SET');
    assert.is.not(missing.code, 0, 'printenv of an unset variable fails');
  });

  test('logs of a crashing pod show its token, and the pod goes to CrashLoopBackOff', async () => {
    await createPod('crash', { containers: [{ name: 'c', image: 'busybox:1.35', command: ['sh', '-c', 'echo "TOKEN=s3cr3t-42"; exit 3'] }] });
    const p = await until('CrashLoopBackOff', async () => { const x = await pod('crash'); return waitingReason(x) === 'CrashLoopBackOff' ? x : undefined; }, 120_000);
    assert.is(p.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 3);
    // The previous instance's log, as a trainee reads it. Once in a CI run (session 4) it came back empty: the
    // instance exits right after its echo, and a log can be lost; the next instance's has it (a trainee runs the
    // command again). Asked again for up to 30 s, and said when it took more than one try.
    let tries = 0;
    const logs = await until('the token in logs --previous', async () => {
      tries++;
      const l = await kubectl('logs', '-n', NS, 'crash', '--previous');
      return l.code === 0 && l.out.includes('TOKEN=s3cr3t-42') ? l : undefined;
    }, 30_000);
    if (tries > 1) console.log(`  logs --previous showed the token after ${tries} tries`);
    assert.match(logs.out, 'TOKEN=s3cr3t-42');
  });

  test('a misspelt image fails with a real ErrImagePull / ImagePullBackOff', async () => {
    await createPod('typo', { containers: [{ name: 'c', image: 'busyboxx:1.35', command: ['sleep', '60'] }] });
    const reason = await until('image pull error', async () => {
      const r = waitingReason(await pod('typo'));
      return r === 'ErrImagePull' || r === 'ImagePullBackOff' ? r : undefined;
    }, 120_000);
    assert.ok(['ErrImagePull', 'ImagePullBackOff'].includes(reason));
    const ev = await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'involvedObject.name=typo' });
    assert.ok(ev.items.some((e) => /busyboxx/.test(e.message ?? '') && e.reason === 'Failed'), 'a Failed event names the image');
  });

  test('envFrom naming a missing Secret gives CreateContainerConfigError', async () => {
    await createPod('nosecret', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'], envFrom: [{ secretRef: { name: 'app-secrets-missing' } }] }] });
    const p = await until('CreateContainerConfigError', async () => { const x = await pod('nosecret'); return waitingReason(x) === 'CreateContainerConfigError' ? x : undefined; });
    assert.match(p.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '', /app-secrets-missing.*not found/);
  });

  const local = info.provider === 'local';
  if (!local) console.log(`[real-node] NOT RUN on ${info.provider}: the image-pipeline and containerd-fault tests need the local provider's Docker engine, registry and containerd.`);
  if (local) test('an image built from a repo Dockerfile, pushed to the local registry and installed by helm serves HTTP', async () => {
    const { stateDir } = await import('../../cluster/local/cluster.js');
    const { dockerEnv, nodePaths } = await import('../../cluster/local/node.js');
    const { imagesDir } = await import('../../cluster/images/build.js');
    const docker = dockerEnv(nodePaths(stateDir()));
    const tag = `t${process.pid}`;
    const pushed = `127.0.0.1:5000/klab-test/django-sample:${tag}`;
    // The same Dockerfile a trainee builds; offline its base and wheels come from klab's own build.
    const wheels = mkdtempSync(join(tmpdir(), 'klab-wheels-'));
    const ctx = mkdtempSync(join(tmpdir(), 'klab-ctx-'));
    try {
      let r = await sh('cp', ['-a', `${join(imagesDir, 'django-app')}/.`, ctx]);
      assert.is(r.code, 0, r.err);
      r = await sh('python3', ['-m', 'pip', 'download', '--disable-pip-version-check', '--only-binary=:all:', '--python-version', '3.11', '-d', join(ctx, 'wheels'), '-r', join(ctx, 'requirements.txt')], { timeoutMs: 300_000 });
      assert.is(r.code, 0, r.err);
      r = await sh(docker.bin, ['build', '-q', '-t', pushed, '--build-arg', 'BASE_IMAGE=python:3.11-slim', '--build-arg', 'PIP_OPTS=--no-index --find-links=wheels', ctx], { env: docker.env, timeoutMs: 300_000 });
      assert.is(r.code, 0, `docker build: ${r.err}`);
      r = await sh(docker.bin, ['push', pushed], { env: docker.env });
      assert.is(r.code, 0, `docker push: ${r.err}`);
    } finally {
      rmSync(wheels, { recursive: true, force: true });
      rmSync(ctx, { recursive: true, force: true });
    }
    // A chart as `helm create` makes it, pointed at the pushed image (pulled by the node as localhost:5001/…).
    const charts = mkdtempSync(join(tmpdir(), 'klab-chart-'));
    try {
      const helm = (...a: string[]) => sh(toolPath('helm'), ['--kube-context', info.context, '--kubeconfig', info.kubeconfig, ...a], { cwd: charts, timeoutMs: 240_000 });
      let r = await helm('create', 'web');
      assert.is(r.code, 0, r.err);
      const values = join(charts, 'values.test.yaml');
      writeFileSync(values, [
        'image:', '  repository: localhost:5001/klab-test/django-sample', `  tag: "${tag}"`, '  pullPolicy: Always',
        'service:', '  type: NodePort', '  port: 8000',
        'nodeSelector:', '  klab.dev/real-node: "true"',
        '',
      ].join('\n'));
      // helm create's probes hit `/` on the `http` port, which the app answers.
      r = await helm('install', 'web', './web', '-n', NS, '-f', values, '--wait', '--timeout', '180s');
      assert.is(r.code, 0, `helm install: ${r.err}`);
      const svc = await core.readNamespacedService({ name: 'web', namespace: NS });
      // Through the API server's service proxy (ClusterIP Service → pod).
      const proxied = await until('service proxy answer', async () => {
        const x = await kubectl('get', '--raw', `/api/v1/namespaces/${NS}/services/web:http/proxy/`);
        return x.code === 0 && x.out.includes('klab-django-sample') ? x.out : undefined;
      }, 60_000);
      assert.is(JSON.parse(proxied).app, 'klab-django-sample');
      // Through the NodePort on the node's address.
      const node = await core.readNode({ name: (await core.listNode({ labelSelector: 'klab.dev/real-node=true' })).items[0]!.metadata!.name! });
      const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      const port = svc.spec?.ports?.[0]?.nodePort;
      assert.ok(ip && port, 'node IP and nodePort');
      const body = await until('NodePort answer', async () => {
        const res = await fetch(`http://${ip}:${port}/`, { signal: AbortSignal.timeout(5000) });
        return res.ok ? await res.json() as { app: string } : undefined;
      }, 60_000);
      assert.is(body.app, 'klab-django-sample');
    } finally {
      rmSync(charts, { recursive: true, force: true });
    }
  });

  if (!info.capabilities.argo) console.log(`[real-node] NOT RUN: the ${info.provider} cluster reports argo=false, so the Argo WorkflowTemplate test cannot run.`);
  if (info.capabilities.argo) test('an Argo WorkflowTemplate running Python succeeds on the real node with an output parameter', async () => {
    const group = 'argoproj.io', version = 'v1alpha1';
    await custom.createNamespacedCustomObject({ group, version, namespace: NS, plural: 'workflowtemplates', body: {
      apiVersion: `${group}/${version}`, kind: 'WorkflowTemplate', metadata: { name: 'py' },
      spec: {
        entrypoint: 'main',
        nodeSelector: { 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG', ...REAL },
        templates: [{
          name: 'main',
          outputs: { parameters: [{ name: 'answer', valueFrom: { path: '/tmp/answer.txt' } }] },
          script: { image: 'python:3.11-slim', command: ['python'], source: 'import platform\nopen("/tmp/answer.txt", "w").write(str(6 * 7))\nprint("python", platform.python_version())\n' },
        }],
      },
    } });
    await custom.createNamespacedCustomObject({ group, version, namespace: NS, plural: 'workflows', body: {
      apiVersion: `${group}/${version}`, kind: 'Workflow', metadata: { name: 'py-run' }, spec: { workflowTemplateRef: { name: 'py' } },
    } });
    type Wf = { status?: { phase?: string; message?: string; nodes?: Record<string, { type: string; phase: string; hostNodeName?: string; outputs?: { result?: string; parameters?: { name: string; value?: string }[] } }> } };
    const wf = await until('workflow finished', async () => {
      const w = await custom.getNamespacedCustomObject({ group, version, namespace: NS, plural: 'workflows', name: 'py-run' }) as Wf;
      return w.status?.phase && w.status.phase !== 'Running' && w.status.phase !== 'Pending' ? w : undefined;
    }, 240_000);
    assert.is(wf.status?.phase, 'Succeeded', wf.status?.message);
    const step = Object.values(wf.status?.nodes ?? {}).find((n) => n.type === 'Pod');
    assert.ok(step, 'a pod step');
    const real = (await core.listNode({ labelSelector: 'klab.dev/real-node=true' })).items.map((n) => n.metadata!.name!);
    assert.ok(real.includes(step!.hostNodeName ?? ''), `step ran on ${step!.hostNodeName}, not on the real node`);
    assert.is(step!.outputs?.parameters?.find((p) => p.name === 'answer')?.value, '42');
    // The step's own output, read back as a trainee would (`outputs.result` is only captured when another step uses it).
    const logs = await kubectl('logs', '-n', NS, '-l', 'workflows.argoproj.io/workflow=py-run', '-c', 'main');
    assert.is(logs.code, 0, logs.err);
    assert.match(logs.out, /^python 3\.\d+\.\d+$/m);
  });

  // Last: it disturbs the node (and restores it).
  if (local) test('containerd killed → the real node goes NotReady; restarted → Ready again', async () => {
    const { stateDir } = await import('../../cluster/local/cluster.js');
    const { nodePaths, realNodeStatus, restartContainerd } = await import('../../cluster/local/node.js');
    const P = nodePaths(stateDir());
    const pid = Number(readFileSync(join(P.run, 'containerd.pid'), 'utf8'));
    const nodeName = (await core.listNode({ labelSelector: 'klab.dev/real-node=true' })).items[0]!.metadata!.name!;
    const ready = async () => (await core.readNode({ name: nodeName })).status?.conditions?.find((c) => c.type === 'Ready');
    assert.is((await ready())?.status, 'True');
    process.kill(pid, 'SIGKILL');
    try {
      const cond = await until('node NotReady', async () => { const c = await ready(); return c && c.status !== 'True' ? c : undefined; }, 120_000);
      assert.match(cond.message ?? cond.reason ?? '', /runtime|containerd|PLEG|NotReady/i);
      assert.ok(realNodeStatus(stateDir()).some((t) => t.en === 'containerd: stopped'), 'status says containerd is stopped');
    } finally {
      await restartContainerd(stateDir());
      await until('node Ready again', async () => (await ready())?.status === 'True', 120_000);
    }
  });

}

test.run();
