// The kubelet and kube-proxy of klab's real node: their certificates (signed by the local cluster's CA), their
// kubeconfigs and configuration files, and the CNI configuration once the node has its podCIDR.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KlabError, ExitCode } from '../../../i18n/index.js';
import { template, type NodePaths } from './services.js';
import { taintsFlag, type Taint } from '../../nodegroups.js';
import { run } from '../../../host/procs.js';


export const BRIDGE = 'klab0';
export const KUBELET_HEALTHZ_PORT = 10248;
export const PROXY_HEALTHZ_PORT = 10256;
export const PROXY_METRICS_PORT = 10249;

async function openssl(args: string[], cwd: string): Promise<void> {
  const r = await run('openssl', args, { cwd });
  if (r.code !== 0) {
    throw new KlabError({ ko: '실제 노드의 인증서를 만들지 못했습니다 (openssl).', en: 'Could not create the real node\'s certificates (openssl).' },
      ExitCode.unreachable, r.stderr || `exit ${r.code}`);
  }
}

/** Issue `<name>.crt/.key` in `dir`, signed by the cluster CA in `caDir`. */
async function issue(caDir: string, dir: string, name: string, subj: string, ext: string[]): Promise<void> {
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
  writeFileSync(join(dir, `${name}.ext`), ext.join('\n') + '\n');
  const serial = `0x${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', join(caDir, 'ca.crt'), '-CAkey', join(caDir, 'ca.key'), '-set_serial', serial,
    '-out', `${name}.crt`, '-days', '365', '-sha256', '-extfile', `${name}.ext`], dir);
  rmSync(join(dir, `${name}.csr`));
  rmSync(join(dir, `${name}.ext`));
}

const clientExt = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth'];

/** Client certs for the kubelet (system:node:<name>) and kube-proxy, and the kubelet's serving cert. */
export async function nodeCerts(P: NodePaths, caDir: string, nodeName: string, nodeIP: string): Promise<void> {
  rmSync(P.kubelet.pki, { recursive: true, force: true });
  mkdirSync(P.kubelet.pki, { recursive: true, mode: 0o700 });
  await issue(caDir, P.kubelet.pki, 'kubelet-client', `/O=system:nodes/CN=system:node:${nodeName}`, clientExt);
  await issue(caDir, P.kubelet.pki, 'kube-proxy', '/CN=system:kube-proxy', clientExt);
  await issue(caDir, P.kubelet.pki, 'kubelet-serving', `/O=system:nodes/CN=system:node:${nodeName}`, [
    'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
    `subjectAltName=DNS:${nodeName},IP:${nodeIP},IP:127.0.0.1`,
  ]);
}

function kubeconfig(server: string, caFile: string, cert: string, key: string, user: string): string {
  return stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'klab-local', cluster: { server, 'certificate-authority-data': readFileSync(caFile).toString('base64') } }],
    users: [{ name: user, user: { 'client-certificate-data': readFileSync(cert).toString('base64'), 'client-key-data': readFileSync(key).toString('base64') } }],
    contexts: [{ name: 'default', context: { cluster: 'klab-local', user } }],
    'current-context': 'default',
  });
}

export interface NodeConfigInput { nodeName: string; nodeIP: string; server: string; caDir: string; clusterDns: string; podCidr: string }

/** Write the kubelet's and kube-proxy's kubeconfigs and configuration files. */
export function writeNodeConfigs(P: NodePaths, c: NodeConfigInput): void {
  mkdirSync(P.kubelet.root, { recursive: true });
  mkdirSync(P.proxy.dir, { recursive: true });
  const ca = join(c.caDir, 'ca.crt');
  const pki = P.kubelet.pki;
  writeFileSync(P.kubelet.kubeconfig, kubeconfig(c.server, ca, join(pki, 'kubelet-client.crt'), join(pki, 'kubelet-client.key'), `system:node:${c.nodeName}`), { mode: 0o600 });
  writeFileSync(P.proxy.kubeconfig, kubeconfig(c.server, ca, join(pki, 'kube-proxy.crt'), join(pki, 'kube-proxy.key'), 'system:kube-proxy'), { mode: 0o600 });
  writeFileSync(P.kubelet.config, template('kubelet.yaml', {
    containerdSocket: P.containerd.socket, nodeIP: c.nodeIP, healthzPort: String(KUBELET_HEALTHZ_PORT), pki, caFile: ca,
    clusterDns: c.clusterDns, resolvConf: resolvConf(P),
  }));
  writeFileSync(P.proxy.config, template('kube-proxy.yaml', {
    kubeconfig: P.proxy.kubeconfig, nodeName: c.nodeName, nodeIP: c.nodeIP, podCidr: c.podCidr,
    healthzPort: String(PROXY_HEALTHZ_PORT), metricsPort: String(PROXY_METRICS_PORT),
  }));
}

/** The resolv.conf pods inherit (dnsPolicy Default, and CoreDNS' upstream): the host's, without loopback servers
 *  (a pod cannot reach the host's 127.0.0.x stub resolver). */
export function resolvConf(P: NodePaths): string {
  let host = '';
  try { host = readFileSync('/etc/resolv.conf', 'utf8'); } catch { /* none */ }
  const lines = host.split('\n').filter((l) => !/^\s*nameserver\s+(127\.|::1)/.test(l));
  if (!lines.some((l) => /^\s*nameserver\s/.test(l))) lines.push('nameserver 1.1.1.1');
  const out = join(P.kubelet.dir, 'resolv.conf');
  mkdirSync(P.kubelet.dir, { recursive: true });
  writeFileSync(out, lines.join('\n').trim() + '\n');
  return out;
}

/** The CNI network (bridge + host-local IPAM on the node's podCIDR + portmap); containerd picks it up at once. */
export function writeCni(P: NodePaths, podCidr: string): void {
  mkdirSync(P.cni.conf, { recursive: true });
  mkdirSync(P.cni.ipam, { recursive: true });
  writeFileSync(join(P.cni.conf, '10-klab.conflist'), template('cni.conflist', { bridge: BRIDGE, podCidr, ipamDir: P.cni.ipam }));
}

export function kubeletArgs(P: NodePaths, nodeName: string, nodeIP: string, labels: Record<string, string>, taints: Taint[] = []): string[] {
  const l = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  return [
    `--config=${P.kubelet.config}`, `--kubeconfig=${P.kubelet.kubeconfig}`, `--root-dir=${P.kubelet.root}`,
    `--cert-dir=${P.kubelet.pki}`, `--hostname-override=${nodeName}`, `--node-ip=${nodeIP}`, `--node-labels=${l}`,
    // the node group's taints, as EKS registers them (kwok-simulated nodes get them on their Node object)
    ...(taints.length ? [`--register-with-taints=${taintsFlag(taints)}`] : []), '--v=1',
  ];
}

export const proxyArgs = (P: NodePaths) => [`--config=${P.proxy.config}`, '--v=1'];
