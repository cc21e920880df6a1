// The real node's pure parts (no cluster, no root): image names → registry paths, the generated containerd,
// kubelet, kube-proxy and CNI configurations, iptables rule parsing for cleanup, and the busybox shell stand-ins.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { registryPath, IMAGES, imagesDir, PAUSE_IMAGE } from '../../cluster/images/build.js';
import { nodePaths, containerdConfig, MIRRORED } from '../../cluster/local/node/services.js';
import { writeNodeConfigs, writeCni, kubeletArgs } from '../../cluster/local/node/kubelet.js';
import { splitArgs } from '../../cluster/local/node/cleanup.js';

test('image references map to the registry paths containerd asks the mirror for', () => {
  assert.is(registryPath('busybox'), 'library/busybox:latest');
  assert.is(registryPath('busybox:1.35'), 'library/busybox:1.35');
  assert.is(registryPath('docker.io/library/python:3.11-slim'), 'library/python:3.11-slim');
  assert.is(registryPath('quay.io/argoproj/argoexec:v4.0.5'), 'argoproj/argoexec:v4.0.5');
  assert.is(registryPath('registry.k8s.io/pause:3.10'), 'pause:3.10');
  assert.is(registryPath('localhost:5001/klab/django-sample:1.0'), 'klab/django-sample:1.0');
  assert.is(registryPath('someuser/app'), 'someuser/app:latest');
});

test('every image has a Dockerfile, and the sandbox image is one of them', () => {
  for (const i of IMAGES) assert.ok(readFileSync(join(imagesDir, i.dir, 'Dockerfile'), 'utf8').includes('FROM'), i.name);
  assert.ok(IMAGES.find((i) => i.name === 'pause')!.refs.includes(PAUSE_IMAGE));
  // Offline bases are build arguments with a normal default, so the Dockerfiles build anywhere.
  assert.match(readFileSync(join(imagesDir, 'django-app', 'Dockerfile'), 'utf8'), /ARG BASE_IMAGE=python:3\.11-slim/);
});

