// npm run bench:check — a 10-check lab on a warm cluster: klab (one process, kept connections) against an equivalent
// shell verify script that asks the same questions with one kubectl call each (the way Killercoda/Instruqt check
// scripts work). Median of 10 runs each, printed as a ratio. A benchmark, not a timed test.
//   cluster: KLAB_TEST_CLUSTER (JSON ClusterInfo), else KLAB_BENCH_KUBECONFIG (+ KLAB_BENCH_CONTEXT),
//            else the local provider's ~/.local/state/klab/local/kubeconfig
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { runChecks } from '../../checkers/runner.js';
import { parseCheckFile } from '../../checkers/assert.js';
import { checkFromSpec } from '../../checkers/kinds.js';
import { noCapabilities } from '../../cluster/provider.js';
import { benchKubectl, benchTarget } from './_cluster.js';

const execFileP = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const RUNS = Number(process.env.KLAB_BENCH_RUNS ?? 10);

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const NS = `chk-bench-${process.pid}`;

const CHECKS = `namespace: ${NS}
checks:
  - { id: deploy-rolled-out, kind: rollout, deployment: web, replicas: 2 }
  - { id: deploy-image, kind: resource-match, resource: { apiVersion: apps/v1, kind: Deployment, name: web }, match: { spec: { template: { spec: { containers: [{ name: app, image: "busybox:1.35" }] } } } } }
  - { id: deploy-strategy, kind: rollout, deployment: web, rolledOut: false, strategy: { type: Recreate } }
  - { id: pods-healthy, kind: pod-status, selector: { deployment: web } }
  - { id: svc-type, kind: service, service: web, type: ClusterIP, minEndpoints: 0 }
  - { id: cm-value, kind: resource-match, resource: { apiVersion: v1, kind: ConfigMap, name: app-config }, match: { data: { MODE: prod } } }
  - { id: secret-exists, kind: resource-match, resource: { apiVersion: v1, kind: Secret, name: app-secrets }, match: { type: Opaque } }
  - { id: env-token, kind: env-in-pod, selector: { deployment: web }, expect: { MODE: prod } }
  - { id: placement, kind: node-placement, selector: { deployment: web }, nodeLabels: { eks.amazonaws.com/nodegroup: PROTO-INFERENCE-NG }, minPods: 2 }
  - { id: no-legacy, kind: resource-match, resource: { apiVersion: v1, kind: ConfigMap, name: legacy }, absent: true }
`;

// The same ten questions, one kubectl call each, as a typical verify.sh would ask them.
const SCRIPT = (k: string) => `#!/bin/sh
set -u
K="${k}"
ns=${NS}
fail=0
ok() { [ "$1" = "$2" ] || { echo "FAIL $3: '$1' != '$2'"; fail=1; }; }
ok "$($K -n $ns get deploy web -o jsonpath='{.status.availableReplicas}/{.status.updatedReplicas}')" "2/2" rollout
ok "$($K -n $ns get deploy web -o jsonpath='{.spec.template.spec.containers[?(@.name=="app")].image}')" "busybox:1.35" image
ok "$($K -n $ns get deploy web -o jsonpath='{.spec.strategy.type}')" "Recreate" strategy
ok "$($K -n $ns get pods -l app=web -o jsonpath='{range .items[*]}{.status.phase}{" "}{end}')" "Running Running " pods
ok "$($K -n $ns get svc web -o jsonpath='{.spec.type}')" "ClusterIP" svc
ok "$($K -n $ns get cm app-config -o jsonpath='{.data.MODE}')" "prod" cm
ok "$($K -n $ns get secret app-secrets -o jsonpath='{.type}')" "Opaque" secret
ok "$($K -n $ns get pods -l app=web -o jsonpath='{.items[0].spec.containers[0].env[?(@.name=="MODE")].valueFrom.configMapKeyRef.name}')" "app-config" env
ok "$($K -n $ns get pods -l app=web -o jsonpath='{range .items[*]}{.spec.nodeName}{" "}{end}' | wc -w | tr -d ' ')" "2" placement
$K -n $ns get cm legacy >/dev/null 2>&1 && { echo "FAIL legacy"; fail=1; }
exit $fail
`;

