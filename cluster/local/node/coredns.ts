// CoreDNS for the real node's pods (Service names such as `web.default.svc.cluster.local`), run as a host process.
// Built once from the Go module in ./coredns (github.com/coredns/coredns, pinned in its go.mod) into the klab cache.
// The Service kube-system/kube-dns keeps the usual ClusterIP (10.96.0.10); its EndpointSlice points at the host.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KlabError, ExitCode, josa } from '../../../i18n/index.js';
import type { Progress } from '../../provider.js';
import { findGo } from '../tools.js';
import { cacheDir, packagePath } from '../../paths.js';
import { daemonPid, logTail, run, startDaemon } from '../../../host/procs.js';
import { waitFor } from '../../../host/wait.js';
import { logFile, pidFile, template, type NodePaths } from './services.js';
import { resolvConf } from './kubelet.js';

export const COREDNS_VERSION = 'v1.15.0';
export const COREDNS_PORT = 1053;
const HEALTH_PORT = 10180;
const READY_PORT = 10181;

export const corednsBin = () => join(cacheDir(), 'bin', `coredns-${COREDNS_VERSION}`);

/** Build CoreDNS into the cache if it is not there (a few minutes, once). */
export async function ensureCoredns(progress: Progress, log: string): Promise<string> {
  const bin = corednsBin();
  if (existsSync(bin)) return bin;
  progress.info({ ko: `CoreDNS ${COREDNS_VERSION}${josa(COREDNS_VERSION, '을/를')} Go로 빌드합니다 (처음 한 번, 2코어에서 5~10분)`, en: `Building CoreDNS ${COREDNS_VERSION} with Go (once; 5-10 min on 2 cores)` });
  const go = await findGo();
  mkdirSync(join(cacheDir(), 'bin'), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  const r = await run(go, ['build', '-trimpath', '-ldflags', '-s -w', '-o', tmp, 'github.com/coredns/coredns'], {
    cwd: packagePath('cluster', 'local', 'node', 'coredns'), env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' }, logFile: log, timeoutMs: 40 * 60_000,
  });
  if (r.code !== 0) {
    throw new KlabError({ ko: `CoreDNS 빌드 실패 (로그 ${log})`, en: `Building CoreDNS failed (log ${log})` }, ExitCode.unreachable, logTail(log, 15));
  }
  renameSync(tmp, bin);
  return bin;
}

type Core = import('@kubernetes/client-node').CoreV1Api;
type Discovery = import('@kubernetes/client-node').DiscoveryV1Api;

export interface DnsInput { nodeIP: string; clusterDns: string; kubeconfig: string; context: string; core: Core; discovery: Discovery; progress: Progress }

export async function startCoredns(P: NodePaths, d: DnsInput): Promise<void> {
  const log = logFile(P, 'coredns');
  const bin = await ensureCoredns(d.progress, log);
  mkdirSync(P.coredns.dir, { recursive: true });
  writeFileSync(P.coredns.corefile, template('Corefile', {
    port: String(COREDNS_PORT), nodeIP: d.nodeIP, healthPort: String(HEALTH_PORT), readyPort: String(READY_PORT),
    kubeconfig: d.kubeconfig, context: d.context, upstream: resolvConf(P), clusterDns: d.clusterDns,
  }));
  startDaemon({ name: 'coredns', pidFile: pidFile(P, 'coredns'), logFile: log }, bin, ['-conf', P.coredns.corefile]);
  const ready = await waitFor(async () => {
    if (!daemonPid(pidFile(P, 'coredns'))) return 'dead';
    try { return (await fetch(`http://127.0.0.1:${READY_PORT}/ready`, { signal: AbortSignal.timeout(1000) })).ok ? 'ok' : undefined; } catch { return undefined; }
  }, { timeoutMs: 30_000, everyMs: 300 });
  if (ready !== 'ok') {
    throw new KlabError({ ko: `CoreDNS 가 준비되지 않았습니다. 로그 ${log}:\n${logTail(log, 15)}`, en: `CoreDNS did not become ready. Log ${log}:\n${logTail(log, 15)}` }, ExitCode.unreachable);
  }
  await dnsService(d);
}

const labels = { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS', 'app.kubernetes.io/managed-by': 'klab' };

/** kube-system/kube-dns: the usual ClusterIP, no selector, an EndpointSlice pointing at CoreDNS on the host. */
async function dnsService(d: DnsInput): Promise<void> {
  const svc = {
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels },
    spec: {
      clusterIP: d.clusterDns,
      ports: [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: COREDNS_PORT },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: COREDNS_PORT },
      ],
    },
  };
  try {
    await d.core.createNamespacedService({ namespace: 'kube-system', body: svc as never });
  } catch (e) {
    if ((e as { code?: number }).code !== 409) throw e;
  }
  const slice = {
    metadata: { name: 'kube-dns-klab', namespace: 'kube-system', labels: { ...labels, 'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': 'klab.dev' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [d.nodeIP], conditions: { ready: true } }],
    ports: [
      { name: 'dns', protocol: 'UDP', port: COREDNS_PORT },
      { name: 'dns-tcp', protocol: 'TCP', port: COREDNS_PORT },
    ],
  };
  try {
    await d.discovery.createNamespacedEndpointSlice({ namespace: 'kube-system', body: slice as never });
  } catch (e) {
    if ((e as { code?: number }).code !== 409) throw e;
    await d.discovery.replaceNamespacedEndpointSlice({ name: 'kube-dns-klab', namespace: 'kube-system', body: slice as never });
  }
}
