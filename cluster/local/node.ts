// The real kubelet node of the `local` provider (issue 4): containerd + runc from Debian, klab's own images in a
// local registry, the kubelet and kube-proxy from the tools module, CNI from Debian's containernetworking-plugins.
// Every process is a plain background process with its pid file and log under <state>/node/ (see
// docs/local-node.en.md for the layout and how to debug it). cluster/local/cluster.ts calls these three functions.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Text } from '../../i18n/index.js';
import { KlabError, ExitCode, fill, josa } from '../../i18n/index.js';
import type { Progress } from '../provider.js';
import { buildImages, type BuiltImage } from '../images/build.js';
import { toolPath } from './tools.js';
import type { PlannedNode } from '../nodegroups.js';
import { daemonPid, logTail, missingExecutables, startDaemon, stopDaemon, sleep, run } from '../../host/procs.js';
import { waitFor } from '../../host/wait.js';
import { nodePaths, pidFile, logFile, startRegistry, startDocker, startContainerd, describe, type NodePaths } from './node/services.js';
import { nodeCerts, writeNodeConfigs, writeCni, kubeletArgs, proxyArgs, KUBELET_HEALTHZ_PORT, PROXY_HEALTHZ_PORT } from './node/kubelet.js';
import { startCoredns } from './node/coredns.js';
import { ensureCgroupRoot, killPods, unmountAll, removeChains, removeBridge } from './node/cleanup.js';

export interface RealNodeContext {
  stateDir: string;        // the local provider's state dir (pids, logs, data)
  kubeconfig: string;      // admin kubeconfig (context below)
  context: string;
  apiServerUrl: string;    // reachable from pods on the real node (not 127.0.0.1)
  pkiDir: string;          // ca.crt, ca.key (to sign kubelet/kube-proxy certs), admin.crt/.key
  serviceCidr: string;     // e.g. 10.96.0.0/16
  clusterDns?: string;     // e.g. 10.96.0.10
  nodes: Pick<PlannedNode, 'name' | 'group' | 'labels' | 'taints'>[];
  progress: Progress;
}

/** Debian packages (scripts/install-system.sh) and the binaries each provides. */
const NEEDED: { pkg: string; exe: string }[] = [
  { pkg: 'containerd', exe: '/usr/bin/containerd' },
  { pkg: 'containerd', exe: '/usr/bin/containerd-shim-runc-v2' },
  { pkg: 'runc', exe: '/usr/sbin/runc' },
  { pkg: 'containernetworking-plugins', exe: '/usr/lib/cni/bridge' },
  { pkg: 'containernetworking-plugins', exe: '/usr/lib/cni/host-local' },
  { pkg: 'containernetworking-plugins', exe: '/usr/lib/cni/portmap' },
  { pkg: 'containernetworking-plugins', exe: '/usr/lib/cni/loopback' },
  { pkg: 'containernetworking-plugins', exe: '/usr/lib/cni/firewall' },
  { pkg: 'docker.io', exe: '/usr/sbin/dockerd' },
  { pkg: 'docker.io', exe: '/usr/bin/docker' },
  { pkg: 'docker-registry', exe: '/usr/bin/docker-registry' },
  { pkg: 'debootstrap', exe: '/usr/sbin/debootstrap' },
  { pkg: 'dpkg', exe: 'dpkg-deb' },
  { pkg: 'iptables', exe: 'iptables' },
  { pkg: 'conntrack', exe: 'conntrack' },
  { pkg: 'iproute2', exe: 'ip' },
  { pkg: 'gcc', exe: 'gcc' },
  { pkg: 'openssl', exe: 'openssl' },
];