async function main() {
  const t = benchTarget('bench:check');
  const k = benchKubectl('bench:check', 'for the shell side');
  const kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  if (t.context) kc.setCurrentContext(t.context);
  const core = kc.makeApiClient(CoreV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const dir = mkdtempSync(join(tmpdir(), 'klab-bench-'));
  const kcArgs = `--kubeconfig ${t.kubeconfig}${t.context ? ` --context ${t.context}` : ''}`;
  try {
    await core.createNamespace({ body: { metadata: { name: NS } } });
    const inf = (await core.listNode({ labelSelector: 'eks.amazonaws.com/nodegroup=PROTO-INFERENCE-NG' })).items.map((n) => n.metadata!.name!);
    for (let i = 0; i < 50 && !(await core.readNamespacedServiceAccount({ name: 'default', namespace: NS }).catch(() => null)); i++) await new Promise((r) => setTimeout(r, 200));
    const objs: any[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: NS }, data: { MODE: 'prod' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-secrets', namespace: NS }, type: 'Opaque', stringData: { TOKEN: 'x' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: 2, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: {
        nodeSelector: { 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG' }, terminationGracePeriodSeconds: 0,
        containers: [{ name: 'app', image: 'busybox:1.35', command: ['sh', '-c', 'sleep 3600'], env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'MODE' } } }] }] } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    ];
    for (const o of objs) await objects.create(o);
    const file = join(dir, 'checks.yaml');
    writeFileSync(file, CHECKS);
    const script = join(dir, 'verify.sh');
    writeFileSync(script, SCRIPT(`${k} ${kcArgs}`), { mode: 0o755 });
    const f = parseCheckFile(CHECKS, file);
    const caps = { ...noCapabilities, nodeGroups: true, realPods: inf.length > 0, exec: true, logs: true };
    const inProcess = async () => {
      const r = await runChecks(f.checks.map((s) => checkFromSpec(s, { namespace: NS })), { kc, lang: 'en', namespace: NS, params: {}, capabilities: caps, answers: {}, lab: 'bench', seed: '', defaultTimeoutMs: 0 });
      return r;
    };
    // wait until the lab state is there (warm cluster), and both sides agree it passes
    let warm = false;
    for (let i = 0; i < 120 && !warm; i++) {
      const r = await inProcess();
      warm = r.passed && spawnSync('sh', [script]).status === 0;
      if (!warm) await new Promise((res) => setTimeout(res, 1000));
    }
    if (!warm) {
      const r = await inProcess();
      console.error('the bench lab never passed:', r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message.en}`).join('\n'));
      process.exitCode = 1;
      return;
    }
    const time = async (fn: () => Promise<unknown>) => { const t0 = process.hrtime.bigint(); await fn(); return Number(process.hrtime.bigint() - t0) / 1e6; };
    const klabCli = () => execFileP(process.execPath, [join(root, 'dist/scripts/klab.js'), 'assert', '-f', file, '--kubeconfig', t.kubeconfig, ...(t.context ? ['--context', t.context] : []), '--namespace', NS, '--json']);
    const runnerProc = () => execFileP(process.execPath, ['-e', `
      const { runChecks } = await import(${JSON.stringify(join(root, 'dist/checkers/runner.js'))});
      const { loadCheckFile } = await import(${JSON.stringify(join(root, 'dist/checkers/assert.js'))});
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig(); kc.loadFromFile(${JSON.stringify(t.kubeconfig)}); ${t.context ? `kc.setCurrentContext(${JSON.stringify(t.context)});` : ''}
      const r = await runChecks(await loadCheckFile(${JSON.stringify(file)}), { kc, lang: 'en', namespace: ${JSON.stringify(NS)}, params: {}, capabilities: ${JSON.stringify(caps)}, answers: {}, lab: 'bench', seed: '', defaultTimeoutMs: 0 });
      if (!r.passed) process.exitCode = 1;`], { cwd: root });
    const shell = () => execFileP('sh', [script]);
    const sample = async (fn: () => Promise<unknown>) => { await fn(); const xs: number[] = []; for (let i = 0; i < RUNS; i++) xs.push(await time(fn)); return xs; };
    const perCheck = new Map<string, number[]>();
    const inproc = await sample(async () => { const r = await inProcess(); for (const c of r.checks) perCheck.set(c.id, [...(perCheck.get(c.id) ?? []), c.durationMs]); });
    const proc = await sample(runnerProc);
    const sh = await sample(shell);
    let cli: number[] | undefined;
    try { cli = await sample(klabCli); } catch (e) { console.log(`(klab assert CLI not measured: ${(e as Error).message.split('\n')[0]})`); }
    const fmt = (xs: number[]) => `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    console.log(`bench:check — 10 checks, median of ${RUNS} runs, cluster ${t.context || t.kubeconfig}`);
    console.log(`  shell verify script (10 kubectl calls):   ${fmt(sh)}`);
    console.log(`  klab checkers, new node process:          ${fmt(proc)}   → ${(median(sh) / median(proc)).toFixed(1)}× faster`);
    if (cli) console.log(`  klab assert CLI (whole command):          ${fmt(cli)}   → ${(median(sh) / median(cli)).toFixed(1)}× faster`);
    console.log(`  klab checkers, in process (warm):         ${fmt(inproc)}   → ${(median(sh) / median(inproc)).toFixed(1)}× faster`);
    console.log(`  per check, in process (median ms): ${[...perCheck].map(([id, xs]) => `${id} ${median(xs)}`).join(', ')}`);
    console.log(`  goal: at least 5× — ${median(sh) / median(cli ?? proc) >= 5 ? 'met' : 'NOT met'} for the ${cli ? 'CLI' : 'process'} figure`);
  } finally {
    await core.deleteNamespace({ name: NS }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
