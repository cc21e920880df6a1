// The `kind` provider (issue 7): the trainee's cluster on Docker.
// kind cluster `klab` generated from cluster/nodegroups.yaml (cluster/kind/config.ts), the local registry
// `kind-registry` on localhost:5001 wired as kind's local-registry guide documents, Traefik for Ingress, and Argo
// Workflows from its pinned release manifest when a lab asks for it. Every tool call has a timeout; every failure is a
// KlabError with a ko/en message and exit code (3 when the cluster cannot be had, 2 when the user must decide).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Capabilities, ClusterInfo, ClusterStatus, DownOptions, Progress, Provider, ProviderOptions, UpOptions } from './provider.js';
import { LB_RANGE_HOSTING } from './provider.js';
import { KlabError, ExitCode, fill, same, type Text } from '../i18n/index.js';
import { argo, gatewayApi, hostPorts, kindNodeImage, kindVersion, metallb, registry, rollouts, traefik, type AddonName } from './addons.js';
import { clusterName, kindConfigYaml, localRegistryHostingConfigMap, markerLabel, registryHostsToml } from './kind/config.js';
import { loadNodeGroups, planNodes, NODEGROUP_LABEL } from './nodegroups.js';
import { stateDir as klabStateDir, cacheDir as klabCacheDir } from './paths.js';
import { traefikManifests } from './kind/traefik.js';
import { describePortOwner, portFree, run, which, type RunResult } from '../host/procs.js';
import { writeAtomic } from '../host/files.js';

export const kindContext = `kind-${clusterName}`;
const registryLabel = 'klab.dev/managed=true';

/** $XDG_STATE_HOME/klab/kind: the kubeconfig and the generated kind config. */
export const stateDir = () => path.join(klabStateDir(), 'kind');
/** $XDG_CACHE_HOME/klab/downloads: release manifests, keyed by URL. */
export const cacheDir = () => path.join(klabCacheDir(), 'downloads');


