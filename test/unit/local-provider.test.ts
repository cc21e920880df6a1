// The local provider's parts that need no cluster: node planning, node-group validation, kwok stage patching,
// PKI, process-group stopping, port picking, cache/state paths, the "Go missing" message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadNodeGroups, parseNodeGroups, planNodes, groupShortName, NODEGROUP_LABEL } from '../../cluster/nodegroups.js';
import { patchStages, kwokNode, kwokArgs, KWOK_SELECTOR } from '../../cluster/local/kwok.js';
import { createPki, kubeconfigYaml } from '../../cluster/local/pki.js';
import { startProcess, stopProcess, groupMembers, isAlive, pickPort, logTail } from '../../host/procs.js';
import { findGo, cacheDir, binPath, tool, tools, rolloutsTools, ROLLOUTS_VERSION } from '../../cluster/local/tools.js';
import { stateDir, capabilitiesFor } from '../../cluster/local/cluster.js';
import { KlabError } from '../../i18n/index.js';
import { root } from './_cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'klab-local-unit-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('the repo node groups plan two inference nodes (one real) and one general node', async () => {
  const nodes = planNodes(await loadNodeGroups());
  assert.equal(nodes.map((n) => [n.name, n.group, n.real]), [
    ['klab-inference-1', 'PROTO-INFERENCE-NG', false],
    ['klab-inference-2', 'PROTO-INFERENCE-NG', true],
    ['klab-general-1', 'PROTO-GENERAL-NG', false],
  ]);
  assert.is(nodes[0].labels[NODEGROUP_LABEL], 'PROTO-INFERENCE-NG');
  assert.is(nodes[0].labels['node-group'], 'inference');
  assert.is(nodes[0].capacity.cpu, '8');
  assert.is(nodes[2].capacity.memory, '16Gi');
});

test('group short names come from the node-group label, else from the EKS name', () => {
  assert.is(groupShortName({ name: 'PROTO-INFERENCE-NG', nodes: 1 }), 'inference');
  assert.is(groupShortName({ name: 'X', nodes: 1, labels: { 'node-group': 'gpu' } }), 'gpu');
});

for (const [what, yaml, expect] of [
  ['real larger than nodes', 'groups:\n  - { name: A-NG, nodes: 1, real: 2 }\n', /real \(2\) is larger than nodes \(1\)/],
  ['a missing name', 'groups:\n  - { nodes: 1 }\n', /required property 'name' is missing/],
  ['an invalid label value', 'groups:\n  - { name: A-NG, nodes: 1, labels: { a: "no spaces" } }\n', /\/groups\/0\/labels\/a: does not match/],
  ['an unknown field', 'groups:\n  - { name: A-NG, nodes: 1, gpu: true }\n', /:2: unknown property 'gpu'/],
  ['a duplicate group', 'groups:\n  - { name: A-NG, nodes: 1 }\n  - { name: A-NG, nodes: 1 }\n', /:3: node group A-NG is defined twice/],
  ['broken YAML', 'groups: [\n', /YAML syntax error/],
] as const) {
  test(`node groups with ${what} are rejected with exit code 2`, async () => {
    const f = join(tmp, 'ng.yaml');
    writeFileSync(f, yaml);
    try {
      await loadNodeGroups(f);
      assert.unreachable('should have thrown');
    } catch (e) {
      assert.instance(e, KlabError);
      assert.is((e as KlabError).exitCode, 2);
      assert.match((e as KlabError).text.en, expect);
      assert.ok((e as KlabError).text.ko.length > 0);
    }
  });
}

test('taints reach the local plan: kwok Node objects and the real node\'s kubelet flag', async () => {
  const groups = await parseNodeGroups('groups:\n  - name: PROTO-GPU-NG\n    nodes: 2\n    real: 1\n    taints:\n      - { key: nvidia.com/gpu, value: "true", effect: NoSchedule }\n      - { key: dedicated, effect: NoExecute }\n  - { name: PROTO-GENERAL-NG, nodes: 1 }\n');
  const nodes = planNodes(groups);
  const want = [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoExecute' }];
  assert.equal(nodes[0].taints, want);
  assert.equal(nodes[1].taints, want);
  assert.equal(nodes[2].taints, []);
  assert.equal(kwokNode(nodes[0]).spec?.taints, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }, { key: 'dedicated', value: undefined, effect: 'NoExecute' }]);
  const { kubeletArgs } = await import('../../cluster/local/node/kubelet.js');
  const { nodePaths } = await import('../../cluster/local/node/services.js');
  const real = nodes.find((n) => n.real)!;
  const args = kubeletArgs(nodePaths(tmp), real.name, '192.0.2.9', real.labels, real.taints);
  assert.ok(args.includes('--register-with-taints=nvidia.com/gpu=true:NoSchedule,dedicated:NoExecute'), args.join(' '));
  assert.not.ok(kubeletArgs(nodePaths(tmp), 'n', '192.0.2.9', {}).some((a) => a.startsWith('--register-with-taints')));
});