export async function realNodeAvailable(): Promise<{ ok: boolean; reason?: Text }> {
  if (process.platform !== 'linux') {
    return { ok: false, reason: { ko: '실제 노드는 Linux에서만 실행됩니다.', en: 'The real node runs on Linux only.' } };
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, reason: { ko: '실제 노드(kubelet, containerd)는 root 권한이 필요합니다.', en: 'The real node (kubelet, containerd) needs root.' } };
  }
  const missingPkgs = [...new Set(NEEDED.filter((n) => missingExecutables([n.exe]).length > 0).map((n) => n.pkg))];
  const missingBins = (['kubelet', 'kube-proxy'] as const).filter((b) => !existsSync(toolPath(b)));
  if (missingPkgs.length === 0 && missingBins.length === 0) return { ok: true };
  const parts: Text[] = [];
  if (missingPkgs.length) {
    parts.push(fill({ ko: 'Debian 패키지 {p} 가 없습니다 (sudo bash scripts/install-system.sh)', en: 'Debian packages missing: {p} (sudo bash scripts/install-system.sh)' }, { p: missingPkgs.join(', ') }));
  }
  if (missingBins.length) {
    parts.push(fill({ ko: '{b} 가 빌드되지 않았습니다 (npm run cluster:build)', en: '{b} not built yet (npm run cluster:build)' }, { b: missingBins.join(', ') }));
  }
  return { ok: false, reason: { ko: parts.map((p) => p.ko).join('; '), en: parts.map((p) => p.en).join('; ') } };
}

/** Timings of the last startRealNodes (seconds), for benchmarks. */
export const lastTimings: Record<string, number> = {};
export let lastImages: BuiltImage[] = [];