// ---- messages ----
const T = {
  dockerMissing: { ko: 'docker 명령을 찾을 수 없습니다. Docker를 설치하세요 (klab doctor 가 OS별 설치 명령을 보여 줍니다).', en: 'The docker command was not found. Install Docker (klab doctor shows the command for your OS).' },
  dockerDown: { ko: 'Docker 엔진이 응답하지 않습니다 (docker 클라이언트는 있음): {err}\nDocker를 켜세요 — Linux: sudo systemctl start docker / macOS·Windows: Docker Desktop 실행', en: 'The Docker engine does not answer (the docker client is installed): {err}\nStart it — Linux: sudo systemctl start docker / macOS, Windows: start Docker Desktop' },
  kindMissing: { ko: 'kind 명령을 찾을 수 없습니다. 설치: go install sigs.k8s.io/kind@{v} (또는 brew install kind). klab doctor 를 실행해 보세요.', en: 'The kind command was not found. Install it: go install sigs.k8s.io/kind@{v} (or brew install kind). Run klab doctor for details.' },
  kubectlMissing: { ko: 'kubectl 명령을 찾을 수 없습니다. klab doctor 가 설치 명령을 보여 줍니다.', en: 'The kubectl command was not found. klab doctor shows how to install it.' },
  foreign: { ko: "klab이 만들지 않은 kind 클러스터 '{name}'이(가) 이미 있습니다 ({why}). 지우지 않습니다.\n- 그대로 쓰려면: klab ... --provider existing --context kind-{name}\n- 지우고 새로 만들려면: klab cluster down --provider kind --force", en: "A kind cluster '{name}' exists that klab did not create ({why}). klab will not delete it.\n- To use it as is: klab ... --provider existing --context kind-{name}\n- To delete it and start over: klab cluster down --provider kind --force" },
  portTaken: { ko: '포트 {port} 을(를) 이미 다른 프로세스가 쓰고 있습니다: {owner}\n{what} 에 이 포트가 필요합니다. 그 프로세스를 멈추고 다시 실행하세요.', en: 'Port {port} is already in use by: {owner}\n{what} needs it. Stop that process and run again.' },
  failed: { ko: '{step} 실패 (exit {code}):\n{err}', en: '{step} failed (exit {code}):\n{err}' },
  phaseDocker: { ko: 'Docker 엔진 확인', en: 'Checking the Docker engine' },
  phaseRegistry: { ko: '로컬 레지스트리 localhost:{port} (kind-registry)', en: 'Local registry localhost:{port} (kind-registry)' },
  phaseCreate: { ko: 'kind 클러스터 생성 (노드 {n}개, 이미지 {image})', en: 'Creating the kind cluster ({n} nodes, image {image})' },
  phaseReady: { ko: '노드 Ready 대기', en: 'Waiting for nodes to be Ready' },
  phaseWire: { ko: '노드에 레지스트리 연결 (containerd certs.d)', en: 'Wiring the registry into the nodes (containerd certs.d)' },
  phaseTraefik: { ko: 'Traefik 인그레스 컨트롤러 {v}', en: 'Traefik ingress controller {v}' },
  phaseArgo: { ko: 'Argo Workflows {v} (컨트롤러는 {ng} 노드에)', en: 'Argo Workflows {v} (controller on {ng} nodes)' },
  present: { ko: '이미 있음, 그대로 둠', en: 'already present, left alone' },
  exists: { ko: "kind 클러스터 '{name}'이(가) 이미 실행 중입니다 — 새로 만들지 않습니다", en: "kind cluster '{name}' is already running — not creating it again" },
  total: { ko: '전체 {s}초', en: 'total {s}s' },
  unverified: { ko: '체크섬을 고정하지 않았습니다 (오프라인에서 계산 불가): sha256 {sha} — 검증되지 않음. KLAB_ARGO_SHA256 로 고정할 수 있습니다.', en: 'No pinned checksum (could not be computed offline): sha256 {sha} — NOT verified. Set KLAB_ARGO_SHA256 to enforce one.' },
  badSum: { ko: '{file} 체크섬 불일치: 기대 {want}, 실제 {got}. 파일을 지우고 다시 받으세요: rm {file}', en: 'Checksum mismatch for {file}: expected {want}, got {got}. Delete it and retry: rm {file}' },
  download: { ko: '{url} 을(를) 받지 못했습니다: {err}', en: 'Could not download {url}: {err}' },
  noCluster: { ko: "kind 클러스터 '{name}'이(가) 없습니다 — 지울 것이 없습니다.", en: "There is no kind cluster '{name}' — nothing to delete." },
  deleted: { ko: "kind 클러스터 '{name}'을(를) 지웠습니다.", en: "Deleted kind cluster '{name}'." },
  regDeleted: { ko: '레지스트리 컨테이너 kind-registry 를 지웠습니다.', en: 'Deleted the registry container kind-registry.' },
  regForeign: { ko: 'kind-registry 컨테이너는 klab이 만든 것이 아니라서 남겨 둡니다 (--force 로 지울 수 있음).', en: 'The kind-registry container was not created by klab: left alone (--force deletes it).' },
  phaseDelete: { ko: "kind 클러스터 '{name}' 삭제", en: "Deleting kind cluster '{name}'" },
} satisfies Record<string, Text>;

function fail(step: string, r: RunResult, exitCode: 2 | 3 = 3): KlabError {
  return new KlabError(fill(T.failed, { step, code: r.code, err: (r.stderr || r.stdout).trim().slice(-2000) }), exitCode);
}

// ---- Docker / kind plumbing ----

export async function dockerEngine(): Promise<{ ok: true; serverVersion: string } | { ok: false; error: KlabError }> {
  const r = await run('docker', ['info', '--format', '{{json .ServerVersion}}'], { timeoutMs: 20_000 });
  if (r.notFound) return { ok: false, error: new KlabError(T.dockerMissing, ExitCode.unreachable) };
  const v = r.stdout.trim().replace(/^"|"$/g, '');
  if (r.code !== 0 || !v || v === 'null') {
    const err = (r.stderr.trim().split('\n').find((l) => /error|cannot|denied|daemon/i.test(l)) ?? r.stderr.trim() ?? '').slice(0, 400) || (r.timedOut ? 'timeout' : `exit ${r.code}`);
    return { ok: false, error: new KlabError(fill(T.dockerDown, { err }), ExitCode.unreachable) };
  }
  return { ok: true, serverVersion: v };
}

