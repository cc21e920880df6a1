// The local cluster's life cycle: up (PKI, etcd, control plane, kwok nodes, Argo, real node), down, status.
// Every process is recorded in <state>/state.json as soon as it starts, so `down` (or the next `up`, after a crash)
// stops exactly what was started.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Capabilities, ClusterInfo, ClusterStatus, Progress } from '../provider.js';
import { noCapabilities } from '../provider.js';
import { KlabError, ExitCode, fill, same, type Text } from '../../i18n/index.js';
import { createPki, kubeconfigYaml } from './pki.js';
import { run, startProcess, stopProcess, isAlive, logTail, pickPort, processesMentioning, stopPid, type ProcRecord } from '../../host/procs.js';
import { httpGet, trace, waitReady, componentDiedError } from './probe.js';
import { tryLock, type LockResult } from '../../host/files.js';
import { poll } from '../../host/wait.js';
import { toolPath, buildTools, missingTools, linkCurrent, currentBinDir, binCacheDir, tools, isBuilt, tool } from './tools.js';
import { loadNodeGroups, planNodes, type PlannedNode } from '../nodegroups.js';
import { stateDir as klabStateDir } from '../paths.js';
import { kwokArgs, kwokNode, writeKwokConfig, taintBesideReal, SIMULATED_TAINT } from './kwok.js';
import { installArgo, startController, WORKFLOW_CONTROLLER } from './argo.js';
import { startTraefik, TRAEFIK } from './traefik.js';
import { ensureRollouts, ROLLOUTS_CONTROLLER } from './rollouts.js';
import { ensureMetallb, METALLB_CONTROLLER } from './metallb.js';
import type { RealNodeContext } from './node.js';

// The real node (cluster/local/node.ts, issue 4) is loaded only when needed, so a problem there can never stop the
// control plane from starting or stopping: the cluster then runs with kwok nodes only.
const realNode = () => import('./node.js');
async function realNodeAvailable(): Promise<{ ok: boolean; reason?: Text }> {
  try { return await (await realNode()).realNodeAvailable(); } catch (e) { return { ok: false, reason: same(`cluster/local/node.ts: ${(e as Error).message}`) }; }
}
async function startRealNodes(ctx: RealNodeContext): Promise<void> { await (await realNode()).startRealNodes(ctx); }
async function stopRealNodes(dir: string): Promise<void> {
  let mod: Awaited<ReturnType<typeof realNode>>;
  try { mod = await realNode(); } catch { return; } // cannot load: it cannot have started anything in this version either
  await mod.stopRealNodes(dir);
}


export const CONTEXT = 'klab-local';
export const SERVICE_CIDR = '10.96.0.0/16';
export const SERVICE_IP = '10.96.0.1';
export const CLUSTER_DNS = '10.96.0.10';
export const POD_CIDR = '10.244.0.0/16';

export interface Ports { etcdClient: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number; kwok: number; traefikPing?: number }

export interface LocalState {
  version: 1;
  phase: 'starting' | 'running';
  startedAt: string;
  hostIP: string;
  ports: Partial<Ports>;
  procs: ProcRecord[];
  kubeconfig: string;
  context: string;
  apiServerUrl: string;
  realNodes: string[];
  simulatedNodes: string[];
  capabilities: Capabilities;
  /** The cluster-wide workflow-controller was stopped on purpose by a lab that runs its own Argo (decision 0015). */
  argoPaused?: boolean;
  /** The trainees (labels) holding that pause: it ends when the last one resets (decision 0029). */
  argoHolds?: string[];
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KLAB_LOCAL_STATE_DIR) return env.KLAB_LOCAL_STATE_DIR;
  return join(klabStateDir(env), 'local');
}
export const paths = (dir = stateDir()) => ({
  dir,
  state: join(dir, 'state.json'),
  lock: join(dir, 'lock'),
  pki: join(dir, 'pki'),
  logs: join(dir, 'logs'),
  data: join(dir, 'data'),
  conf: join(dir, 'conf'),
  kubeconfig: join(dir, 'kubeconfig'),
  log: (name: string) => join(dir, 'logs', `${name}.log`),
});

