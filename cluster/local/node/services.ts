// The host services under klab's real node, each a plain background process with its pid file and log under the
// provider's state dir: the local registry (Debian's docker-registry), Debian's docker engine (for `docker build`,
// used by klab's image builds and by labs), and containerd with its CRI plugin (for the kubelet).
// Persistent data that only makes later runs faster (docker's image store, the registry's blobs) lives in the klab
// cache (~/.cache/klab); nothing depends on it being there.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KlabError, ExitCode, josa } from '../../../i18n/index.js';
import type { Text } from '../../../i18n/index.js';
import { PAUSE_IMAGE, REGISTRY, type DockerEnv } from '../../images/build.js';
import { cacheDir, packagePath } from '../../paths.js';
import { daemonPid, logTail, run, startDaemon, stopDaemon } from '../../../host/procs.js';
import { waitFor } from '../../../host/wait.js';

export interface NodePaths {
  base: string;      // <state>/node
  logs: string;      // <state>/node/logs: one log per component
  run: string;       // <state>/node/run: pid files
  containerd: { dir: string; root: string; state: string; socket: string; config: string };
  docker: { dir: string; exec: string; socket: string; config: string; data: string; clientConfig: string };
  registry: { config: string; storage: string };
  cni: { conf: string; ipam: string; bin: string };
  kubelet: { dir: string; root: string; pki: string; config: string; kubeconfig: string };
  proxy: { dir: string; config: string; kubeconfig: string };
  coredns: { dir: string; corefile: string };
}

export function nodePaths(stateDir: string): NodePaths {
  const base = join(stateDir, 'node');
  const c = join(base, 'containerd');
  const d = join(base, 'docker');
  const k = join(base, 'kubelet');
  const p = join(base, 'kube-proxy');
  return {
    base,
    logs: join(base, 'logs'),
    run: join(base, 'run'),
    containerd: { dir: c, root: join(c, 'root'), state: join(c, 'state'), socket: join(c, 'containerd.sock'), config: join(c, 'config.toml') },
    docker: { dir: d, exec: join(d, 'exec'), socket: join(d, 'docker.sock'), config: join(d, 'daemon.json'), data: join(cacheDir(), 'docker'), clientConfig: join(d, 'client') },
    registry: { config: join(base, 'registry.yml'), storage: join(cacheDir(), 'registry') },
    cni: { conf: join(base, 'cni', 'net.d'), ipam: join(base, 'cni', 'ipam'), bin: '/usr/lib/cni' },
    kubelet: { dir: k, root: join(k, 'root'), pki: join(k, 'pki'), config: join(k, 'config.yaml'), kubeconfig: join(k, 'kubeconfig') },
    proxy: { dir: p, config: join(p, 'config.yaml'), kubeconfig: join(p, 'kubeconfig') },
    coredns: { dir: join(base, 'coredns'), corefile: join(base, 'coredns', 'Corefile') },
  };
}

export const pidFile = (P: NodePaths, name: string) => join(P.run, `${name}.pid`);
export const logFile = (P: NodePaths, name: string) => join(P.logs, `${name}.log`);

/** Fill {{name}} placeholders of a template file in cluster/local/node/. */
export function template(name: string, vars: Record<string, string>): string {
  const src = readFileSync(packagePath('cluster', 'local', 'node', name), 'utf8');
  return src.replace(/\{\{(\w+)\}\}/g, (m, k: string) => {
    if (vars[k] === undefined) throw new Error(`template ${name}: no value for ${m}`);
    return vars[k]!;
  });
}

function died(name: string, log: string): never {
  const tail = logTail(log, 20);
  throw new KlabError({
    ko: `${name}${josa(name, '이/가')} 시작되지 않았습니다. 로그 ${log} 의 끝:\n${tail}`,
    en: `${name} did not start. End of its log ${log}:\n${tail}`,
  }, ExitCode.unreachable);
}

// ---- registry --------------------------------------------------------------------------------------------------

export async function registryUp(): Promise<boolean> {
  try {
    const r = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(2000) });
    return r.ok;
  } catch { return false; }
}

export async function startRegistry(P: NodePaths): Promise<void> {
  const pf = pidFile(P, 'registry');
  if (daemonPid(pf, 'docker-registry') && (await registryUp())) return;
  if (await registryUp()) {
    throw new KlabError({
      ko: `${REGISTRY} 에 이미 다른 레지스트리가 떠 있습니다 (klab이 띄운 것이 아님). 그 프로세스를 멈추고 다시 시도하세요.`,
      en: `Another registry already listens on ${REGISTRY} (not started by klab). Stop that process and try again.`,
    }, ExitCode.unreachable);
  }
  mkdirSync(P.registry.storage, { recursive: true });
  mkdirSync(P.base, { recursive: true });
  writeFileSync(P.registry.config, template('registry.yml', { storage: P.registry.storage, addr: REGISTRY }));
  const log = logFile(P, 'registry');
  startDaemon({ name: 'registry', pidFile: pf, logFile: log }, '/usr/bin/docker-registry', ['serve', P.registry.config]);
  if (!(await waitFor(() => registryUp(), { timeoutMs: 15_000, everyMs: 200 }))) died('docker-registry', log);
}