async function kindClusters(): Promise<string[]> {
  const r = await run('kind', ['get', 'clusters'], { timeoutMs: 30_000 });
  if (r.notFound) throw new KlabError(fill(T.kindMissing, { v: kindVersion }), ExitCode.unreachable);
  if (r.code !== 0) throw fail('kind get clusters', r);
  return r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}

function kubectl(args: string[], o: { input?: string; timeoutMs?: number; kubeconfig: string }) {
  return run('kubectl', ['--kubeconfig', o.kubeconfig, '--context', kindContext, ...args], { input: o.input, timeoutMs: o.timeoutMs ?? 120_000 });
}

/** Is the existing `klab` kind cluster ours? Reads the marker label klab puts on every node. */
export async function ownership(kubeconfig: string): Promise<{ ours: boolean; why: string }> {
  const r = await kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.klab\\.dev/managed}{"\\n"}{end}'], { kubeconfig, timeoutMs: 20_000 });
  if (r.code !== 0) return { ours: false, why: `cannot read its nodes: ${(r.stderr.trim().split('\n')[0] ?? '').slice(0, 200)}` };
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  const marked = lines.filter((l) => l.endsWith('=true'));
  if (lines.length > 0 && marked.length === lines.length) return { ours: true, why: `${markerLabel}=true on ${lines.length} nodes` };
  return { ours: false, why: `no ${markerLabel} label on ${lines.length - marked.length} of ${lines.length} nodes` };
}

async function exportKubeconfig(): Promise<string> {
  const r = await run('kind', ['get', 'kubeconfig', '--name', clusterName], { timeoutMs: 30_000 });
  if (r.code !== 0) throw fail('kind get kubeconfig', r);
  const file = path.join(stateDir(), 'kubeconfig');
  writeAtomic(file, r.stdout, { mode: 0o600 });
  return file;
}

async function registryState(): Promise<{ exists: boolean; running: boolean; ours: boolean; onKindNet: boolean }> {
  const r = await run('docker', ['inspect', '-f', '{{.State.Running}}|{{index .Config.Labels "klab.dev/managed"}}|{{json .NetworkSettings.Networks.kind}}', registry.containerName], { timeoutMs: 20_000 });
  if (r.code !== 0) return { exists: false, running: false, ours: false, onKindNet: false };
  const [running, ours, net] = r.stdout.trim().split('|');
  return { exists: true, running: running === 'true', ours: ours === 'true', onKindNet: !!net && net !== 'null' };
}

async function ensurePortFree(port: number, what: string) {
  if (await portFree(port, '127.0.0.1')) return;
  throw new KlabError(fill(T.portTaken, { port, owner: await describePortOwner(port), what }), ExitCode.unreachable);
}

async function ensureRegistry(progress: Progress): Promise<void> {
  progress.phase(fill(T.phaseRegistry, { port: registry.hostPort }));
  const st = await registryState();
  if (st.exists && st.running) { progress.done(T.present); return; }
  if (st.exists) {
    const r = await run('docker', ['start', registry.containerName], { timeoutMs: 60_000 });
    if (r.code !== 0) {
      // Most often: the host port was taken while the registry was stopped.
      if (!(await portFree(registry.hostPort, '127.0.0.1'))) await ensurePortFree(registry.hostPort, 'kind-registry');
      throw fail('docker start kind-registry', r);
    }
    progress.done(same('started'));
    return;
  }
  await ensurePortFree(registry.hostPort, 'kind-registry');
  const r = await run('docker', ['run', '-d', '--restart=always', '-p', `127.0.0.1:${registry.hostPort}:${registry.containerPort}`,
    '--network', 'bridge', '--name', registry.containerName, '--label', registryLabel, registry.image.ref], { timeoutMs: 10 * 60_000 });
  if (r.code !== 0) throw fail(`docker run ${registry.image.ref}`, r);
  progress.done(same(registry.image.ref));
}