export function readState(dir = stateDir()): LocalState | undefined {
  try { return JSON.parse(readFileSync(paths(dir).state, 'utf8')) as LocalState; } catch { return undefined; }
}
function writeState(s: LocalState, dir = stateDir()): void {
  writeFileSync(paths(dir).state, JSON.stringify(s, null, 2));
}

/** `ingress`: the Traefik host process runs (it needs the real node: the pods it routes to must really answer); it
 * serves Middlewares and the Gateway API too (decisions 0031/0032). */
export function capabilitiesFor(realNodes: boolean, ingress = false): Capabilities {
  return { ...noCapabilities, nodeGroups: true, helm: true, argo: true, realPods: realNodes, exec: realNodes, logs: realNodes, registry: realNodes, rollouts: true, ingress: realNodes && ingress,
    traefikMiddleware: realNodes && ingress, gatewayApi: realNodes && ingress, loadBalancer: false, metallb: false };
}

/** The host's primary IPv4 (the default route's interface), reachable from pods on a real node. */
export function hostIPv4(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KLAB_LOCAL_HOST_IP) return env.KLAB_LOCAL_HOST_IP;
  const ifs = networkInterfaces();
  let defIf: string | undefined;
  try {
    for (const line of readFileSync('/proc/net/route', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1] === '00000000' && f[0]) { defIf = f[0]; break; }
    }
  } catch { /* not Linux */ }
  const v4 = (name: string) => (ifs[name] ?? []).find((a) => a.family === 'IPv4' && !a.internal)?.address;
  if (defIf && v4(defIf)) return v4(defIf)!;
  for (const name of Object.keys(ifs)) {
    if (/^(docker|br-|veth|cni|flannel|kube|virbr|lo)/.test(name)) continue;
    const a = v4(name);
    if (a) return a;
  }
  return '127.0.0.1';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Is every recorded process alive and the API server ready? */
async function healthy(s: LocalState, dir: string): Promise<{ ok: boolean; dead: ProcRecord[] }> {
  const dead = s.procs.filter((p) => !isAlive(p));
  if (dead.length > 0 || s.phase !== 'running') return { ok: false, dead };
  const p = paths(dir);
  try {
    const r = await httpGet(`https://127.0.0.1:${s.ports.apiserver}/readyz`, {
      ca: readFileSync(join(p.pki, 'ca.crt')), cert: readFileSync(join(p.pki, 'admin.crt')), key: readFileSync(join(p.pki, 'admin.key')),
    });
    return { ok: r?.status === 200, dead };
  } catch { return { ok: false, dead }; }
}

function infoFrom(s: LocalState): ClusterInfo & { binDir: string; apiServerUrl: string; stateDir: string } {
  return { provider: 'local', kubeconfig: s.kubeconfig, context: s.context, capabilities: s.capabilities, binDir: currentBinDir(), apiServerUrl: s.apiServerUrl, stateDir: stateDir() };
}

/**
 * Pause (`run` false) or resume the cluster-wide workflow-controller host process, for a lab whose trainee installs
 * an Argo of their own (i-m2): two controllers would both run that namespace's workflows, and klab's would ignore the
 * trainee's workflowDefaults. Recorded in the state (a paused controller is not a dead component). Returns whether
 * anything changed; false when the cluster is not running.
 */
export async function setSharedArgo(run: boolean, holder?: string): Promise<boolean> {
  const dir = stateDir();
  // Several trainees may start or reset at once (the harnesses do): wait for the lock, do not fail on it.
  const unlock = await lock(dir, 60_000);
  try {
    const s = readState(dir);
    if (!s || s.phase !== 'running') return false;
    const i = s.procs.findIndex((r) => r.name === WORKFLOW_CONTROLLER);
    const alive = i >= 0 && isAlive(s.procs[i]!);
    const holds = new Set(s.argoHolds ?? []);
    if (!run) {
      if (holder) holds.add(holder);
      s.argoHolds = [...holds];
      if (i >= 0) { await stopProcess(s.procs[i]!); s.procs.splice(i, 1); }
      const changed = !s.argoPaused || alive;
      s.argoPaused = true;
      writeState(s, dir);
      return changed;
    }
    // A trainee's resume while another trainee still holds the pause: only their hold goes.
    if (holder) holds.delete(holder); else holds.clear();
    s.argoHolds = [...holds];
    if (holds.size) { writeState(s, dir); return false; }
    if (alive) { writeState(s, dir); return false; }
    if (i >= 0) s.procs.splice(i, 1);
    const p = paths(dir);
    const rec = await startController({
      controllerKubeconfig: join(p.conf, `${WORKFLOW_CONTROLLER}.kubeconfig`),
      launch: (bin, args, env) => startProcess(WORKFLOW_CONTROLLER, bin, args, p.log(WORKFLOW_CONTROLLER), { env, cwd: p.data }),
    });
    s.procs.push(rec);
    s.argoPaused = false;
    writeState(s, dir);
    return true;
  } finally {
    unlock();
  }
}

