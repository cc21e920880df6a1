// The kind provider against a real Docker engine. Runs only when KLAB_TEST_PROVIDER=kind and Docker + kind are usable
// (trainee machines, hosted CI with Docker); elsewhere it prints that it was NOT run and why, and registers no test
// (neither a pass nor a fake pass).
//   KLAB_TEST_PROVIDER=kind npm test                    (whole suite on kind, through test/run.ts)
//   KLAB_TEST_PROVIDER=kind node node_modules/uvu/bin.js dist/test/integration kind-   (this file alone)
// Prints the phase timings of `klab cluster up` and the cluster's memory with and without Argo (docker stats).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClusterInfo, Progress } from '../../cluster/provider.js';
import { tr, type Text } from '../../i18n/index.js';
import { createProvider, dockerEngine, clusterMemoryMiB, kindContext } from '../../cluster/kind.js';
import { loadNodeGroups, NODEGROUP_LABEL as nodeGroupLabel } from '../../cluster/nodegroups.js';
import { registryHostsToml } from '../../cluster/kind/config.js';
import { argo } from '../../cluster/addons.js';
import { run, which } from '../../host/procs.js';

async function notRunReason(): Promise<string | undefined> {
  if (process.env.KLAB_TEST_PROVIDER !== 'kind') return `KLAB_TEST_PROVIDER is '${process.env.KLAB_TEST_PROVIDER ?? ''}', not 'kind'`;
  const d = await dockerEngine();
  if (!d.ok) return `no Docker engine: ${tr(d.error.text, 'en').split('\n')[0]}`;
  if (!which('kind')) return 'the kind command is not on PATH';
  if (!which('kubectl')) return 'the kubectl command is not on PATH';
  const priv = await run('docker', ['run', '--rm', '--privileged', 'busybox:1.37', 'true'], { timeoutMs: 180_000 });
  if (priv.code !== 0) return `this Docker engine cannot run privileged containers (kind needs them): ${priv.stderr.trim().split('\n').pop()}`;
  return undefined;
}

/** Records phases with timings (and prints them: the benchmark figures). */
function recorder() {
  const phases: { name: string; seconds?: number }[] = [];
  const infos: string[] = [];
  let t = 0;
  const p: Progress = {
    phase(name: Text) { phases.push({ name: name.en }); t = performance.now(); },
    done(note?: Text) { const last = phases[phases.length - 1]; if (last) last.seconds = (performance.now() - t) / 1000; if (note) last!.name += ` — ${note.en}`; },
    info(text: Text) { infos.push(text.en); },
  };
  return { p, phases, infos, print(title: string) { console.log(`\n${title}`); for (const ph of phases) console.log(`  ${(ph.seconds ?? NaN).toFixed(1).padStart(6)} s  ${ph.name}`); for (const i of infos) console.log(`  · ${i}`); } };
}

