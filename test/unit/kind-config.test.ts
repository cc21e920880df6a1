// The generated kind config: node labels, registry patch, port mappings — for several node-group files —
// and validated by kind's own loader + validation (cluster/kind/validate, built from sigs.k8s.io/kind).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { kindConfig, kindConfigYaml, localRegistryHostingConfigMap, markerLabel, registryHostsToml } from '../../cluster/kind/config.js';
import { labelProblems, loadNodeGroups, NODEGROUP_LABEL as nodeGroupLabel, parseNodeGroups, type NodeGroup } from '../../cluster/nodegroups.js';
import { hostPorts, kindNodeImage, registry } from '../../cluster/addons.js';
import { KlabError } from '../../i18n/index.js';

const threeGroups = `groups:
  - { name: PROTO-INFERENCE-NG, nodes: 2, real: 1, labels: { node-group: inference, workload.example.com/gpu: "false" } }
  - { name: PROTO-GENERAL-NG, nodes: 1, labels: { node-group: general } }
  - { name: PROTO-BATCH-NG, nodes: 3, labels: { node-group: batch, node.kubernetes.io/lifecycle: spot } }
`;
const oneGroup = `groups:\n  - { name: A, nodes: 1 }\n`;
const emptyGroup = `groups:\n  - { name: ONLY-CP, nodes: 0, labels: {} }\n`;
const tainted = `groups:
  - name: PROTO-GPU-NG
    nodes: 2
    labels: { node-group: gpu }
    taints:
      - { key: nvidia.com/gpu, value: "true", effect: NoSchedule }
      - { key: dedicated, effect: NoExecute }
  - { name: PROTO-GENERAL-NG, nodes: 1 }
`;

test('repo nodegroups.yaml → 1 control plane + workers labelled per group', async () => {
  const groups = await loadNodeGroups();
  const cfg = kindConfig(groups);
  assert.is(cfg.kind, 'Cluster');
  assert.is(cfg.apiVersion, 'kind.x-k8s.io/v1alpha4');
  assert.is(cfg.name, 'klab');
  const workers = cfg.nodes.filter((n) => n.role === 'worker');
  assert.is(cfg.nodes.filter((n) => n.role === 'control-plane').length, 1);
  assert.is(workers.length, groups.reduce((a, g) => a + g.nodes, 0));
  const inf = workers.filter((w) => w.labels[nodeGroupLabel] === 'PROTO-INFERENCE-NG');
  const gen = workers.filter((w) => w.labels[nodeGroupLabel] === 'PROTO-GENERAL-NG');
  assert.is(inf.length, 2);
  assert.is(gen.length, 1);
  assert.is(inf[0]!.labels['node-group'], 'inference');
  assert.is(gen[0]!.labels['node-group'], 'general');
  for (const n of cfg.nodes) { assert.is(n.labels[markerLabel], 'true'); assert.is(n.image, kindNodeImage.ref); }
});

test('several node-group files: worker count and labels follow the file', async () => {
  const cases: [string, number][] = [[threeGroups, 6], [oneGroup, 1], [emptyGroup, 0]];
  for (const [text, workers] of cases) {
    const cfg = kindConfig(await parseNodeGroups(text));
    const ws = cfg.nodes.filter((n) => n.role === 'worker');
    assert.is(ws.length, workers);
    for (const w of ws) assert.ok(w.labels[nodeGroupLabel], 'every worker has a node group');
  }
  const batch = kindConfig(await parseNodeGroups(threeGroups)).nodes.filter((n) => n.labels[nodeGroupLabel] === 'PROTO-BATCH-NG');
  assert.is(batch.length, 3);
  assert.is(batch[0]!.labels['node.kubernetes.io/lifecycle'], 'spot');
});

test('registry: containerd certs.d patch, hosts.toml and local-registry-hosting ConfigMap', async () => {
  const cfg = kindConfig(await loadNodeGroups());
  assert.is(cfg.containerdConfigPatches.length, 1);
  assert.match(cfg.containerdConfigPatches[0]!, /\[plugins\."io\.containerd\.grpc\.v1\.cri"\.registry\]/);
  assert.match(cfg.containerdConfigPatches[0]!, /config_path = "\/etc\/containerd\/certs\.d"/);
  const h = registryHostsToml();
  assert.is(h.dir, '/etc/containerd/certs.d/localhost:5001');
  assert.is(h.content, '[host."http://kind-registry:5000"]\n');
  const cm = localRegistryHostingConfigMap();
  assert.is(cm.metadata.namespace, 'kube-public');
  assert.is(cm.metadata.name, 'local-registry-hosting');
  assert.match(cm.data['localRegistryHosting.v1'], /host: "localhost:5001"/);
  assert.is(registry.hostPort, 5001);
});