const lockBusy = (pid?: number) => new KlabError(fill({ ko: '다른 klab 프로세스(pid {pid})가 local 클러스터를 시작/중지하는 중입니다. 끝난 뒤 다시 시도하세요.', en: 'Another klab process (pid {pid}) is starting or stopping the local cluster. Try again when it is done.' }, { pid: pid ?? '?' }), ExitCode.unreachable);

/** One `up`/`down` at a time: a lock file holding the owner's pid (a dead owner's lock is taken over). */
function lock(dir: string): () => void;
function lock(dir: string, waitMs: number): Promise<() => void>;
function lock(dir: string, waitMs?: number): (() => void) | Promise<() => void> {
  const file = paths(dir).lock;
  const take = (): LockResult => {
    try { return tryLock(file); } catch {
      throw new KlabError({ ko: 'local 클러스터 잠금 파일을 만들 수 없습니다.', en: 'Cannot take the local cluster lock.' }, ExitCode.unreachable);
    }
  };
  if (waitMs !== undefined) {
    return poll(take, (r) => Boolean(r.release), { timeoutMs: waitMs, everyMs: 100, factor: 1.5, maxEveryMs: 1000 }).then((r) => {
      if (r.last?.release) return r.last.release;
      throw lockBusy(r.last?.owner);
    });
  }
  const l = take();
  if (l.release) return l.release;
  throw lockBusy(l.owner);
}

async function kubectl(args: string[], kubeconfig: string): Promise<string> {
  const r = await run(toolPath('kubectl'), [`--kubeconfig=${kubeconfig}`, ...args]);
  if (r.code === 0) return r.stdout;
  throw new KlabError(fill({ ko: 'kubectl {cmd} 실패: {err}', en: 'kubectl {cmd} failed: {err}' }, { cmd: args[0], err: (r.stderr || `exit ${r.code}`).trim().split('\n').slice(-3).join(' ') }), ExitCode.unreachable);
}
export { kubectl as runKubectl };

export interface UpResult { info: ClusterInfo & { binDir: string; apiServerUrl: string; stateDir: string }; alreadyRunning: boolean; timings: Record<string, number> }

export async function up(progress: Progress, opts: { force?: boolean; addons?: string[] } = {}): Promise<UpResult> {
  const missing = missingTools(tools.filter((t) => !['kubelet', 'kube-proxy', 'argoexec', 'traefik', 'metallb-controller'].includes(t.name)));
  if (missing.length > 0) await buildTools(progress);
  const dir = stateDir();
  const p = paths(dir);
  // A lab's add-ons are asked for by `klab start`, maybe while another trainee's start holds the lock briefly: wait.
  const unlock = opts.addons?.length ? await lock(dir, 60_000) : lock(dir);
  try {
    const prev = readState(dir);
    if (prev && !opts.force) {
      const h = await healthy(prev, dir);
      if (h.ok) {
        progress.info(fill({ ko: 'local 클러스터가 이미 실행 중입니다 (context {ctx}, kubeconfig {kc}).', en: 'The local cluster is already running (context {ctx}, kubeconfig {kc}).' }, { ctx: prev.context, kc: prev.kubeconfig }));
        await ensureAddons(prev, dir, progress, opts.addons);
        return { info: infoFrom(prev), alreadyRunning: true, timings: {} };
      }
      progress.info(fill({
        ko: '이전 실행에서 남은 local 클러스터를 정리합니다 (멈춘 구성 요소: {dead}).',
        en: 'Cleaning up a stale local cluster from an earlier run (dead components: {dead}).',
      }, { dead: h.dead.map((d) => d.name).join(', ') || (prev.phase === 'starting' ? 'start-up was interrupted' : '-') }));
    }
    if (prev || processesMentioning(dir + '/', binCacheDir()).length > 0) await teardown(dir, progress, true);
    const r = await start(dir, progress);
    await ensureAddons(readState(dir)!, dir, progress, opts.addons);
    return r;
  } finally {
    unlock();
  }
}