export async function startRealNodes(ctx: RealNodeContext): Promise<void> {
  if (ctx.nodes.length === 0) return;
  if (ctx.nodes.length > 1) {
    throw new KlabError({
      ko: `한 호스트에서는 실제 노드를 하나만 실행할 수 있습니다 (요청: ${ctx.nodes.length}). cluster/nodegroups.yaml 의 real 합계를 1로 하세요.`,
      en: `Only one real node can run per host (asked for ${ctx.nodes.length}). Make the sum of \`real\` in cluster/nodegroups.yaml 1.`,
    }, ExitCode.usage);
  }
  const node = ctx.nodes[0]!;
  const P = nodePaths(ctx.stateDir);
  const pr = ctx.progress;
  const t0 = Date.now();
  const mark = (k: string) => { lastTimings[k] = (Date.now() - t0) / 1000; };
  const nodeIP = new URL(ctx.apiServerUrl).hostname;
  if (/^127\.|^localhost$/.test(nodeIP)) {
    throw new KlabError({ ko: `API 서버 주소(${ctx.apiServerUrl})가 루프백이라 파드에서 닿지 않습니다.`, en: `The API server address (${ctx.apiServerUrl}) is loopback; pods cannot reach it.` }, ExitCode.unreachable);
  }

  // One real node per host: the bridge, the /klab cgroups and the KUBE-/CNI- iptables chains are host-wide.
  const other = hostOwner();
  if (other && other !== ctx.stateDir) {
    throw new KlabError({
      ko: `이 호스트에는 이미 다른 klab 실제 노드가 실행 중입니다 (상태 디렉터리 ${other}). 그 클러스터를 먼저 내리세요 (klab cluster down).`,
      en: `Another klab real node is already running on this host (state dir ${other}). Bring that cluster down first (klab cluster down).`,
    }, ExitCode.unreachable);
  }
  mkdirSync(dirname(OWNER_FILE), { recursive: true });
  writeFileSync(OWNER_FILE, ctx.stateDir);

  // Whatever a crashed earlier run left behind goes first.
  pr.phase({ ko: '실제 노드: 이전 실행의 잔여물 정리', en: 'Real node: cleaning up after any earlier run' });
  await cleanup(P);
  pr.done();

  pr.phase({ ko: '로컬 레지스트리, Docker 엔진, containerd 시작', en: 'Starting the local registry, Docker engine and containerd' });
  const [, docker] = await Promise.all([startRegistry(P), startDocker(P), startContainerd(P)]);
  pr.done();
  mark('services');

  lastImages = await buildImages({ docker, progress: pr, logFile: logFile(P, 'images') });
  mark('images');

  pr.phase(fill({ ko: '실제 노드 {n}: kubelet, kube-proxy 시작', en: 'Real node {n}: starting the kubelet and kube-proxy' }, { n: node.name }));
  await nodeCerts(P, ctx.pkiDir, node.name, nodeIP);
  writeNodeConfigs(P, { nodeName: node.name, nodeIP, server: ctx.apiServerUrl, caDir: ctx.pkiDir, clusterDns: ctx.clusterDns ?? '10.96.0.10', podCidr: '10.244.0.0/16' });
  ensureCgroupRoot();
  const labels = { ...node.labels, 'klab.dev/real-node': 'true' };
  const kubeletLog = logFile(P, 'kubelet');
  startDaemon({ name: 'kubelet', pidFile: pidFile(P, 'kubelet'), logFile: kubeletLog }, toolPath('kubelet'), kubeletArgs(P, node.name, nodeIP, labels, node.taints));
  startDaemon({ name: 'kube-proxy', pidFile: pidFile(P, 'kube-proxy'), logFile: logFile(P, 'kube-proxy') }, toolPath('kube-proxy'), proxyArgs(P));

  const { KubeConfig, CoreV1Api } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(ctx.kubeconfig);
  kc.setCurrentContext(ctx.context);
  const core = kc.makeApiClient(CoreV1Api);
  const watchDied = (name: string, log: string) => {
    if (!daemonPid(pidFile(P, name))) {
      throw new KlabError({ ko: `${name}${josa(name, '이/가')} 시작 중에 종료되었습니다. 로그 ${log} 의 끝:\n${logTail(log, 20)}`, en: `${name} exited while starting. End of its log ${log}:\n${logTail(log, 20)}` }, ExitCode.unreachable);
    }
  };
  // The controller-manager gives the node its podCIDR as soon as it registers; the CNI config needs it.
  const podCidr = await waitFor(async () => {
    watchDied('kubelet', kubeletLog);
    const n = await core.readNode({ name: node.name }).catch(() => undefined);
    return n?.spec?.podCIDR;
  }, { timeoutMs: 90_000, everyMs: 300 });
  if (!podCidr) {
    throw new KlabError({ ko: `노드 ${node.name}${josa(node.name, '이/가')} 등록되지 않았거나 podCIDR 을 받지 못했습니다. kubelet 로그 ${kubeletLog}:\n${logTail(kubeletLog, 20)}`,
      en: `Node ${node.name} did not register or got no podCIDR. kubelet log ${kubeletLog}:\n${logTail(kubeletLog, 20)}` }, ExitCode.unreachable);
  }
  writeCni(P, podCidr);
  const ready = await waitFor(async () => {
    watchDied('kubelet', kubeletLog);
    watchDied('kube-proxy', logFile(P, 'kube-proxy'));
    const n = await core.readNode({ name: node.name }).catch(() => undefined);
    return n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  }, { timeoutMs: 90_000, everyMs: 300 });
  if (!ready) {
    throw new KlabError({ ko: `노드 ${node.name}${josa(node.name, '이/가')} Ready 가 되지 않았습니다. kubelet 로그 ${kubeletLog}:\n${logTail(kubeletLog, 20)}`,
      en: `Node ${node.name} did not become Ready. kubelet log ${kubeletLog}:\n${logTail(kubeletLog, 20)}` }, ExitCode.unreachable);
  }
  pr.done(fill({ ko: 'Ready (podCIDR {c})', en: 'Ready (podCIDR {c})' }, { c: podCidr }));
  mark('nodeReady');

  // Service DNS names for the pods. Without it the node still runs pods; say so rather than fail the node.
  pr.phase({ ko: 'CoreDNS (kube-system/kube-dns) 시작', en: 'Starting CoreDNS (kube-system/kube-dns)' });
  try {
    const { DiscoveryV1Api } = await import('@kubernetes/client-node');
    await startCoredns(P, { nodeIP, clusterDns: ctx.clusterDns ?? '10.96.0.10', kubeconfig: ctx.kubeconfig, context: ctx.context, core, discovery: kc.makeApiClient(DiscoveryV1Api), progress: pr });
    pr.done();
  } catch (e) {
    const why = e instanceof KlabError ? e.text : { ko: String(e), en: String(e) };
    pr.done({ ko: `실패 — 파드에서 서비스 이름을 풀 수 없습니다: ${why.ko}`, en: `failed — pods cannot resolve Service names: ${why.en}` });
  }
  mark('dns');
}