async function wireRegistry(kubeconfig: string, progress: Progress): Promise<void> {
  progress.phase(T.phaseWire);
  const nodes = await run('kind', ['get', 'nodes', '--name', clusterName], { timeoutMs: 30_000 });
  if (nodes.code !== 0) throw fail('kind get nodes', nodes);
  const hosts = registryHostsToml();
  for (const node of nodes.stdout.split('\n').map((s) => s.trim()).filter(Boolean)) {
    const mk = await run('docker', ['exec', node, 'mkdir', '-p', hosts.dir], { timeoutMs: 30_000 });
    if (mk.code !== 0) throw fail(`docker exec ${node} mkdir`, mk);
    const cp = await run('docker', ['exec', '-i', node, 'cp', '/dev/stdin', `${hosts.dir}/hosts.toml`], { input: hosts.content, timeoutMs: 30_000 });
    if (cp.code !== 0) throw fail(`docker exec ${node} cp hosts.toml`, cp);
  }
  const st = await registryState();
  if (!st.onKindNet) {
    const r = await run('docker', ['network', 'connect', 'kind', registry.containerName], { timeoutMs: 30_000 });
    if (r.code !== 0) throw fail('docker network connect kind kind-registry', r);
  }
  const cm = await kubectl(['apply', '-f', '-'], { kubeconfig, input: JSON.stringify(localRegistryHostingConfigMap()) });
  if (cm.code !== 0) throw fail('kubectl apply local-registry-hosting', cm);
  progress.done();
}

async function present(kubeconfig: string, args: string[]): Promise<boolean> {
  return (await kubectl(['get', ...args, '-o', 'name'], { kubeconfig, timeoutMs: 30_000 })).code === 0;
}

async function ensureTraefik(kubeconfig: string, progress: Progress): Promise<void> {
  progress.phase(fill(T.phaseTraefik, { v: traefik.image.version }));
  // A cluster made before Traefik's CRD and Gateway providers (decisions 0031/0032) lacks their CRDs: install again.
  if (await present(kubeconfig, ['deployment', 'traefik', '-n', traefik.namespace]) && await present(kubeconfig, ['crd', 'middlewares.traefik.io'])
    && await present(kubeconfig, ['crd', 'httproutes.gateway.networking.k8s.io'])) { progress.done(T.present); return; }
  // The CRDs first (the providers watch them from the start, and the GatewayClass is one of them), from pinned URLs.
  const crds = [await downloadPinned(traefik.crds.url, traefik.crds.sha256, progress, 'KLAB_TRAEFIK_CRDS_SHA256'),
    await downloadPinned(gatewayApi.download.url, gatewayApi.download.sha256, progress, 'KLAB_GATEWAY_API_SHA256')];
  const c = await kubectl(['apply', '--server-side', '--force-conflicts', ...crds.flatMap((f) => ['-f', f])], { kubeconfig, timeoutMs: 300_000 });
  if (c.code !== 0) throw fail('kubectl apply traefik/gateway-api CRDs', c);
  const e = await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/middlewares.traefik.io', 'crd/gatewayclasses.gateway.networking.k8s.io', 'crd/httproutes.gateway.networking.k8s.io'], { kubeconfig, timeoutMs: 70_000 });
  if (e.code !== 0) throw fail('kubectl wait CRDs', e);
  const list = { apiVersion: 'v1', kind: 'List', items: traefikManifests() };
  const r = await kubectl(['apply', '-f', '-'], { kubeconfig, input: JSON.stringify(list) });
  if (r.code !== 0) throw fail('kubectl apply traefik', r);
  const w = await kubectl(['rollout', 'status', 'deployment/traefik', '-n', traefik.namespace, '--timeout=300s'], { kubeconfig, timeoutMs: 320_000 });
  if (w.code !== 0) throw fail('traefik rollout', w);
  progress.done();
}

/** Download a pinned file once into the cache; verify its sha256 when pinned, otherwise print it as unverified. */
export async function downloadPinned(url: string, pinnedSha: string | null, progress: Progress, envOverride?: string): Promise<string> {
  const want = (envOverride && process.env[envOverride]) || pinnedSha;
  const file = path.join(cacheDir(), createHash('sha256').update(url).digest('hex').slice(0, 12) + '-' + path.basename(new URL(url).pathname));
  if (!existsSync(file)) {
    let body: Buffer;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(120_000), redirect: 'follow' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw new KlabError(fill(T.download, { url, err: (e as Error).message }), ExitCode.unreachable);
    }
    writeAtomic(file, body);
  }
  const got = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (want && want !== got) throw new KlabError(fill(T.badSum, { file, want, got }), ExitCode.unreachable);
  if (!want) progress.info(fill(T.unverified, { sha: got }));
  return file;
}