const reason = await notRunReason();
if (reason) {
  console.log(`kind integration: NOT RUN — ${reason}`);
} else {
  const provider = createProvider({});
  const ownedByRunner = (() => { try { return (JSON.parse(process.env.KLAB_TEST_CLUSTER ?? '{}') as ClusterInfo).provider === 'kind'; } catch { return false; } })();
  let info: ClusterInfo;
  const k = (args: string[]) => run('kubectl', ['--kubeconfig', info.kubeconfig, '--context', kindContext, ...args], { timeoutMs: 120_000 });
  let memNoArgo: number | undefined;

  test('up: cluster, registry, Traefik — phases timed', async () => {
    const r = recorder();
    info = await provider.up({ progress: r.p });
    r.print('klab cluster up --provider kind');
    assert.is(info.context, 'kind-klab');
    assert.ok(info.capabilities.registry && info.capabilities.ingress && info.capabilities.nodeGroups);
    memNoArgo = (await clusterMemoryMiB())?.total;
  });

  test('nodes carry the node-group labels from cluster/nodegroups.yaml', async () => {
    const groups = await loadNodeGroups();
    const out = await k(['get', 'nodes', '-o', 'json']);
    assert.is(out.code, 0, out.stderr);
    const nodes = JSON.parse(out.stdout).items as any[];
    for (const g of groups) {
      const mine = nodes.filter((n) => n.metadata.labels[nodeGroupLabel] === g.name);
      assert.is(mine.length, g.nodes, g.name);
      for (const n of mine) for (const [key, v] of Object.entries(g.labels ?? {})) assert.is(n.metadata.labels[key], v);
    }
    assert.ok(nodes.every((n) => n.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True')));
  });

  test('registry: hosts.toml on every node, kind network, local-registry-hosting ConfigMap', async () => {
    const nodes = (await run('kind', ['get', 'nodes', '--name', 'klab'])).stdout.trim().split('\n');
    const h = registryHostsToml();
    for (const n of nodes) {
      const cat = await run('docker', ['exec', n, 'cat', `${h.dir}/hosts.toml`]);
      assert.is(cat.stdout, h.content, n);
    }
    const cm = await k(['get', 'configmap', 'local-registry-hosting', '-n', 'kube-public', '-o', 'jsonpath={.data.localRegistryHosting\\.v1}']);
    assert.match(cm.stdout, /localhost:5001/);
    const net = await run('docker', ['inspect', '-f', '{{json .NetworkSettings.Networks.kind}}', 'kind-registry']);
    assert.is.not(net.stdout.trim(), 'null');
  });

  test('Traefik serves Ingress on host port 80', async () => {
    const ready = await k(['get', 'deployment', 'traefik', '-n', 'traefik', '-o', 'jsonpath={.status.availableReplicas}']);
    assert.is(ready.stdout, '1');
    const res = await fetch('http://127.0.0.1:80/', { signal: AbortSignal.timeout(10_000) });
    assert.is(res.status, 404, 'Traefik answers (no Ingress yet → 404)');
  });

  test('up again is a no-op that reports the state', async () => {
    const r = recorder();
    const t0 = performance.now();
    await provider.up({ progress: r.p });
    r.print('klab cluster up --provider kind (second time)');
    assert.not.ok(r.phases.some((p) => p.name.startsWith('Creating the kind cluster')), 'no create phase');
    assert.ok(r.infos.some((i) => i.includes('already running')));
    assert.ok(r.phases.filter((p) => p.name.includes('Traefik')).every((p) => p.name.includes('already present')));
    console.log(`  second up: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });

  test('Argo on demand: controller on PROTO-INFERENCE-NG; memory with and without Argo', async () => {
    const r = recorder();
    await provider.up({ progress: r.p, addons: ['argo'] });
    r.print('klab cluster up --provider kind (with Argo)');
    const pods = await k(['get', 'pods', '-n', argo.namespace, '-l', 'app=workflow-controller', '-o', 'jsonpath={.items[*].spec.nodeName}']);
    assert.ok(pods.stdout.trim().length > 0, 'controller pod exists');
    for (const node of pods.stdout.trim().split(/\s+/)) {
      const g = await k(['get', 'node', node, '-o', `jsonpath={.metadata.labels.eks\\.amazonaws\\.com/nodegroup}`]);
      assert.is(g.stdout, argo.nodeGroup);
    }
    const withArgo = (await clusterMemoryMiB())?.total;
    console.log(`  memory (docker stats): without Argo ${memNoArgo ?? '?'} MiB, with Argo ${withArgo ?? '?'} MiB`);
  });

  if (!ownedByRunner && !process.env.KLAB_TEST_KEEP) {
    test('down deletes the cluster and the registry', async () => {
      const r = recorder();
      await provider.down({ progress: r.p });
      assert.not.ok((await run('kind', ['get', 'clusters'])).stdout.split('\n').includes('klab'));
      assert.is.not((await run('docker', ['inspect', 'kind-registry'])).code, 0);
    });
  }
}

test.run();