// ---- docker engine ---------------------------------------------------------------------------------------------

export function dockerEnv(P: NodePaths): DockerEnv {
  return {
    bin: '/usr/bin/docker',
    env: { ...process.env, DOCKER_HOST: `unix://${P.docker.socket}`, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: P.docker.clientConfig },
  };
}

export async function startDocker(P: NodePaths): Promise<DockerEnv> {
  const env = dockerEnv(P);
  const pf = pidFile(P, 'dockerd');
  const ping = async () => (await run(env.bin, ['version', '--format', '{{.Server.Version}}'], { env: env.env, timeoutMs: 5000 })).code === 0;
  if (daemonPid(pf, 'dockerd') && (await ping())) return env;
  for (const d of [P.docker.exec, P.docker.data, P.docker.clientConfig]) mkdirSync(d, { recursive: true });
  // Our own (empty) daemon.json so a host /etc/docker/daemon.json cannot change this daemon.
  writeFileSync(P.docker.config, '{}\n');
  writeFileSync(join(P.docker.clientConfig, 'config.json'), '{}\n');
  const log = logFile(P, 'dockerd');
  // No bridge, no iptables: this daemon only builds images (RUN steps use --network host when they need the
  // network) and must not touch the host's firewall, which kube-proxy and the CNI plugins own.
  startDaemon({ name: 'dockerd', pidFile: pf, logFile: log }, '/usr/sbin/dockerd', [
    '--config-file', P.docker.config,
    '--data-root', P.docker.data,
    '--exec-root', P.docker.exec,
    '--pidfile', join(P.docker.dir, 'dockerd.pid'),
    '-H', `unix://${P.docker.socket}`,
    '--iptables=false', '--ip-masq=false', '--ip-forward=false', '--bridge=none',
    '--storage-driver=overlay2',
    '--insecure-registry', REGISTRY,
  ]);
  if (!(await waitFor(ping, { timeoutMs: 40_000, everyMs: 300 }))) died('dockerd', log);
  return env;
}

// ---- containerd ------------------------------------------------------------------------------------------------

/** Registries whose pulls go to the local registry. */
export const MIRRORED = ['docker.io', 'quay.io', 'registry.k8s.io', 'ghcr.io', 'localhost:5001', REGISTRY, `localhost:5000`];

export function containerdConfig(P: NodePaths): string {
  const mirrors = MIRRORED.map((r) => `      [plugins."io.containerd.grpc.v1.cri".registry.mirrors."${r}"]\n        endpoint = ["http://${REGISTRY}"]`).join('\n');
  return template('containerd.toml', {
    root: P.containerd.root, state: P.containerd.state, socket: P.containerd.socket,
    sandboxImage: PAUSE_IMAGE, runc: '/usr/sbin/runc', cniBin: P.cni.bin, cniConf: P.cni.conf, mirrors,
  });
}

export const ctr = (P: NodePaths, args: string[]) => run('/usr/bin/ctr', ['--address', P.containerd.socket, ...args], { timeoutMs: 20_000 });

export async function containerdUp(P: NodePaths): Promise<boolean> {
  return existsSync(P.containerd.socket) && (await ctr(P, ['version'])).code === 0;
}

export async function startContainerd(P: NodePaths): Promise<void> {
  const pf = pidFile(P, 'containerd');
  if (daemonPid(pf, 'containerd') && (await containerdUp(P))) return;
  for (const d of [P.containerd.root, P.containerd.state, P.cni.conf, P.cni.ipam]) mkdirSync(d, { recursive: true });
  writeFileSync(P.containerd.config, containerdConfig(P));
  const log = logFile(P, 'containerd');
  startDaemon({ name: 'containerd', pidFile: pf, logFile: log }, '/usr/bin/containerd', ['--config', P.containerd.config]);
  if (!(await waitFor(() => containerdUp(P), { timeoutMs: 30_000, everyMs: 200 }))) died('containerd', log);
}

export function describe(name: string, pf: string, exe: string): Text {
  const pid = daemonPid(pf, exe);
  return pid
    ? { ko: `${name}: 실행 중 (pid ${pid})`, en: `${name}: running (pid ${pid})` }
    : { ko: `${name}: 멈춤`, en: `${name}: stopped` };
}

export { stopDaemon };