async function ensureArgo(kubeconfig: string, progress: Progress): Promise<void> {
  progress.phase(fill(T.phaseArgo, { v: argo.download.version, ng: argo.nodeGroup }));
  if (await present(kubeconfig, ['crd', 'workflows.argoproj.io']) && await present(kubeconfig, ['deployment', argo.controllerDeployment, '-n', argo.namespace])) {
    progress.done(T.present);
    return;
  }
  const file = await downloadPinned(argo.download.url, argo.download.sha256, progress, 'KLAB_ARGO_SHA256');
  const ns = await kubectl(['create', 'namespace', argo.namespace], { kubeconfig });
  if (ns.code !== 0 && !/AlreadyExists/.test(ns.stderr)) throw fail('kubectl create namespace argo', ns);
  const a = await kubectl(['apply', '--server-side', '-n', argo.namespace, '-f', file], { kubeconfig, timeoutMs: 300_000 });
  if (a.code !== 0) throw fail('kubectl apply argo install.yaml', a);
  const patch = JSON.stringify({ spec: { template: { spec: { nodeSelector: { [NODEGROUP_LABEL]: argo.nodeGroup } } } } });
  for (const d of [argo.controllerDeployment, argo.serverDeployment]) {
    if (!(await present(kubeconfig, ['deployment', d, '-n', argo.namespace]))) continue;
    const p = await kubectl(['patch', 'deployment', d, '-n', argo.namespace, '--type', 'merge', '-p', patch], { kubeconfig });
    if (p.code !== 0) throw fail(`kubectl patch ${d}`, p);
    const w = await kubectl(['rollout', 'status', `deployment/${d}`, '-n', argo.namespace, '--timeout=300s'], { kubeconfig, timeoutMs: 320_000 });
    if (w.code !== 0) throw fail(`${d} rollout`, w);
  }
  progress.done();
}

/** Argo Rollouts from its pinned release manifest (decision 0035), for a lab with `addons: [rollouts]`. */
async function ensureRollouts(kubeconfig: string, progress: Progress): Promise<void> {
  progress.phase(fill({ ko: 'Argo Rollouts {v} 설치', en: 'Installing Argo Rollouts {v}' }, { v: rollouts.download.version }));
  if (await present(kubeconfig, ['crd', 'rollouts.argoproj.io']) && await present(kubeconfig, ['deployment', rollouts.controllerDeployment, '-n', rollouts.namespace])) {
    progress.done(T.present);
    return;
  }
  const file = await downloadPinned(rollouts.download.url, rollouts.download.sha256, progress, 'KLAB_ROLLOUTS_SHA256');
  const ns = await kubectl(['create', 'namespace', rollouts.namespace], { kubeconfig });
  if (ns.code !== 0 && !/AlreadyExists/.test(ns.stderr)) throw fail(`kubectl create namespace ${rollouts.namespace}`, ns);
  const a = await kubectl(['apply', '--server-side', '-n', rollouts.namespace, '-f', file], { kubeconfig, timeoutMs: 300_000 });
  if (a.code !== 0) throw fail('kubectl apply argo-rollouts install.yaml', a);
  const w = await kubectl(['rollout', 'status', `deployment/${rollouts.controllerDeployment}`, '-n', rollouts.namespace, '--timeout=300s'], { kubeconfig, timeoutMs: 320_000 });
  if (w.code !== 0) throw fail('argo-rollouts rollout', w);
  progress.done();
}

/**
 * MetalLB from its pinned release manifest (decision 0033), for a lab with `addons: [loadbalancer]`: controller and
 * L2 speaker. Advertises kind's Docker network subnet (provider.ts LB_RANGE_HOSTING): a trainee's pool takes an
 * address from its upper half, which Docker does not hand to node containers (it counts up from the bottom), and the
 * speaker answers ARP for it there.
 */