/**
 * What a lab asks for beyond the always-installed parts (lab.yaml `addons`), started on demand: Argo Rollouts
 * (decision 0035) and MetalLB, the LoadBalancer implementation (decision 0033; only with the real node, whose bridge
 * carries the address range).
 */
async function ensureAddons(s: LocalState, dir: string, progress: Progress, addons: string[] = []): Promise<void> {
  const p = paths(dir);
  const started = async (name: string, ensure: (running: ProcRecord | undefined, launch: (bin: string, args: string[], env: NodeJS.ProcessEnv) => ProcRecord) => Promise<ProcRecord | undefined>) => {
    const i = s.procs.findIndex((r) => r.name === name);
    const rec = await ensure(s.procs[i], (bin, args, env) => startProcess(name, bin, args, p.log(name), { env, cwd: p.data }));
    if (!rec) return;
    if (i >= 0) s.procs.splice(i, 1);
    s.procs.push(rec);
    writeState(s, dir);
  };
  if (addons.includes('rollouts')) {
    await started(ROLLOUTS_CONTROLLER, (running, launch) => ensureRollouts({ progress, kubeconfig: p.kubeconfig, running, kubectl, launch }));
  }
  if (addons.includes('loadbalancer') && s.realNodes.length > 0) {
    await started(METALLB_CONTROLLER, (running, launch) => ensureMetallb({ progress, kubeconfig: p.kubeconfig, running, kubectl, launch }));
    if (!s.capabilities.loadBalancer || !s.capabilities.metallb) {
      s.capabilities = { ...s.capabilities, loadBalancer: true, metallb: true };
      writeState(s, dir);
    }
  }
}