test('port mappings: 80/443 and the NodePort slice on the control plane, bound to 127.0.0.1', async () => {
  const cfg = kindConfig(await loadNodeGroups());
  const cp = cfg.nodes[0]!;
  assert.is(cp.role, 'control-plane');
  assert.is(cp.labels['ingress-ready'], 'true');
  const m = cp.extraPortMappings!;
  assert.ok(m.some((p) => p.containerPort === 80 && p.hostPort === 80));
  assert.ok(m.some((p) => p.containerPort === 443 && p.hostPort === 443));
  for (let p = hostPorts.nodePortFirst; p < hostPorts.nodePortFirst + hostPorts.nodePortCount; p++) assert.ok(m.some((x) => x.containerPort === p && x.hostPort === p), `NodePort ${p}`);
  assert.ok(m.every((p) => p.listenAddress === '127.0.0.1'));
  assert.ok(cfg.nodes.slice(1).every((n) => !n.extraPortMappings), 'workers publish nothing');
  const custom = kindConfig(await loadNodeGroups(), { httpPort: 8080, httpsPort: 8443, nodePortCount: 2 });
  assert.equal(custom.nodes[0]!.extraPortMappings!.map((p) => p.hostPort), [8080, 8443, 30080, 30081]);
});

test('labels kubelet would refuse are rejected before kind runs (exit 2), good ones pass', async () => {
  assert.equal(labelProblems('eks.amazonaws.com/nodegroup', 'PROTO-INFERENCE-NG'), []);
  assert.equal(labelProblems('node-group', 'inference'), []);
  assert.equal(labelProblems('node.kubernetes.io/lifecycle', 'spot'), []);
  assert.ok(labelProblems('node-role.kubernetes.io/worker', '').length > 0);
  assert.ok(labelProblems('example.k8s.io/x', 'y').length > 0);
  assert.ok(labelProblems('bad key', 'x').length > 0);
  assert.ok(labelProblems('a', 'x'.repeat(64)).length > 0);
  const groups: NodeGroup[] = [{ name: 'G', nodes: 1, labels: { 'node-role.kubernetes.io/worker': '' } }];
  try { kindConfig(groups); assert.unreachable('should throw'); } catch (e) {
    assert.instance(e, KlabError);
    assert.is((e as KlabError).exitCode, 2);
    assert.match((e as KlabError).text.en, /node-role\.kubernetes\.io\/worker/);
    assert.match((e as KlabError).text.ko, /kubelet/);
  }
});

test('broken node-group files: clear message, exit 2', async () => {
  for (const [text, re] of [['groups: []', /groups/], ['groups:\n  - { name: "a b", nodes: 1 }', /name/], ['groups:\n  - { name: A, nodes: -1 }', /nodes/],
    ['groups:\n  - { name: A, nodes: 1 }\n  - { name: A, nodes: 1 }', /twice/], ['groups: [', /YAML/]] as [string, RegExp][]) {
    try { await parseNodeGroups(text, 'x.yaml'); assert.unreachable(text); } catch (e) {
      assert.instance(e, KlabError, text);
      assert.is((e as KlabError).exitCode, 2);
      assert.match((e as KlabError).text.en, re);
      assert.match((e as KlabError).text.en, /^x\.yaml:\d+: /);
    }
  }
});