/** Stop every process of the real node and remove what it set up on the host. Idempotent; logs are kept. */
export async function stopRealNodes(stateDir: string): Promise<void> {
  const P = nodePaths(stateDir);
  if (!existsSync(P.base)) return;
  const other = hostOwner();
  await cleanup(P, !other || other === stateDir);
  if (readOwner() === stateDir) rmSync(OWNER_FILE, { force: true });
}

/** Who runs the host's real node: the state dir recorded in OWNER_FILE, if its kubelet or containerd still runs. */
const OWNER_FILE = '/run/klab/real-node.owner';
function readOwner(): string | undefined {
  try { return readFileSync(OWNER_FILE, 'utf8').trim() || undefined; } catch { return undefined; }
}
function hostOwner(): string | undefined {
  const dir = readOwner();
  if (!dir) return undefined;
  const P = nodePaths(dir);
  return daemonPid(pidFile(P, 'kubelet')) || daemonPid(pidFile(P, 'containerd')) ? dir : undefined;
}

/** Stop our processes; with `hostWide`, also what is shared on the host (pods' cgroups, iptables chains, bridge). */
async function cleanup(P: NodePaths, hostWide = true): Promise<void> {
  // The kubelet first (so it does not restart containers), then kube-proxy, then every pod process.
  await stopDaemon(pidFile(P, 'kubelet'));
  await stopDaemon(pidFile(P, 'kube-proxy'));
  await stopDaemon(pidFile(P, 'coredns'));
  if (hostWide) await killPods(P);
  await stopDaemon(pidFile(P, 'containerd'), 10_000);
  await stopDaemon(pidFile(P, 'dockerd'), 15_000);
  await stopDaemon(pidFile(P, 'registry'));
  await unmountAll(P.base, hostWide);
  if (hostWide) {
    await removeChains(['KUBE-', 'CNI-']);
    await removeBridge();
  }
  // Runtime state only: a fresh containerd, kubelet and IPAM next time (images come back from the registry).
  for (const d of [P.containerd.root, P.containerd.state, P.kubelet.root, P.cni.ipam, P.cni.conf, P.docker.exec]) {
    try { rmSync(d, { recursive: true, force: true }); } catch { await sleep(200); rmSync(d, { recursive: true, force: true }); }
  }
}

/** Start containerd again (after it died or was killed); the kubelet reconnects by itself. */
export async function restartContainerd(stateDir: string): Promise<void> {
  await startContainerd(nodePaths(stateDir));
}

/** One line per component, for `klab cluster status`. */
export function realNodeStatus(stateDir: string): Text[] {
  const P = nodePaths(stateDir);
  if (!existsSync(P.run)) return [];
  return [
    describe('containerd', pidFile(P, 'containerd'), 'containerd'),
    describe('kubelet', pidFile(P, 'kubelet'), 'kubelet'),
    describe('kube-proxy', pidFile(P, 'kube-proxy'), 'kube-proxy'),
    describe('coredns', pidFile(P, 'coredns'), 'coredns'),
    describe('dockerd', pidFile(P, 'dockerd'), 'dockerd'),
    describe('registry (127.0.0.1:5000)', pidFile(P, 'registry'), 'docker-registry'),
  ];
}

/** Environment for the `docker` CLI talking to the real node's Docker engine (labs' `docker build/push`). */
export { dockerEnv } from './node/services.js';
export { nodePaths } from './node/services.js';
export { KUBELET_HEALTHZ_PORT, PROXY_HEALTHZ_PORT, run };