async function start(dir: string, progress: Progress): Promise<UpResult> {
  const p = paths(dir);
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (k: string) => { timings[k] = Math.round((Date.now() - t0) / 100) / 10; trace(`${k} at ${timings[k]}s`); };
  for (const d of [p.data, p.conf, p.logs]) mkdirSync(d, { recursive: true });
  for (const f of readdirSync(p.logs)) rmSync(join(p.logs, f), { force: true });

  const groups = await loadNodeGroups();
  let clientLib: Promise<typeof import('@kubernetes/client-node')> | undefined;
  let realCheck: Promise<{ ok: boolean; reason?: Text }> | undefined;
  const hostIP = hostIPv4();
  const avoid = new Set<number>();
  const take = async (preferred?: number) => { const port = await pickPort(preferred, avoid); avoid.add(port); return port; };
  const wantedApi = Number(process.env.KLAB_LOCAL_APISERVER_PORT || 6443);
  const ports: Ports = {
    apiserver: await take(wantedApi),
    etcdClient: await take(), etcdPeer: await take(), controllerManager: await take(), scheduler: await take(), kwok: await take(),
  };
  if (ports.apiserver !== wantedApi) {
    progress.info(fill({ ko: '포트 {want} 이(가) 사용 중이라 API 서버는 {port} 포트를 씁니다.', en: 'Port {want} is in use, so the API server uses port {port}.' }, { want: wantedApi, port: ports.apiserver }));
  }
  const apiServerUrl = `https://${hostIP}:${ports.apiserver}`;
  const state: LocalState = {
    version: 1, phase: 'starting', startedAt: new Date().toISOString(), hostIP, ports, procs: [],
    kubeconfig: p.kubeconfig, context: CONTEXT, apiServerUrl, realNodes: [], simulatedNodes: [], capabilities: capabilitiesFor(false),
  };
  writeState(state, dir);
  const launch = (name: string, bin: string, args: string[], env?: NodeJS.ProcessEnv) => {
    const rec = startProcess(name, bin, args, p.log(name), { env: env ?? process.env, cwd: p.data });
    state.procs.push(rec);
    writeState(state, dir);
    return rec;
  };

  try {
    progress.phase({ ko: '인증서 생성', en: 'Creating certificates' });
    await createPki({ dir: p.pki, hostIP, serviceIP: SERVICE_IP });
    const local = `https://127.0.0.1:${ports.apiserver}`;
    writeFileSync(p.kubeconfig, kubeconfigYaml(p.pki, local, 'admin', CONTEXT), { mode: 0o600 });
    for (const u of ['controller-manager', 'scheduler', 'kwok', 'workflow-controller', 'traefik']) {
      writeFileSync(join(p.conf, `${u}.kubeconfig`), kubeconfigYaml(p.pki, local, u, CONTEXT), { mode: 0o600 });
    }
    progress.done();
    mark('pki');

    progress.phase({ ko: 'etcd 시작', en: 'Starting etcd' });
    const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
    const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
    const etcd = launch('etcd', toolPath('etcd'), [
      '--name=klab', `--data-dir=${join(p.data, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`, `--initial-cluster=klab=${peerUrl}`,
      '--initial-cluster-state=new', '--unsafe-no-fsync=true', '--log-level=warn', '--quota-backend-bytes=2147483648',
    ]);
    await waitReady(etcd, async () => (await httpGet(`${etcdUrl}/health`))?.body.includes('"health":"true"') ?? false, 30_000);
    progress.done();
    mark('etcd');

    progress.phase({ ko: 'kube-apiserver 시작', en: 'Starting kube-apiserver' });
    const pki = (f: string) => join(p.pki, f);
    const apiserver = launch('kube-apiserver', toolPath('kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=0.0.0.0', `--secure-port=${ports.apiserver}`, `--advertise-address=${hostIP}`,
      `--tls-cert-file=${pki('apiserver.crt')}`, `--tls-private-key-file=${pki('apiserver.key')}`,
      `--client-ca-file=${pki('ca.crt')}`,
      `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`, `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
      '--kubelet-preferred-address-types=InternalIP,Hostname',
      `--service-account-key-file=${pki('sa.pub')}`, `--service-account-signing-key-file=${pki('sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', '--allow-privileged=true',
      `--cert-dir=${join(p.data, 'apiserver-certs')}`, '--profiling=false', '--event-ttl=1h', '--v=1',
    ]);
    // A slow look-up that does not need the API server: run it while the API server starts.
    realCheck = realNodeAvailable().catch((e: Error) => ({ ok: false, reason: same(e.message) }));
    clientLib = import('@kubernetes/client-node');
    const ca = readFileSync(pki('ca.crt'));
    const adminCert = { ca, cert: readFileSync(pki('admin.crt')), key: readFileSync(pki('admin.key')) };
    await waitReady(apiserver, async () => (await httpGet(`${local}/readyz`, adminCert))?.status === 200, 90_000);
    progress.done();
    mark('apiserver');

    progress.phase({ ko: 'kube-controller-manager, kube-scheduler, kwok 시작', en: 'Starting kube-controller-manager, kube-scheduler, kwok' });
    const conf = (u: string) => join(p.conf, `${u}.kubeconfig`);
    const kcm = launch('kube-controller-manager', toolPath('kube-controller-manager'), [
      `--kubeconfig=${conf('controller-manager')}`, `--authentication-kubeconfig=${conf('controller-manager')}`, `--authorization-kubeconfig=${conf('controller-manager')}`,
      '--bind-address=127.0.0.1', `--secure-port=${ports.controllerManager}`, `--cert-dir=${join(p.data, 'kcm-certs')}`,
      '--leader-elect=false', '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki('sa.key')}`, `--root-ca-file=${pki('ca.crt')}`,
      `--cluster-signing-cert-file=${pki('ca.crt')}`, `--cluster-signing-key-file=${pki('ca.key')}`,
      '--allocate-node-cidrs=true', `--cluster-cidr=${POD_CIDR}`, '--node-cidr-mask-size=24', `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--controllers=*,bootstrapsigner,tokencleaner', '--profiling=false', '--v=1',
    ]);
    const sched = launch('kube-scheduler', toolPath('kube-scheduler'), [
      `--kubeconfig=${conf('scheduler')}`, `--authentication-kubeconfig=${conf('scheduler')}`, `--authorization-kubeconfig=${conf('scheduler')}`,
      '--bind-address=127.0.0.1', `--secure-port=${ports.scheduler}`, `--cert-dir=${join(p.data, 'scheduler-certs')}`,
      '--leader-elect=false', '--profiling=false', '--v=1',
    ]);
    const kwokConfig = join(p.data, 'kwok.yaml');
    await writeKwokConfig(kwokConfig);
    const kwok = launch('kwok', toolPath('kwok'), kwokArgs({ kubeconfig: conf('kwok'), config: kwokConfig, nodeIP: hostIP, port: ports.kwok, tlsCert: pki('kwok-server.crt'), tlsKey: pki('kwok-server.key') }));
    const healthz = (port: number) => async () => (await httpGet(`https://127.0.0.1:${port}/healthz`, { insecure: true }))?.status === 200;
    await Promise.all([
      waitReady(kcm, healthz(ports.controllerManager), 60_000),
      waitReady(sched, healthz(ports.scheduler), 60_000),
      waitReady(kwok, async () => (await httpGet(`https://${hostIP}:${ports.kwok}/healthz`, { insecure: true }))?.status === 200, 60_000),
    ]);
    progress.done();
    mark('controllers');

    // Nodes: simulated ones now; the real one(s) after the control plane is complete.
    const planned = planNodes(groups);
    const real = await (realCheck ?? realNodeAvailable());
    const wantReal = real.ok ? planned.filter((n) => n.real) : [];
    if (!real.ok && planned.some((n) => n.real) && real.reason) {
      progress.info({ ko: `실제 노드 없이 진행합니다 (모두 kwok 노드): ${real.reason.ko}`, en: `Continuing without a real node (all nodes simulated by kwok): ${real.reason.en}` });
    }
    const simulated = taintBesideReal(planned.filter((n) => !wantReal.includes(n)), wantReal);
    const { KubeConfig, CoreV1Api } = await (clientLib ?? import('@kubernetes/client-node'));
    const kc = new KubeConfig();
    kc.loadFromFile(p.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    progress.phase(fill({ ko: 'kwok 노드 {n}개 생성', en: 'Creating {n} kwok nodes' }, { n: simulated.length }));
    await createSimulatedNodes(core, simulated, [kwok, kcm, sched, apiserver]);
    state.simulatedNodes = simulated.map((n) => n.name);
    writeState(state, dir);
    progress.done(same(simulated.map((n) => n.name).join(', ')));
    mark('nodesReady');

    progress.phase({ ko: 'Argo Workflows 설치 (CRD, workflow-controller)', en: 'Installing Argo Workflows (CRDs, workflow-controller)' });
    await Promise.all([
      waitForDefaultServiceAccount(core, [kcm, apiserver]).then(() => mark('serviceAccount')),
      installArgo({
        kubeconfig: p.kubeconfig, controllerKubeconfig: conf('workflow-controller'), dataDir: p.data,
        launch: (bin, args, env) => launch(WORKFLOW_CONTROLLER, bin, args, env), kubectl,
      }),
    ]);
    progress.done();
    mark('argo');

    if (wantReal.length > 0) {
      try {
        await startRealNodes({
          stateDir: dir, kubeconfig: p.kubeconfig, context: CONTEXT, apiServerUrl, pkiDir: p.pki, serviceCidr: SERVICE_CIDR, clusterDns: CLUSTER_DNS,
          nodes: wantReal.map((n) => ({ name: n.name, group: n.group, labels: n.labels, taints: n.taints })), progress,
        });
        state.realNodes = wantReal.map((n) => n.name);
      } catch (e) {
        const why = e instanceof KlabError ? e.text : same((e as Error).message);
        progress.info({ ko: `실제 노드를 시작하지 못해 kwok 노드로 대신합니다: ${why.ko}`, en: `The real node did not start; simulating it with kwok instead: ${why.en}` });
        await stopRealNodes(dir).catch(() => undefined);
        await createSimulatedNodes(core, wantReal, [kwok, apiserver]);
        await untaintSimulated(core, simulated);
        state.simulatedNodes.push(...wantReal.map((n) => n.name));
      }
      mark('realNodes');
    }

    // The Ingress controller (decision 0030): only with a real node (its backends must really answer), and only when
    // its binary is built (`klab cluster build` / the test runner build every tool; a plain `up` does not wait for it).
    let ingress = false;
    if (state.realNodes.length > 0 && isBuilt(tool('traefik'))) {
      progress.phase({ ko: 'Ingress 컨트롤러(Traefik) 시작', en: 'Starting the Ingress controller (Traefik)' });
      try {
        state.ports.traefikPing = await take();
        await startTraefik({
          kubeconfig: p.kubeconfig, traefikKubeconfig: conf('traefik'), dataDir: p.data, pingPort: state.ports.traefikPing,
          launch: (bin, args, env) => launch(TRAEFIK, bin, args, env), kubectl,
        });
        ingress = true;
        progress.done();
      } catch (e) {
        const why = e instanceof KlabError ? e.text : same((e as Error).message);
        progress.done({ ko: `건너뜀: ${why.ko}`, en: `skipped: ${why.en}` });
        const i = state.procs.findIndex((r) => r.name === TRAEFIK);
        if (i >= 0) { await stopProcess(state.procs[i]!).catch(() => undefined); state.procs.splice(i, 1); writeState(state, dir); }
      }
      mark('ingress');
    }

    for (const rec of state.procs) {
      if (!isAlive(rec)) throw componentDiedError(rec);
    }
    state.capabilities = capabilitiesFor(state.realNodes.length > 0, ingress);
    state.phase = 'running';
    writeState(state, dir);
    linkCurrent();
    mark('total');
    return { info: infoFrom(state), alreadyRunning: false, timings };
  } catch (e) {
    progress.info({ ko: 'local 클러스터 시작에 실패해 시작한 프로세스를 정리합니다 (로그는 남겨 둡니다).', en: 'Starting the local cluster failed; stopping what was started (logs are kept).' });
    await teardown(dir, progress, true).catch(() => undefined);
    if (e instanceof KlabError) throw e;
    throw new KlabError({ ko: 'local 클러스터를 시작하지 못했습니다.', en: 'Could not start the local cluster.' }, ExitCode.unreachable, (e as Error).stack ?? String(e));
  }
}

type Core = import('@kubernetes/client-node').CoreV1Api;

async function createSimulatedNodes(core: Core, nodes: PlannedNode[], watch: ProcRecord[]): Promise<void> {
  for (const n of nodes) {
    try {
      await core.createNode({ body: kwokNode(n) });
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
  const names = new Set(nodes.map((n) => n.name));
  // Named after the nodes in the timeout message, the log is kwok's (watch[0]).
  await waitReady({ ...watch[0], name: 'kwok nodes' }, async () => {
    const list = await core.listNode().catch(() => undefined);
    const ready = (list?.items ?? []).filter((n) => names.has(n.metadata?.name ?? '') && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === names.size;
  }, 60_000, watch);
}

/** The real node did not start after all: its group's simulated nodes lose SIMULATED_TAINT (they stand in for it). */
async function untaintSimulated(core: Core, nodes: PlannedNode[]): Promise<void> {
  const { setHeaderOptions, PatchStrategy } = await import('@kubernetes/client-node');
  for (const n of nodes.filter((x) => x.taints.some((t) => t.key === SIMULATED_TAINT.key))) {
    const taints = n.taints.filter((t) => t.key !== SIMULATED_TAINT.key);
    await core.patchNode({ name: n.name, body: { spec: { taints } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }
}

async function waitForDefaultServiceAccount(core: Core, watch: ProcRecord[]): Promise<void> {
  await waitReady({ ...watch[0], name: 'kube-controller-manager (default ServiceAccount)' },
    () => core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' }).then(() => true, () => false), 60_000, watch);
}

/** Stop everything (real nodes first), then remove data, PKI, kubeconfigs and the state file. Logs are kept. */
async function teardown(dir: string, progress: Progress, quiet = false): Promise<{ stopped: string[] }> {
  const p = paths(dir);
  const s = readState(dir);
  const stopped: string[] = [];
  await stopRealNodes(dir).catch((e) => progress.info({ ko: `실제 노드 정지 중 오류: ${(e as Error).message}`, en: `Error while stopping the real node: ${(e as Error).message}` }));
  // Clients of the API server first (together), then the API server, then etcd.
  const procs = s?.procs ?? [];
  const waves = [
    procs.filter((r) => !['kube-apiserver', 'etcd'].includes(r.name)),
    procs.filter((r) => r.name === 'kube-apiserver'),
    procs.filter((r) => r.name === 'etcd'),
  ];
  for (const wave of waves) {
    await Promise.all(wave.map(async (rec) => {
      const wasAlive = isAlive(rec);
      const t = Date.now();
      // workflow-controller ignores SIGTERM for long (it holds nothing worth saving): SIGKILL it after 2 s.
      await stopProcess(rec, rec.name === 'etcd' || rec.name === 'kube-apiserver' ? 15_000 : rec.name === WORKFLOW_CONTROLLER ? 2_000 : 5_000);
      if (wasAlive) stopped.push(`${rec.name} (pid ${rec.pid}, ${((Date.now() - t) / 1000).toFixed(1)}s)`);
    }));
  }
  // Anything else still running with our state dir on its command line (e.g. a crash between spawn and recording).
  for (const stray of processesMentioning(dir + '/', binCacheDir())) {
    await stopPid(stray.pid, 5_000);
    stopped.push(`pid ${stray.pid}`);
  }
  for (const d of [p.data, p.conf, p.pki, p.kubeconfig, p.state]) rmSync(d, { recursive: true, force: true });
  if (!quiet && stopped.length) progress.info(same(stopped.join(', ')));
  return { stopped };
}

export async function down(progress: Progress): Promise<{ wasRunning: boolean; stopped: string[] }> {
  const dir = stateDir();
  if (!existsSync(dir)) return { wasRunning: false, stopped: [] };
  const unlock = lock(dir);
  try {
    const had = readState(dir) !== undefined;
    const { stopped } = await teardown(dir, progress, true);
    return { wasRunning: had || stopped.length > 0, stopped };
  } finally {
    unlock();
  }
}

export async function status(): Promise<ClusterStatus> {
  const dir = stateDir();
  const s = readState(dir);
  if (!s) return { provider: 'local', running: false, details: [{ ko: 'local 클러스터가 실행 중이 아닙니다.', en: 'The local cluster is not running.' }] };
  const details: Text[] = s.procs.map((r) => isAlive(r)
    ? fill({ ko: '{name}: 실행 중 (pid {pid}, 로그 {log})', en: '{name}: running (pid {pid}, log {log})' }, { name: r.name, pid: r.pid, log: r.log })
    : fill({ ko: '{name}: 멈춤 (pid {pid}, 로그 {log})', en: '{name}: not running (pid {pid}, log {log})' }, { name: r.name, pid: r.pid, log: r.log }));
  const h = await healthy(s, dir);
  details.push(fill({ ko: 'API 서버: {url} ({ok})', en: 'API server: {url} ({okEn})' }, { url: s.apiServerUrl, ok: h.ok ? '준비됨' : '응답 없음', okEn: h.ok ? 'ready' : 'not answering' }));
  if (s.simulatedNodes.length) details.push(fill({ ko: 'kwok 노드: {n}', en: 'kwok nodes: {n}' }, { n: s.simulatedNodes.join(', ') }));
  if (s.realNodes.length) details.push(fill({ ko: '실제 노드: {n}', en: 'real nodes: {n}' }, { n: s.realNodes.join(', ') }));
  details.push(fill({ ko: 'kubectl/helm: {dir}', en: 'kubectl/helm: {dir}' }, { dir: currentBinDir() }));
  return { provider: 'local', running: h.ok, context: s.context, kubeconfig: s.kubeconfig, details };
}

/** For tests and the runner's teardown: throws if any process the local provider started is still alive. */
export function runningProcesses(dir = stateDir()): { pid: number; cmd: string }[] {
  return processesMentioning(dir + '/');
}