test('kwok nodes carry the kwok annotation, EKS labels and capacity; kwok manages only annotated nodes', async () => {
  const [n] = planNodes(await loadNodeGroups());
  const node = kwokNode(n);
  assert.is(node.metadata?.annotations?.['kwok.x-k8s.io/node'], 'fake');
  assert.is(node.metadata?.labels?.[NODEGROUP_LABEL], 'PROTO-INFERENCE-NG');
  assert.is(node.status?.allocatable?.cpu, '8');
  const args = kwokArgs({ kubeconfig: 'k', config: 'c', nodeIP: '10.0.0.1', port: 10999 });
  assert.ok(args.includes('--node-port=10999'));
  assert.ok(args.includes('--manage-all-nodes=false'));
  assert.ok(args.includes(`--manage-nodes-with-annotation-selector=${KWOK_SELECTOR}`));
});

test('the pod-complete stage is extended to pods owned by Workflows, other stages untouched', () => {
  const docs = [
    { kind: 'Stage', metadata: { name: 'pod-ready' }, spec: { selector: { matchExpressions: [{ key: '.status.phase', operator: 'In', values: ['Pending'] }] } } },
    { kind: 'Stage', metadata: { name: 'pod-complete' }, spec: { selector: { matchExpressions: [{ key: '.metadata.ownerReferences.[].kind', operator: 'In', values: ['Job'] }] } } },
  ];
  const out = patchStages(structuredClone(docs));
  assert.equal(out[1].spec.selector?.matchExpressions?.[0].values, ['Job', 'Workflow']);
  assert.equal(out[0], docs[0]);
  assert.throws(() => patchStages([{ kind: 'Stage', metadata: { name: 'pod-complete' }, spec: { selector: { matchExpressions: [] } } }]), /upstream file changed/);
});

test('the PKI: serving cert has the SANs pods and users need, client certs carry their groups, all signed by the CA', async () => {
  const dir = join(tmp, 'pki');
  await createPki({ dir, hostIP: '192.0.2.77', serviceIP: '10.96.0.1' });
  const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
  assert.ok(ca.ca, 'CA cert is a CA');
  const api = new X509Certificate(readFileSync(join(dir, 'apiserver.crt')));
  for (const san of ['IP Address:127.0.0.1', 'IP Address:192.0.2.77', 'IP Address:10.96.0.1', 'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local']) {
    assert.ok(api.subjectAltName?.includes(san), `${san} in ${api.subjectAltName}`);
  }
  assert.ok(api.verify(ca.publicKey), 'apiserver cert signed by the CA');
  const admin = new X509Certificate(readFileSync(join(dir, 'admin.crt')));
  assert.match(admin.subject, /O=system:masters/);
  assert.match(admin.subject, /CN=kubernetes-admin/);
  assert.ok(admin.verify(ca.publicKey));
  assert.ok(readFileSync(join(dir, 'admin.key'), 'utf8').includes('PRIVATE KEY'));
  const kc = parse(kubeconfigYaml(dir, 'https://127.0.0.1:6443', 'admin', 'klab-local')) as { 'current-context': string; clusters: { cluster: { server: string } }[] };
  assert.is(kc['current-context'], 'klab-local');
  assert.is(kc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
});

test('stopping a component stops its whole process group (nothing left behind)', async () => {
  const log = join(tmp, 'logs', 'sh.log');
  const rec = startProcess('sh', '/bin/sh', ['-c', 'sleep 300 & sleep 300 & echo started; wait'], log);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(isAlive(rec));
  assert.ok(groupMembers(rec.pid).length >= 3, 'shell and two children');
  await stopProcess(rec, 3000);
  assert.not.ok(isAlive(rec));
  assert.equal(groupMembers(rec.pid), []);
  assert.match(logTail(log), /started/);
});

test('a recycled pid is not mistaken for our process', () => {
  assert.not.ok(isAlive({ pid: process.pid, bin: '/nonexistent/etcd' }));
});

test('a port in use is replaced by a free one', async () => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen({ port: 0, host: '0.0.0.0' }, () => r()));
  const used = (srv.address() as { port: number }).port;
  try {
    const p = await pickPort(used);
    assert.is.not(p, used);
    assert.ok(p > 0);
  } finally {
    srv.close();
  }
});

test('cache and state folders follow XDG_CACHE_HOME / XDG_STATE_HOME; binaries are keyed by version', () => {
  assert.is(cacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/klab');
  assert.is(stateDir({ XDG_STATE_HOME: '/x/state' }), '/x/state/klab/local');
  assert.is(stateDir({ XDG_STATE_HOME: '/x/state', KLAB_LOCAL_STATE_DIR: '/y/local' }), '/y/local');
  assert.is(binPath(tool('etcd'), { XDG_CACHE_HOME: '/x/cache' }), `/x/cache/klab/bin/etcd-${tool('etcd').version}`);
  assert.ok(tools.every((t) => /^v\d+\.\d+\.\d+$/.test(t.version)));
});

test('Go missing is a clear KlabError (exit 3) naming what to install', async () => {
  try {
    await findGo({ PATH: '/nonexistent' }, ['/nonexistent/go']);
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, KlabError);
    assert.is((e as KlabError).exitCode, 3);
    assert.match((e as KlabError).text.en, /Install Go 1\.25/);
    assert.match((e as KlabError).text.ko, /Go 1\.25 이상을 설치하세요/);
  }
});