test('containerd config: CRI with restrict_oom_score_adj, cgroupfs, local sandbox image, http mirrors', () => {
  const P = nodePaths('/s');
  const c = containerdConfig(P);
  assert.match(c, /restrict_oom_score_adj = true/);
  assert.match(c, /SystemdCgroup = false/);
  assert.match(c, new RegExp(`sandbox_image = "${PAUSE_IMAGE}"`));
  assert.match(c, /address = "\/s\/node\/containerd\/containerd.sock"/);
  for (const r of ['docker.io', 'quay.io', 'registry.k8s.io', 'localhost:5001']) {
    assert.ok(MIRRORED.includes(r));
    assert.match(c, new RegExp(`mirrors\\."${r.replace(/\./g, '\\.')}"\\]\\s+endpoint = \\["http://127\\.0\\.0\\.1:5000"\\]`));
  }
  assert.not.match(c, /\{\{\w/);
});

test('kubelet, kube-proxy and CNI configs are complete and carry the settings this machine needs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'klab-node-'));
  try {
    // A throwaway CA is enough: the configs only embed it.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-subj', '/CN=t', '-days', '1'], { stdio: 'ignore' });
    const P = nodePaths(dir);
    execFileSync('mkdir', ['-p', P.kubelet.pki]);
    for (const n of ['kubelet-client', 'kube-proxy']) { execFileSync('cp', [join(dir, 'ca.crt'), join(P.kubelet.pki, `${n}.crt`)]); execFileSync('cp', [join(dir, 'ca.key'), join(P.kubelet.pki, `${n}.key`)]); }
    writeNodeConfigs(P, { nodeName: 'n1', nodeIP: '192.0.2.9', server: 'https://192.0.2.9:6443', caDir: dir, clusterDns: '10.96.0.10', podCidr: '10.244.0.0/16' });
    const k = parse(readFileSync(P.kubelet.config, 'utf8'));
    assert.is(k.cgroupDriver, 'cgroupfs');
    assert.is(k.failCgroupV1, false);
    assert.is(k.failSwapOn, false);
    assert.is(k.imageGCHighThresholdPercent, 100);
    assert.ok(k.imageGCLowThresholdPercent < k.imageGCHighThresholdPercent);
    assert.equal(k.clusterDNS, ['10.96.0.10']);
    assert.is(k.containerRuntimeEndpoint, `unix://${P.containerd.socket}`);
    assert.is(k.authentication.anonymous.enabled, false);
    const resolv = readFileSync(k.resolvConf, 'utf8');
    assert.not.match(resolv, /nameserver\s+127\./, 'pods never get the host loopback resolver');
    const kp = parse(readFileSync(P.proxy.config, 'utf8'));
    assert.is(kp.mode, 'iptables');
    assert.is(kp.hostnameOverride, 'n1');
    assert.is(kp.clusterCIDR, '10.244.0.0/16');
    const kc = parse(readFileSync(P.kubelet.kubeconfig, 'utf8'));
    assert.is(kc.clusters[0].cluster.server, 'https://192.0.2.9:6443');
    writeCni(P, '10.244.3.0/24');
    const cni = JSON.parse(readFileSync(join(P.cni.conf, '10-klab.conflist'), 'utf8'));
    assert.equal(cni.plugins.map((p: { type: string }) => p.type), ['bridge', 'portmap', 'firewall']);
    assert.is(cni.plugins[0].ipam.ranges[0][0].subnet, '10.244.3.0/24');
    const args = kubeletArgs(P, 'n1', '192.0.2.9', { 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG', 'node-group': 'inference' });
    assert.ok(args.includes('--node-labels=eks.amazonaws.com/nodegroup=PROTO-INFERENCE-NG,node-group=inference'));
    assert.ok(args.includes('--hostname-override=n1'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('iptables -S rules split back into arguments, quoted comments included', () => {
  assert.equal(splitArgs('-s 10.244.0.5/32 -m comment --comment "name: \\"klab\\" id: \\"abc\\"" -j CNI-1234'),
    ['-s', '10.244.0.5/32', '-m', 'comment', '--comment', 'name: "klab" id: "abc"', '-j', 'CNI-1234']);
  assert.equal(splitArgs('-j KUBE-SERVICES'), ['-j', 'KUBE-SERVICES']);
});

test('busybox stand-ins: printenv prints values (trailing newline kept) and fails on unset names; wget strips -T', () => {
  const over = join(imagesDir, 'busybox', 'overrides');
  const pe = (args: string[], env: Record<string, string>) => {
    try { return { code: 0, out: execFileSync('sh', [join(over, 'printenv'), ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' }) }; } catch (e) { return { code: (e as { status: number }).status, out: (e as { stdout: string }).stdout }; }
  };
  assert.equal(pe(['TOKEN', 'NL'], { TOKEN: '가나다', NL: 'abc\n' }), { code: 0, out: '가나다\nabc\n\n' });
  assert.is(pe(['MISSING'], {}).code, 1);
  assert.is(pe(['bad-name'], {}).code, 1);
  // wget: with a fake `busybox` on PATH that echoes its arguments, -T N becomes `timeout N`.
  const bin = mkdtempSync(join(tmpdir(), 'klab-bb-'));
  try {
    execFileSync('sh', ['-c', `printf '#!/bin/sh\\necho "$@"\\n' > ${bin}/busybox && chmod +x ${bin}/busybox`]);
    const w = (args: string[]) => execFileSync('sh', [join(over, 'wget'), ...args], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' }).trim();
    assert.is(w(['-q', '-O', '-', '-T', '3', 'http://web/']), 'timeout 3 busybox wget -q -O - http://web/');
    assert.is(w(['-T5', 'http://x/']), 'timeout 5 busybox wget http://x/');
    assert.is(w(['--timeout=7', '-qO-', 'http://x/']), 'timeout 7 busybox wget -qO- http://x/');
    assert.is(w(['-qO-', 'http://x/']), 'wget -qO- http://x/');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test.run();