async function ensureMetallb(kubeconfig: string, progress: Progress): Promise<void> {
  progress.phase(fill({ ko: 'MetalLB {v} 설치', en: 'Installing MetalLB {v}' }, { v: metallb.download.version }));
  const net = await run('docker', ['network', 'inspect', 'kind', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{end}}'], { timeoutMs: 20_000 });
  const v4 = net.stdout.split(/\s+/).find((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
  if (await present(kubeconfig, ['crd', 'ipaddresspools.metallb.io']) && await present(kubeconfig, ['deployment', metallb.controllerDeployment, '-n', metallb.namespace])) {
    await advertiseLbRange(kubeconfig, v4);
    progress.done(T.present);
    return;
  }
  const file = await downloadPinned(metallb.download.url, metallb.download.sha256, progress, 'KLAB_METALLB_SHA256');
  const a = await kubectl(['apply', '--server-side', '-f', file], { kubeconfig, timeoutMs: 300_000 });
  if (a.code !== 0) throw fail('kubectl apply metallb-native.yaml', a);
  for (const w of [`deployment/${metallb.controllerDeployment}`, `daemonset/${metallb.speakerDaemonSet}`]) {
    const r = await kubectl(['rollout', 'status', w, '-n', metallb.namespace, '--timeout=300s'], { kubeconfig, timeoutMs: 320_000 });
    if (r.code !== 0) throw fail(`metallb ${w} rollout`, r);
  }
  await advertiseLbRange(kubeconfig, v4);
  progress.done();
}

/** Write (or refresh) the LoadBalancer block ConfigMap; nothing without an IPv4 subnet (labs then have no {lbaddr}). */
async function advertiseLbRange(kubeconfig: string, range: string | undefined): Promise<void> {
  if (!range) return;
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: LB_RANGE_HOSTING.name, namespace: LB_RANGE_HOSTING.namespace, labels: { 'app.kubernetes.io/managed-by': 'klab' } }, data: { [LB_RANGE_HOSTING.key]: range } };
  const r = await kubectl(['apply', '-f', '-'], { kubeconfig, input: JSON.stringify(cm) });
  if (r.code !== 0) throw fail('kubectl apply klab-loadbalancer ConfigMap', r);
}

/** Memory used by the cluster's containers (docker stats), for `status` and the benchmark. */
export async function clusterMemoryMiB(): Promise<{ total: number; byContainer: Record<string, number> } | undefined> {
  const names = await run('docker', ['ps', '--filter', `label=io.x-k8s.kind.cluster=${clusterName}`, '--format', '{{.Names}}'], { timeoutMs: 20_000 });
  if (names.code !== 0) return undefined;
  const list = names.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return undefined;
  const r = await run('docker', ['stats', '--no-stream', '--format', '{{.Name}}|{{.MemUsage}}', ...list], { timeoutMs: 60_000 });
  if (r.code !== 0) return undefined;
  const unit: Record<string, number> = { B: 1 / 1048576, KiB: 1 / 1024, kB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 };
  const byContainer: Record<string, number> = {};
  for (const line of r.stdout.trim().split('\n')) {
    const [name, usage] = line.split('|');
    const m = /^([\d.]+)\s*([A-Za-z]+)/.exec(usage ?? '');
    if (name && m) byContainer[name] = Math.round(Number(m[1]) * (unit[m[2]!] ?? 1));
  }
  return { total: Object.values(byContainer).reduce((a, b) => a + b, 0), byContainer };
}

// ---- the provider ----

function helmOnPath(): boolean { return which('helm') !== undefined; }

export function kindCapabilities(): Capabilities {
  return { nodeGroups: true, helm: helmOnPath(), argo: true, realPods: true, exec: true, logs: true, registry: true, ingress: true, rollouts: true, traefikMiddleware: true, gatewayApi: true, loadBalancer: true, metallb: true };
}

export function createProvider(opts: ProviderOptions): Provider {
  const elapsed = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
  return {
    name: 'kind',

    async available() {
      const d = await dockerEngine();
      if (!d.ok) return { ok: false, reason: d.error.text };
      if (!which('kind')) return { ok: false, reason: fill(T.kindMissing, { v: kindVersion }) };
      if (!which('kubectl')) return { ok: false, reason: T.kubectlMissing };
      return { ok: true };
    },

    async up(u: UpOptions): Promise<ClusterInfo> {
      const t0 = performance.now();
      const { progress } = u;
      progress.phase(T.phaseDocker);
      const d = await dockerEngine();
      if (!d.ok) throw d.error;
      if (!which('kubectl')) throw new KlabError(T.kubectlMissing, ExitCode.unreachable);
      const clusters = await kindClusters();
      progress.done(same(`Docker ${d.serverVersion}`));

      const groups = await loadNodeGroups();
      const addons = new Set<AddonName>(['registry', 'ingress', ...((u.addons ?? []) as AddonName[])]);
      let kubeconfig: string;

      if (clusters.includes(clusterName)) {
        kubeconfig = await exportKubeconfig();
        const own = await ownership(kubeconfig);
        if (!own.ours) throw new KlabError(fill(T.foreign, { name: clusterName, why: own.why }), ExitCode.usage);
        progress.info(fill(T.exists, { name: clusterName }));
        await ensureRegistry(progress);
        // Cheap and idempotent: re-assert the registry wiring (a node restarted by Docker keeps its files anyway).
        await wireRegistry(kubeconfig, progress);
      } else {
        await ensureRegistry(progress);
        for (const p of [hostPorts.http, hostPorts.https]) await ensurePortFree(p, 'kind (ingress)');
        for (let p = hostPorts.nodePortFirst; p < hostPorts.nodePortFirst + hostPorts.nodePortCount; p++) await ensurePortFree(p, 'kind (NodePort)');
        const cfgFile = path.join(stateDir(), 'kind-config.yaml');
        writeAtomic(cfgFile, await kindConfigYaml(groups), { mode: 0o600 });
        const image = process.env.KLAB_KIND_NODE_IMAGE ?? kindNodeImage.ref;
        progress.phase(fill(T.phaseCreate, { n: 1 + planNodes(groups).length, image: image.split('@')[0]! }));
        const c = await run('kind', ['create', 'cluster', '--name', clusterName, '--config', cfgFile, '--wait', '0s'], { timeoutMs: 20 * 60_000 });
        if (c.code !== 0) throw fail('kind create cluster', c);
        progress.done();
        kubeconfig = await exportKubeconfig();
        progress.phase(T.phaseReady);
        const w = await kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=300s'], { kubeconfig, timeoutMs: 320_000 });
        if (w.code !== 0) throw fail('kubectl wait nodes Ready', w);
        progress.done();
        await wireRegistry(kubeconfig, progress);
      }
      if (addons.has('ingress')) await ensureTraefik(kubeconfig, progress);
      if (addons.has('argo')) await ensureArgo(kubeconfig, progress);
      if (addons.has('rollouts')) await ensureRollouts(kubeconfig, progress);
      if (addons.has('loadbalancer')) await ensureMetallb(kubeconfig, progress);
      progress.info(fill(T.total, { s: elapsed(t0) }));
      return { provider: 'kind', kubeconfig, context: kindContext, capabilities: kindCapabilities() };
    },

    async down(o: DownOptions): Promise<void> {
      const { progress } = o;
      const force = o.force ?? opts.force ?? false;
      const d = await dockerEngine();
      if (!d.ok) throw d.error;
      const clusters = await kindClusters();
      if (clusters.includes(clusterName)) {
        if (!force) {
          const kubeconfig = await exportKubeconfig();
          const own = await ownership(kubeconfig);
          if (!own.ours) throw new KlabError(fill(T.foreign, { name: clusterName, why: own.why }), ExitCode.usage);
        }
        progress.phase(fill(T.phaseDelete, { name: clusterName }));
        const r = await run('kind', ['delete', 'cluster', '--name', clusterName], { timeoutMs: 5 * 60_000 });
        if (r.code !== 0) throw fail('kind delete cluster', r);
        progress.done();
        progress.info(fill(T.deleted, { name: clusterName }));
      } else {
        progress.info(fill(T.noCluster, { name: clusterName }));
      }
      const st = await registryState();
      if (st.exists) {
        if (st.ours || force) {
          const r = await run('docker', ['rm', '-f', registry.containerName], { timeoutMs: 60_000 });
          if (r.code !== 0) throw fail('docker rm -f kind-registry', r);
          progress.info(T.regDeleted);
        } else {
          progress.info(T.regForeign);
        }
      }
    },

    async status(): Promise<ClusterStatus> {
      const d = await dockerEngine();
      if (!d.ok) return { provider: 'kind', running: false, details: [d.error.text] };
      let clusters: string[];
      try { clusters = await kindClusters(); } catch (e) { return { provider: 'kind', running: false, details: [e instanceof KlabError ? e.text : same(String(e))] }; }
      const details: Text[] = [];
      const reg = await registryState();
      details.push(same(`registry kind-registry: ${reg.exists ? (reg.running ? 'running' : 'stopped') : 'absent'}${reg.exists && !reg.ours ? ' (not created by klab)' : ''}`));
      if (!clusters.includes(clusterName)) return { provider: 'kind', running: false, details: [fill(T.noCluster, { name: clusterName }), ...details] };
      const kubeconfig = await exportKubeconfig();
      const own = await ownership(kubeconfig);
      details.push(same(`cluster ${clusterName}: ${own.ours ? 'created by klab' : 'NOT created by klab'} (${own.why})`));
      const nodes = await kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.eks\\.amazonaws\\.com/nodegroup} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'], { kubeconfig, timeoutMs: 20_000 });
      for (const l of nodes.stdout.trim().split('\n').filter(Boolean)) {
        const [name, group, ready] = l.split(' ');
        details.push(same(`node ${name}: ${group ? `group ${group}, ` : ''}Ready=${ready ?? '?'}`));
      }
      details.push(same(`traefik: ${(await present(kubeconfig, ['deployment', 'traefik', '-n', traefik.namespace])) ? 'installed' : 'absent'}`));
      details.push(same(`argo: ${(await present(kubeconfig, ['deployment', argo.controllerDeployment, '-n', argo.namespace])) ? 'installed' : 'absent'}`));
      const mem = await clusterMemoryMiB();
      if (mem) details.push(same(`memory: ${mem.total} MiB (${Object.entries(mem.byContainer).map(([n, m]) => `${n} ${m}`).join(', ')})`));
      return { provider: 'kind', running: nodes.code === 0, context: kindContext, kubeconfig, details };
    },

    capabilities: kindCapabilities,

    /**
     * The add-on's controller (install.yaml, namespace argo) scaled to 0 or back to 1; the trainees holding the pause
     * are an annotation on its Deployment (the last one's resume scales it back).
     */
    async sharedArgo(runIt: boolean, holder?: string): Promise<boolean> {
      const kubeconfig = path.join(stateDir(), 'kubeconfig');
      const got = await kubectl(['get', 'deployment', argo.controllerDeployment, '-n', argo.namespace, '-o', `jsonpath={.spec.replicas} {.metadata.annotations.klab\\.dev/paused-for}`], { kubeconfig });
      if (got.code !== 0) return false;
      const [replicas, held = ''] = got.stdout.trim().split(' ');
      const holds = new Set(held.split(',').filter(Boolean));
      if (runIt) { if (holder) holds.delete(holder); else holds.clear(); } else if (holder) holds.add(holder);
      if ([...holds].join(',') !== held) {
        const a = await kubectl(['annotate', '--overwrite', 'deployment', argo.controllerDeployment, '-n', argo.namespace, `klab.dev/paused-for=${[...holds].join(',')}`], { kubeconfig });
        if (a.code !== 0) throw fail(`kubectl annotate ${argo.controllerDeployment}`, a);
      }
      const want = runIt && !holds.size ? 1 : 0;
      if (runIt && holds.size) return false;
      if (Number(replicas) === want) return false;
      const r = await kubectl(['scale', 'deployment', argo.controllerDeployment, '-n', argo.namespace, `--replicas=${want}`], { kubeconfig });
      if (r.code !== 0) throw fail(`kubectl scale ${argo.controllerDeployment}`, r);
      return true;
    },

    async locate() {
      return { kubeconfig: path.join(stateDir(), 'kubeconfig'), context: kindContext };
    },
  };
}