test('taints reach kind: a JoinConfiguration patch on each worker of a tainted group, none elsewhere', async () => {
  const cfg = kindConfig(await parseNodeGroups(tainted));
  const gpu = cfg.nodes.filter((n) => n.labels[nodeGroupLabel] === 'PROTO-GPU-NG');
  assert.is(gpu.length, 2);
  for (const w of gpu) {
    assert.is(w.kubeadmConfigPatches?.length, 1);
    const patch = YAML.parse(w.kubeadmConfigPatches![0]!);
    assert.is(patch.kind, 'JoinConfiguration');
    assert.equal(patch.nodeRegistration.taints, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoExecute' }]);
  }
  for (const n of cfg.nodes.filter((x) => x.labels[nodeGroupLabel] !== 'PROTO-GPU-NG')) assert.is(n.kubeadmConfigPatches, undefined, `${n.role} has no patch`);
  // and through the generated file
  const again = YAML.parse(await kindConfigYaml(await parseNodeGroups(tainted)));
  assert.match(again.nodes[1].kubeadmConfigPatches[0], /taints:/);
});

test('the one loader reports kubelet label rules and taint rules at their line, in both languages', async () => {
  const text = 'groups:\n  - name: G\n    nodes: 1\n    labels:\n      node-role.kubernetes.io/worker: ""\n    taints:\n      - { key: "bad key", effect: NoSchedule }\n';
  try { await parseNodeGroups(text, 'ng.yaml'); assert.unreachable('should throw'); } catch (e) {
    assert.instance(e, KlabError);
    assert.is((e as KlabError).exitCode, 2);
    const { en, ko } = (e as KlabError).text;
    assert.match(en, /^ng\.yaml:5: label node-role\.kubernetes\.io\/worker: kubelet refuses/m);
    assert.match(en, /^ng\.yaml:7: taint bad key: the name must be/m);
    assert.match(ko, /^ng\.yaml:5: 라벨 node-role\.kubernetes\.io\/worker: kubelet 은/m);
    assert.match(ko, /^ng\.yaml:7: 테인트 bad key:/m);
  }
  // schema problems carry their line too
  try { await parseNodeGroups('groups:\n  - name: A\n    nodes: 21\n', 'ng.yaml'); assert.unreachable('should throw'); } catch (e) {
    assert.match((e as KlabError).text.en, /^ng\.yaml:3: \/groups\/0\/nodes: must be at most 20$/);
    assert.match((e as KlabError).text.ko, /^ng\.yaml:3: \/groups\/0\/nodes: 20 이하여야 합니다$/);
  }
});

test('generated YAML round-trips and says it is generated', async () => {
  const text = await kindConfigYaml(await loadNodeGroups());
  assert.match(text, /^# Generated by klab/);
  assert.equal(YAML.parse(text), kindConfig(await loadNodeGroups()));
});

// ---- kind itself validates the output ----
const { goAvailable, ensureValidator, validateKindConfigs } = await import('../../cluster/kind/validator.js');
if (!(await goAvailable())) {
  console.log('kind-config: kind validation NOT RUN — the `go` command is not available (needed to build cluster/kind/validate)');
} else {
  test("kind's own loader and validation accept every generated config and reject broken ones", async () => {
    const v = await ensureValidator();
    console.log(`kind-validate: ${v.built ? `built in ${v.seconds.toFixed(1)} s` : 'cached'} (${v.bin})`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'klab-kindcfg-'));
    const files: string[] = [];
    const t0 = performance.now();
    let n = 0;
    for (const [name, text] of [['repo', null], ['three', threeGroups], ['one', oneGroup], ['cp-only', emptyGroup], ['tainted', tainted]] as [string, string | null][]) {
      const groups = text ? await parseNodeGroups(text) : await loadNodeGroups();
      const f = path.join(dir, `${name}.yaml`);
      writeFileSync(f, await kindConfigYaml(groups)); n++;
      files.push(f);
    }
    console.log(`kind-config: generated ${n} configs in ${(performance.now() - t0).toFixed(1)} ms`);
    const results = await validateKindConfigs(v.bin, files);
    assert.is(results.length, files.length);
    for (const r of results) assert.ok(r.ok, `${r.file}: ${r.errors.join('; ')}`);
    assert.is(results[0]!.nodes, 4, 'repo config: control plane + 3 workers');
    assert.is(results[1]!.nodes, 7);
    assert.is(results[4]!.nodes, 4, 'tainted config: control plane + 3 workers, patches accepted');

    // The validator must be able to fail: kind's strict decoding, kind's validation, kubelet's label rule.
    const good = kindConfig(await loadNodeGroups());
    const bogus = path.join(dir, 'bogus.yaml');
    writeFileSync(bogus, YAML.stringify({ ...good, nodes: [{ ...good.nodes[0], bogusField: 1 }] }));
    const dupPort = path.join(dir, 'dup.yaml');
    writeFileSync(dupPort, YAML.stringify({ ...good, nodes: [{ ...good.nodes[0], extraPortMappings: [...good.nodes[0]!.extraPortMappings!, { containerPort: 81, hostPort: 80, listenAddress: '127.0.0.1', protocol: 'TCP' }] }] }));
    const noCp = path.join(dir, 'nocp.yaml');
    writeFileSync(noCp, YAML.stringify({ ...good, nodes: good.nodes.slice(1) }));
    const badLabel = path.join(dir, 'label.yaml');
    writeFileSync(badLabel, YAML.stringify({ ...good, nodes: [good.nodes[0], { ...good.nodes[1], labels: { 'node-role.kubernetes.io/worker': '' } }] }));
    const bad = await validateKindConfigs(v.bin, [bogus, dupPort, noCp, badLabel]);
    assert.not.ok(bad[0]!.ok); assert.match(bad[0]!.errors.join(), /bogusField/);
    assert.not.ok(bad[1]!.ok); assert.match(bad[1]!.errors.join(), /port mapping with same listen address/);
    assert.not.ok(bad[2]!.ok); assert.match(bad[2]!.errors.join(), /at least one control-plane node/);
    assert.not.ok(bad[3]!.ok); assert.match(bad[3]!.errors.join(), /kubelet refuses/);
  });
}

test.run();