test('capabilities: real pods, exec and logs only with a real node', () => {
  assert.equal(capabilitiesFor(false), { nodeGroups: true, helm: true, argo: true, realPods: false, exec: false, logs: false, registry: false, ingress: false, rollouts: true, traefikMiddleware: false, gatewayApi: false, loadBalancer: false, metallb: false });
  assert.is(capabilitiesFor(true).realPods, true);
  // MetalLB only once a lab asked for it (cluster/local/cluster.ts ensureAddons sets both).
  assert.is(capabilitiesFor(true, true).loadBalancer, false);
  assert.is(capabilitiesFor(true).exec, true);
  // The Ingress controller only with a real node (its backends must answer) and only when it runs.
  assert.is(capabilitiesFor(true).ingress, false);
  assert.is(capabilitiesFor(true, true).ingress, true);
  assert.is(capabilitiesFor(false, true).ingress, false);
});

test('Traefik: the version kind pins, its module requires it, and the host process gets kind\'s provider flags', async () => {
  const { traefik: pin } = await import('../../cluster/addons.js');
  const { traefikArgs, traefikClusterObjects, INGRESS_ADDRESS } = await import('../../cluster/local/traefik.js');
  const { traefikManifests } = await import('../../cluster/kind/traefik.js');
  const t = tool('traefik');
  assert.is(t.version, pin.image.version);
  const gomod = readFileSync(join(root, 'cluster/local/traefik/go.mod'), 'utf8');
  assert.match(gomod, new RegExp(`github.com/traefik/traefik/v3 ${t.version.replace(/\./g, '\\.')}`));
  assert.match(gomod, /^tool github.com\/traefik\/traefik\/v3\/cmd\/traefik$/m);
  // Every provider flag kind's Deployment passes (class, status address) is passed on local too.
  const kindArgs = (traefikManifests().find((o: any) => o.kind === 'Deployment') as any).spec.template.spec.containers[0].args as string[];
  const local = traefikArgs(9000);
  for (const a of kindArgs.filter((x) => x.startsWith('--providers.') || x.includes('.http.tls'))) assert.ok(local.includes(a), a);
  assert.ok(local.includes('--entryPoints.websecure.http.tls=true'), 'HTTPS on websecure (an Ingress\'s spec.tls only adds certificates)');
  assert.ok(local.includes(`--entryPoints.web.address=${INGRESS_ADDRESS}:80`));
  // The same ClusterRole, default IngressClass and GatewayClass, bound to Traefik's certificate user.
  const kinds = traefikClusterObjects().map((o: any) => `${o.kind}/${o.metadata.name}`);
  assert.equal(kinds, ['ClusterRole/klab-traefik', 'IngressClass/traefik', 'GatewayClass/traefik', 'ClusterRoleBinding/klab-traefik']);
  assert.is((traefikClusterObjects()[3] as any).subjects[0].name, 'klab-traefik');
  // The CRD and Gateway providers on both (decisions 0031/0032), the Gateway's status address the Ingresses' one.
  for (const a of ['--providers.kubernetescrd=true', '--providers.kubernetesgateway=true', `--providers.kubernetesgateway.statusaddress.ip=${INGRESS_ADDRESS}`]) assert.ok(local.includes(a), a);
  // What those providers watch is readable by Traefik's ClusterRole, and its Gateway statuses writable.
  const rules = (traefikClusterObjects()[0] as any).rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  const can = (group: string, res: string, verb: string) => rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(res) && r.verbs.includes(verb));
  for (const r of ['middlewares', 'ingressroutes', 'tlsoptions']) assert.ok(can('traefik.io', r, 'watch'), r);
  for (const r of ['gatewayclasses', 'gateways', 'httproutes', 'referencegrants']) assert.ok(can('gateway.networking.k8s.io', r, 'list'), r);
  for (const r of ['gatewayclasses/status', 'gateways/status', 'httproutes/status']) assert.ok(can('gateway.networking.k8s.io', r, 'update'), r);
  assert.ok(can('', 'namespaces', 'watch') && can('', 'configmaps', 'watch'));
});
test('Argo Rollouts: built only on demand (not among the tools every cluster start builds), controller and plugin from one module version', () => {
  assert.ok(!tools.some((t) => rolloutsTools.includes(t)));
  assert.equal(rolloutsTools.map((t) => t.name), ['rollouts-controller', 'kubectl-argo-rollouts']);
  assert.ok(rolloutsTools.every((t) => t.version === ROLLOUTS_VERSION && t.module === 'rollouts'));
  assert.is([tool('kubectl-argo-rollouts').patch ?? []].flat()[0]?.add[0]?.file, 'server/static/index.html');
});


test.run();
