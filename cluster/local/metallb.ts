// MetalLB on the local cluster, for the labs that ask for a LoadBalancer implementation (lab.yaml
// `addons: [loadbalancer]`, decision 0033): the controller built from the go.universe.tf/metallb module, its CRDs
// applied from that module in the module cache (never copied into the repo), run as a host process like klab's other
// controllers, with no pool: a LoadBalancer Service stays `<pending>` until the trainee applies an IPAddressPool, as on
// a kind cluster with MetalLB. Addresses come only from LB_RANGE, a block reserved for benchmarking (RFC 2544) that is
// routed to the real node's own bridge: the host reaches them through kube-proxy's rules, and nothing is announced on any
// real network (the L2 speaker does not run on `local`; on kind it answers ARP on kind's Docker network).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LB_RANGE_HOSTING, type Progress } from '../provider.js';
import { fill, KlabError, ExitCode } from '../../i18n/index.js';
import { buildTools, goModuleDir, tool, toolPath, METALLB_VERSION } from './tools.js';
import { isAlive, pickPort, run, type ProcRecord } from '../../host/procs.js';
import { httpGet, trace, waitReady } from './probe.js';
import { waitEstablished } from './argo.js';
import { BRIDGE } from './node/kubelet.js';

export const METALLB_CONTROLLER = 'metallb-controller';
export const METALLB_MODULE = 'go.universe.tf/metallb';
export const METALLB_NAMESPACE = 'metallb-system';
/** The block LoadBalancer addresses come from on `local`: RFC 2544's benchmarking block, routed to the real node's bridge. */
export const LB_RANGE = '198.18.0.0/16';

/** The CRD files of the release (config/crd/bases, the same CRDs its metallb-native.yaml carries) in the module cache. */
export async function metallbCrdFiles(): Promise<string[]> {
  const dir = join(await goModuleDir(METALLB_MODULE, METALLB_VERSION, 'metallb'), 'config', 'crd', 'bases');
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
}

/**
 * Route LB_RANGE to the real node's bridge (made now if no pod has made it yet: the CNI bridge plugin reuses it). A
 * route, not an address: the bridge plugin refuses a bridge holding an IPv4 address other than its gateway's.
 */
export async function addressRangeOnBridge(ip: (args: string[]) => Promise<{ code: number; stderr: string }> = (a) => run('ip', a)): Promise<void> {
  if (!existsSync(`/sys/class/net/${BRIDGE}`)) {
    const r = await ip(['link', 'add', BRIDGE, 'type', 'bridge']);
    if (r.code !== 0 && !/File exists/.test(r.stderr)) throw bridgeError(r.stderr);
  }
  await ip(['link', 'set', BRIDGE, 'up']);
  const r = await ip(['route', 'replace', LB_RANGE, 'dev', BRIDGE]);
  if (r.code !== 0) throw bridgeError(r.stderr);
}

const bridgeError = (err: string) => new KlabError(fill({ ko: 'LoadBalancer 주소 대역 {r}{r:을/를} 브리지 {b}에 붙일 수 없습니다: {err}', en: 'Cannot put the LoadBalancer address range {r} on bridge {b}: {err}' },
  { r: LB_RANGE, b: BRIDGE, err: err.trim().split('\n')[0] ?? '' }), ExitCode.unreachable);

/** The block, advertised in the cluster (provider.ts LB_RANGE_HOSTING), so a context named with --kubeconfig/--context learns it too (labs' {lbaddr}). */
async function advertise(o: Pick<EnsureMetallbOptions, 'kubectl' | 'kubeconfig'>): Promise<void> {
  await o.kubectl(['create', 'configmap', LB_RANGE_HOSTING.name, '-n', LB_RANGE_HOSTING.namespace, `--from-literal=${LB_RANGE_HOSTING.key}=${LB_RANGE}`], o.kubeconfig).catch((e: unknown) => {
    if (!(e instanceof KlabError && /already ?exists/i.test(e.text.en))) throw e;
    return '';
  });
}

export interface EnsureMetallbOptions {
  progress: Progress;
  /** The admin kubeconfig: the controller watches Services cluster-wide and writes their status. */
  kubeconfig: string;
  /** The controller's process, if one was started earlier. */
  running?: ProcRecord;
  launch: (bin: string, args: string[], env: NodeJS.ProcessEnv) => ProcRecord;
  kubectl: (args: string[], kubeconfig: string) => Promise<string>;
}

/**
 * Build (once, cached) the controller, apply the CRDs and the namespace, put the address range on the bridge, start
 * the controller unless it runs, and wait until it serves its metrics. Returns the new process, or undefined when the
 * one given as `running` is still alive.
 */
export async function ensureMetallb(o: EnsureMetallbOptions): Promise<ProcRecord | undefined> {
  if (o.running && isAlive(o.running)) {
    await advertise(o);
    return undefined;
  }
  await buildTools(o.progress, [tool('metallb-controller')]);
  o.progress.phase(fill({ ko: 'MetalLB {v} 설치 (CRD, 컨트롤러, 주소 대역 {r})', en: 'Installing MetalLB {v} (CRDs, controller, address range {r})' }, { v: METALLB_VERSION, r: LB_RANGE }));
  const crds = await metallbCrdFiles();
  // kubectl, not client-node: client-node's typed serializer drops the CRDs' x-kubernetes-* schema fields.
  await o.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=klab', ...crds.flatMap((f) => ['-f', f])], o.kubeconfig);
  await o.kubectl(['create', 'namespace', METALLB_NAMESPACE], o.kubeconfig).catch((e: unknown) => {
    if (!(e instanceof KlabError && /already ?exists/i.test(e.text.en))) throw e;
    return '';
  });
  await waitEstablished(o.kubeconfig, ['ipaddresspools.metallb.io', 'l2advertisements.metallb.io']);
  await addressRangeOnBridge();
  await advertise(o);
  const metrics = await pickPort();
  trace(`metallb: starting controller (metrics ${metrics})`);
  // No webhook (it would need a Service and a certificate the API server can reach); leader election is not used by
  // MetalLB's controller; the memberlist secret is the speakers' only.
  const rec = o.launch(toolPath('metallb-controller'), [
    `--namespace=${METALLB_NAMESPACE}`, '--webhook-mode=disabled', `--port=${metrics}`, '--log-level=info',
  ], { ...process.env, KUBECONFIG: o.kubeconfig });
  await waitReady(rec, async () => (await httpGet(`http://127.0.0.1:${metrics}/metrics`))?.status === 200, 60_000);
  o.progress.done();
  return rec;
}
