// `klab doctor`: what this machine has for klab, and the fix for each missing piece (issue 2 / issue 7).
// Works without a cluster. Rules are pure functions (unit-tested); `collect` runs the probes with timeouts.
//
// Status per check: ok | warn (works, but something will bite later) | fail (klab cannot work this way) | info.
// Exit code (scripts/doctor.ts): 0 when no check is `fail`, 1 when one is — see docs/providers.*.md.
import type { ProviderName } from './provider.js';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fill, same, type Text } from '../i18n/index.js';
import { nodeFix as nodeFixCommands, nodeTooOld } from '../i18n/node-version.js';
import { kindVersion, kubernetesMinor, localKubernetesVersion, pins, rollouts } from './addons.js';
import { run } from '../host/procs.js';
import { planNodes, NODEGROUP_LABEL, type NodeGroup } from './nodegroups.js';

export type DoctorStatus = 'ok' | 'warn' | 'fail' | 'info';
export interface Fix { linux: string; macos: string; windows: string }
export interface DoctorCheck {
  id: string;
  status: DoctorStatus;
  /** what was found (a version, a number), or null when absent */
  found: string | null;
  message: Text;
  /** commands per OS; "windows" means inside WSL 2 (klab and kind run in the Linux side) */
  fix?: Fix;
  fixNote?: Text;
}
export interface DoctorReport { ok: boolean; platform: string; checks: DoctorCheck[] }

// ---- Node.js ----

/** End of life per major (nodejs.org release schedule). Odd majors live ~8 months. */
export const nodeEol: Record<number, string> = {
  16: '2023-09-11', 18: '2025-04-30', 19: '2023-06-01', 20: '2026-04-30', 21: '2024-06-01',
  22: '2027-04-30', 23: '2025-06-01', 24: '2028-04-30', 25: '2026-06-01', 26: '2029-04-30',
};
const nodeFix: Fix = nodeFixCommands;

export function nodeCheck(version: string, now: Date = new Date()): DoctorCheck {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return { id: 'node', status: 'fail', found: version, message: fill({ ko: 'Node.js 버전을 알 수 없습니다: {v}', en: 'Cannot read the Node.js version: {v}' }, { v: version }), fix: nodeFix };
  const major = Number(m[1]);
  const eol = nodeEol[major];
  const eolPassed = eol !== undefined && now.getTime() >= Date.parse(eol + 'T00:00:00Z');
  const tooOld = nodeTooOld(version);
  const v = `v${m[1]}.${m[2]}.${m[3]}`;
  if (tooOld) {
    const why = eolPassed
      ? fill({ ko: 'Node.js {v} 는 {eol} 에 지원이 끝났고(EOL) klab 은 Node >= 22.19 가 필요합니다.', en: 'Node.js {v} reached end-of-life on {eol}, and klab needs Node >= 22.19.' }, { v, eol: eol! })
      : fill({ ko: 'Node.js {v}: klab 은 Node >= 22.19 가 필요합니다.', en: 'Node.js {v}: klab needs Node >= 22.19.' }, { v });
    return { id: 'node', status: 'fail', found: v, message: why, fix: nodeFix, fixNote: { ko: 'Node 24 (LTS)를 설치하세요', en: 'Install Node 24 (LTS)' } };
  }
  if (eolPassed) {
    return { id: 'node', status: 'warn', found: v, message: fill({ ko: 'Node.js {v} 는 {eol} 에 지원이 끝났습니다(EOL). LTS(24)로 올리세요.', en: 'Node.js {v} reached end-of-life on {eol}. Move to an LTS line (24).' }, { v, eol: eol! }), fix: nodeFix };
  }
  return { id: 'node', status: 'ok', found: v, message: fill({ ko: 'Node.js {v}', en: 'Node.js {v}' }, { v }) };
}

// ---- memory ----

/**
 * Memory a klab kind cluster needs, in MiB. Estimates (kind cannot run on the machine this was written on, so they
 * are not measured here; `klab cluster status --provider kind` prints the real figure from `docker stats`):
 * control-plane node (etcd, apiserver, controller-manager, scheduler, kindnet, CoreDNS) ≈ 900 MiB; each worker
 * (kubelet, containerd, kube-proxy, kindnet) ≈ 300 MiB; Argo Workflows (controller + server) ≈ 300 MiB;
 * Traefik ≈ 100 MiB; lab workloads ≈ 500 MiB.
 */
export function memoryNeedMiB(workers: number, withArgo: boolean): number {
  return 900 + 300 * workers + (withArgo ? 300 : 0) + 100 + 500;
}

export function memoryCheck(availableMiB: number | null, dockerTotalMiB: number | null, workers: number): DoctorCheck {
  const need = memoryNeedMiB(workers, true);
  const needNoArgo = memoryNeedMiB(workers, false);
  const figures = fill({ ko: '필요량(추정): Argo 포함 {need} MiB, Argo 없이 {noargo} MiB (컨트롤 플레인 1 + 워커 {w})', en: 'needed (estimate): {need} MiB with Argo, {noargo} MiB without (1 control plane + {w} workers)' }, { need, noargo: needNoArgo, w: workers });
  const fix: Fix = {
    linux: 'free -m   # close memory-hungry programs, or add RAM/swap',
    macos: 'Docker Desktop → Settings → Resources → Memory ≥ ' + Math.ceil(need / 1024) + ' GB',
    windows: 'Docker Desktop → Settings → Resources (or %UserProfile%\\.wslconfig: [wsl2] memory=' + Math.ceil(need / 1024 + 2) + 'GB)',
  };
  // Docker Desktop: the VM's total is the real ceiling. Native Linux: what the host has available.
  const limit = dockerTotalMiB !== null && availableMiB !== null ? Math.min(dockerTotalMiB, availableMiB) : (availableMiB ?? dockerTotalMiB);
  if (limit === null) return { id: 'memory', status: 'info', found: null, message: join2({ ko: '여유 메모리를 알 수 없습니다.', en: 'Cannot tell how much memory is free.' }, figures) };
  const found = `${limit} MiB`;
  if (limit < needNoArgo) return { id: 'memory', status: 'warn', found, message: join2(fill({ ko: '사용 가능한 메모리 {m} MiB — kind 클러스터에 부족합니다.', en: 'Available memory {m} MiB — not enough for the kind cluster.' }, { m: limit }), figures), fix };
  if (limit < need) return { id: 'memory', status: 'warn', found, message: join2(fill({ ko: '사용 가능한 메모리 {m} MiB — Argo 실습(i-l2, i-m2, i-h2)에는 부족할 수 있습니다.', en: 'Available memory {m} MiB — may be short for the Argo labs (i-l2, i-m2, i-h2).' }, { m: limit }), figures), fix };
  return { id: 'memory', status: 'ok', found, message: join2(fill({ ko: '사용 가능한 메모리 {m} MiB', en: 'Available memory {m} MiB' }, { m: limit }), figures) };
}

function join2(a: Text, b: Text): Text { return { ko: `${a.ko} ${b.ko}`, en: `${a.en} ${b.en}` }; }

export function readMemAvailableMiB(meminfo?: string): number | null {
  let text = meminfo;
  if (text === undefined) { try { text = readFileSync('/proc/meminfo', 'utf8'); } catch { return os.platform() === 'linux' ? null : Math.round(os.freemem() / 1048576); } }
  const m = /^MemAvailable:\s+(\d+)\s+kB/m.exec(text);
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

// ---- inotify (a classic kind failure: "too many open files") ----

export const inotifyWant = { watches: 524288, instances: 512 };

export function inotifyCheck(watches: number | null, instances: number | null): DoctorCheck {
  const fix: Fix = {
    linux: `sudo sysctl fs.inotify.max_user_watches=${inotifyWant.watches} fs.inotify.max_user_instances=${inotifyWant.instances} && printf 'fs.inotify.max_user_watches = ${inotifyWant.watches}\\nfs.inotify.max_user_instances = ${inotifyWant.instances}\\n' | sudo tee /etc/sysctl.d/99-kind.conf`,
    macos: '(Docker Desktop manages its VM; nothing to do)',
    windows: `(WSL) sudo sysctl fs.inotify.max_user_watches=${inotifyWant.watches} fs.inotify.max_user_instances=${inotifyWant.instances}`,
  };
  if (watches === null || instances === null) return { id: 'inotify', status: 'info', found: null, message: { ko: 'inotify 한도를 읽을 수 없습니다 (Linux가 아님).', en: 'Cannot read inotify limits (not Linux).' } };
  const found = `max_user_watches=${watches} max_user_instances=${instances}`;
  if (watches < inotifyWant.watches || instances < inotifyWant.instances) {
    return { id: 'inotify', status: 'warn', found, fix, message: fill({ ko: 'inotify 한도가 낮습니다 ({found}). 노드가 여러 개인 kind 클러스터에서 "too many open files" 로 파드가 실패합니다. 권장: {w} / {i}.', en: 'inotify limits are low ({found}). Multi-node kind clusters then fail pods with "too many open files". Recommended: {w} / {i}.' }, { found, w: inotifyWant.watches, i: inotifyWant.instances }) };
  }
  return { id: 'inotify', status: 'ok', found, message: same(found) };
}

function readNumber(file: string): number | null {
  try { const n = Number(readFileSync(file, 'utf8').trim()); return Number.isFinite(n) ? n : null; } catch { return null; }
}

// ---- tools ----

/** The argo CLI release klab's labs are written against (the same as the local provider's workflow-controller). */
export const ARGO_CLI_VERSION = 'v4.0.5';
const argoRelease = (os: string) => `https://github.com/argoproj/argo-workflows/releases/download/${ARGO_CLI_VERSION}/argo-${os}-amd64.gz`;

export const toolFix: Record<'docker' | 'dockerEngine' | 'kind' | 'kubectl' | 'helm' | 'argo' | 'rollouts', Fix> = {
  docker: {
    linux: 'curl -fsSL https://get.docker.com | sudo sh && sudo usermod -aG docker $USER   # then log out and in',
    macos: 'brew install --cask docker   # then open Docker Desktop',
    windows: 'winget install Docker.DockerDesktop   # Settings → Resources → WSL integration: enable your distro',
  },
  dockerEngine: {
    linux: 'sudo systemctl enable --now docker',
    macos: 'open -a Docker',
    windows: 'Start Docker Desktop (WSL integration enabled for your distro)',
  },
  kind: {
    linux: `go install sigs.k8s.io/kind@${kindVersion}   # or: curl -Lo ./kind https://kind.sigs.k8s.io/dl/${kindVersion}/kind-linux-amd64 && chmod +x kind && sudo mv kind /usr/local/bin/`,
    macos: `brew install kind   # or: go install sigs.k8s.io/kind@${kindVersion}`,
    windows: `(WSL) go install sigs.k8s.io/kind@${kindVersion}   # or the kind-linux-amd64 download as on Linux`,
  },
  kubectl: {
    linux: `curl -LO https://dl.k8s.io/release/${localKubernetesVersion}/bin/linux/amd64/kubectl && sudo install -m 0755 kubectl /usr/local/bin/kubectl`,
    macos: 'brew install kubectl',
    windows: `(WSL) curl -LO https://dl.k8s.io/release/${localKubernetesVersion}/bin/linux/amd64/kubectl && sudo install -m 0755 kubectl /usr/local/bin/kubectl`,
  },
  helm: {
    linux: 'sudo snap install helm --classic   # or the release tarball from https://helm.sh/docs/intro/install/',
    macos: 'brew install helm',
    windows: '(WSL) sudo snap install helm --classic   # or the release tarball from https://helm.sh/docs/intro/install/',
  },
  argo: {
    linux: `curl -sSL ${argoRelease('linux')} | gunzip > argo && sudo install -m 0755 argo /usr/local/bin/argo`,
    macos: `brew install argo   # or: curl -sSL ${argoRelease('darwin')} | gunzip > argo && sudo install -m 0755 argo /usr/local/bin/argo`,
    windows: `(WSL) curl -sSL ${argoRelease('linux')} | gunzip > argo && sudo install -m 0755 argo /usr/local/bin/argo`,
  },
  // The plugin of the release klab installs on kind (cluster/addons.ts rollouts), as upstream's installation guide does it.
  rollouts: {
    linux: `curl -sSLo kubectl-argo-rollouts ${rollouts.pluginUrl} && sudo install -m 0755 kubectl-argo-rollouts /usr/local/bin/`,
    macos: `brew install argoproj/tap/kubectl-argo-rollouts   # or the darwin asset of ${rollouts.download.version}`,
    windows: `(WSL) curl -sSLo kubectl-argo-rollouts ${rollouts.pluginUrl} && sudo install -m 0755 kubectl-argo-rollouts /usr/local/bin/`,
  },
};

/**
 * The `kubectl argo rollouts` plugin (lab d1's canary step; kubectl patches work too, so it is never `fail`).
 * `localBin`: the local provider built it (a lab with `addons: [rollouts]` ran there) — `eval "$(klab env)"` puts it on PATH.
 */
export function rolloutsPluginCheck(found: string | null, localBin: boolean): DoctorCheck {
  if (found) return { id: 'kubectl-argo-rollouts', status: 'ok', found, message: same(`kubectl-argo-rollouts ${found}`) };
  const why: Text = { ko: '실습 d1 의 canary 단계에서 씁니다 (kubectl argo rollouts; kubectl patch 로도 할 수 있습니다).', en: 'Lab d1\'s canary step uses it (kubectl argo rollouts; kubectl patches work too).' };
  const localNote: Text = { ko: 'local 제공자는 d1 을 시작할 때 플러그인을 직접 빌드합니다: eval "$(klab env)" 로 PATH 에 넣으세요.', en: 'The local provider builds the plugin when d1 starts: eval "$(klab env)" puts it on PATH.' };
  return { id: 'kubectl-argo-rollouts', status: 'warn', found: null, message: join2(missing('kubectl-argo-rollouts'), why), fix: toolFix.rollouts, ...(localBin ? { fixNote: localNote } : {}) };
}

/** `argo version --short` → `v4.0.5` (older CLIs print `argo: v3.5.2`). */
export function parseArgoVersion(out: string): string | null { return /v\d+\.\d+\.\d+/.exec(out)?.[0] ?? null; }

/**
 * The argo CLI (lab i-h2 submits and follows workflows with it; kubectl alone also works, so it is never `fail`).
 * `localBin`: the local provider's own build exists (cluster/local/tools.ts) — `eval "$(klab env)"` puts it on PATH.
 */
export function argoCheck(found: string | null, localBin: boolean): DoctorCheck {
  const why: Text = { ko: '실습 i-h2 에서 워크플로를 실행하고 따라가는 데 씁니다 (kubectl 로도 할 수 있습니다).', en: 'Lab i-h2 submits and follows workflows with it (kubectl works too).' };
  const localNote: Text = { ko: 'local 제공자는 argo 를 직접 빌드해 둡니다: eval "$(klab env)" 로 PATH 에 넣으세요.', en: 'The local provider builds argo itself: eval "$(klab env)" puts it on PATH.' };
  if (!found) {
    return { id: 'argo', status: 'warn', found: null, message: join2(missing('argo'), why), fix: toolFix.argo, ...(localBin ? { fixNote: localNote } : {}) };
  }
  const major = (v: string) => /^v(\d+)\./.exec(v)?.[1];
  if (major(found) !== major(ARGO_CLI_VERSION)) {
    return { id: 'argo', status: 'warn', found, fix: toolFix.argo, message: fill({ ko: 'argo {v} — 실습은 Argo Workflows {want} 기준입니다 (메이저 버전이 다르면 명령과 출력이 다를 수 있습니다).', en: 'argo {v} — the labs are written for Argo Workflows {want} (another major version may differ in commands and output).' }, { v: found, want: ARGO_CLI_VERSION }) };
  }
  return { id: 'argo', status: 'ok', found, message: same(`argo ${found}`) };
}

/** The helm-diff plugin release the i-h1 step text names (Helm 4 asks for --verify=false: the plugin is unsigned). */
export const HELM_DIFF_VERSION = 'v3.15.9';
const helmDiffInstall = (helm4: boolean) => `helm plugin install https://github.com/databus23/helm-diff --version ${HELM_DIFF_VERSION}${helm4 ? ' --verify=false' : ''}`;

/** `helm plugin list` → is `diff` among the installed plugins (first column)? */
export function hasHelmDiff(pluginList: string): boolean { return pluginList.split('\n').slice(1).some((l) => l.trim().split(/\s+/)[0] === 'diff'); }

/**
 * helm-diff (lab i-h1 step 7, the notes' `helm diff upgrade`). Never required: no check reads it, and
 * `helm template … | kubectl diff -f -` shows the same change everywhere. klab cannot install it for the trainee on
 * `local` (the plugin is not served by klab's Go module proxy), so doctor says how. `info` when absent.
 */
export function helmDiffCheck(helmVersion: string | null, pluginList: string | null): DoctorCheck {
  if (!helmVersion) return { id: 'helm-diff', status: 'info', found: null, message: { ko: 'helm 이 없어 helm-diff 플러그인을 확인하지 않았습니다.', en: 'No helm, so the helm-diff plugin was not looked for.' } };
  if (pluginList !== null && hasHelmDiff(pluginList)) return { id: 'helm-diff', status: 'ok', found: 'diff', message: same('helm diff') };
  const helm4 = /^v4\./.test(helmVersion);
  const cmd = helmDiffInstall(helm4);
  return {
    id: 'helm-diff', status: 'info', found: null,
    message: { ko: 'helm-diff 플러그인이 없습니다. 실습 i-h1 의 7단계는 `helm diff upgrade` 로 바뀔 내용을 미리 볼 수 있지만, 없어도 `helm template … | kubectl diff -f -` 로 같은 것을 봅니다 (klab 의 검사는 플러그인을 쓰지 않습니다).', en: 'The helm-diff plugin is not installed. Lab i-h1 step 7 can preview the change with `helm diff upgrade`; without it `helm template … | kubectl diff -f -` shows the same (klab\'s checks never use the plugin).' },
    fix: { linux: cmd, macos: cmd, windows: `(WSL) ${cmd}` },
  };
}

export function parseKindVersion(out: string): string | null { return /\bv?(\d+\.\d+\.\d+)/.exec(out)?.[1] ? 'v' + /\bv?(\d+\.\d+\.\d+)/.exec(out)![1] : null; }
export function parseHelmVersion(out: string): string | null { return /v\d+\.\d+\.\d+/.exec(out)?.[0] ?? null; }
export function parseKubectlVersion(out: string): string | null {
  try { return (JSON.parse(out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? null; } catch { return /v\d+\.\d+\.\d+/.exec(out)?.[0] ?? null; }
}

const missing = (tool: string): Text => fill({ ko: '{tool}{tool:이/가} 설치되어 있지 않습니다 (PATH에 없음).', en: '{tool} is not installed (not on PATH).' }, { tool });

/** Minor-version skew rule for kubectl (kubectl supports ±1 minor of the API server). */
export function kubectlSkew(version: string): number | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version); const k = /^(\d+)\.(\d+)/.exec(kubernetesMinor);
  if (!m || !k) return null;
  return Number(m[2]) - Number(k[2]) + (Number(m[1]) - Number(k[1])) * 100;
}

export interface CollectOptions {
  kubeconfig?: string;
  context?: string;
  /** --provider: makes the provider's tools required (kind → docker, kind; existing → a reachable context) */
  provider?: ProviderName;
  groups: NodeGroup[];
}

export function platformName(): string {
  const p = os.platform();
  if (p === 'linux') {
    try { if (/microsoft/i.test(readFileSync('/proc/version', 'utf8'))) return 'windows-wsl'; } catch { /* plain linux */ }
    return 'linux';
  }
  return p === 'darwin' ? 'macos' : p === 'win32' ? 'windows' : p;
}

export async function collect(o: CollectOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  checks.push(nodeCheck(process.versions.node));
  const kindRequired = o.provider === 'kind';
  const softFail: DoctorStatus = kindRequired ? 'fail' : 'warn';

  // docker: client, then the engine (`docker info` talks to the daemon; `docker version` alone may not)
  const [dv, di, kv, kc, hv, av, rv] = await Promise.all([
    run('docker', ['version', '--format', '{{.Client.Version}}'], { timeoutMs: 15_000 }),
    run('docker', ['info', '--format', '{{json .}}'], { timeoutMs: 20_000 }),
    run('kind', ['version'], { timeoutMs: 15_000 }),
    run('kubectl', ['version', '--client', '-o', 'json'], { timeoutMs: 15_000 }),
    run('helm', ['version', '--short'], { timeoutMs: 15_000 }),
    run('argo', ['version', '--short'], { timeoutMs: 15_000 }),
    run('kubectl-argo-rollouts', ['version', '--short'], { timeoutMs: 15_000 }),
  ]);
  let dockerMem: number | null = null;
  let engineOk = false;
  if (dv.notFound) {
    checks.push({ id: 'docker', status: softFail, found: null, message: missing('docker'), fix: toolFix.docker });
  } else {
    const client = dv.stdout.trim().split('\n')[0] || null;
    let info: any = null;
    try { info = JSON.parse(di.stdout); } catch { /* engine down */ }
    if (di.code === 0 && info?.ServerVersion) {
      engineOk = true;
      dockerMem = info.MemTotal ? Math.round(info.MemTotal / 1048576) : null;
      checks.push({ id: 'docker', status: 'ok', found: `client ${client}, engine ${info.ServerVersion}`, message: fill({ ko: 'Docker 엔진 {v} 실행 중 ({os}, CPU {cpu}, 메모리 {mem} MiB)', en: 'Docker engine {v} running ({os}, {cpu} CPUs, {mem} MiB)' }, { v: info.ServerVersion, os: info.OperatingSystem ?? '?', cpu: info.NCPU ?? '?', mem: dockerMem ?? '?' }) });
    } else {
      const err = (di.stderr.trim().split('\n').find((l) => /error|cannot|denied|daemon/i.test(l)) ?? di.stderr.trim().split('\n')[0] ?? '').slice(0, 300);
      checks.push({ id: 'docker', status: softFail, found: `client ${client}, engine not running`, message: fill({ ko: 'docker 클라이언트({c})는 있지만 Docker 엔진이 응답하지 않습니다: {err}', en: 'The docker client ({c}) is installed but the Docker engine does not answer: {err}' }, { c: client ?? '?', err: err || (di.timedOut ? 'timeout' : `exit ${di.code}`) }), fix: toolFix.dockerEngine });
    }
  }

  const kindV = kv.code === 0 ? parseKindVersion(kv.stdout) : null;
  if (!kindV) checks.push({ id: 'kind', status: softFail, found: null, message: missing('kind'), fix: toolFix.kind });
  else if (kindV !== kindVersion) checks.push({ id: 'kind', status: 'warn', found: kindV, message: fill({ ko: 'kind {v} — klab 은 {want} 기준으로 고정되어 있습니다 (노드 이미지는 kind 버전별로 만들어짐).', en: 'kind {v} — klab is pinned to {want} (node images are built per kind release).' }, { v: kindV, want: kindVersion }), fix: toolFix.kind });
  else checks.push({ id: 'kind', status: 'ok', found: kindV, message: same(`kind ${kindV}`) });

  const kubectlV = kc.code === 0 ? parseKubectlVersion(kc.stdout) : null;
  if (!kubectlV) checks.push({ id: 'kubectl', status: 'fail', found: null, message: missing('kubectl'), fix: toolFix.kubectl });
  else {
    const skew = kubectlSkew(kubectlV);
    if (skew !== null && Math.abs(skew) > 1) checks.push({ id: 'kubectl', status: 'warn', found: kubectlV, message: fill({ ko: 'kubectl {v} — 클러스터(Kubernetes {k})와 마이너 버전이 2 이상 차이 납니다.', en: 'kubectl {v} — more than one minor version away from the cluster (Kubernetes {k}).' }, { v: kubectlV, k: kubernetesMinor }), fix: toolFix.kubectl });
    else checks.push({ id: 'kubectl', status: 'ok', found: kubectlV, message: same(`kubectl ${kubectlV}`) });
  }

  const helmV = hv.code === 0 ? parseHelmVersion(hv.stdout) : null;
  if (!helmV) checks.push({ id: 'helm', status: 'warn', found: null, message: join2(missing('helm'), { ko: '실습 i-h1 (Helm 차트) 에 필요합니다. local 제공자는 helm 을 직접 받아 두므로 eval "$(klab env)" 로 PATH 에 넣으면 됩니다.', en: 'Lab i-h1 (a Helm chart) needs it. The local provider fetches helm itself: eval "$(klab env)" puts it on PATH.' }), fix: toolFix.helm });
  else checks.push({ id: 'helm', status: 'ok', found: helmV, message: same(`helm ${helmV}`) });
  const plugins = helmV ? await run('helm', ['plugin', 'list'], { timeoutMs: 15_000 }) : null;
  checks.push(helmDiffCheck(helmV, plugins && plugins.code === 0 ? plugins.stdout : null));

  const { currentBinDir } = await import('./local/tools.js');
  checks.push(argoCheck(av.code === 0 ? parseArgoVersion(av.stdout) : null, existsSync(`${currentBinDir()}/argo`)));
  checks.push(rolloutsPluginCheck(rv.code === 0 ? parseArgoVersion(rv.stdout) : null, existsSync(`${currentBinDir()}/kubectl-argo-rollouts`)));

  const workers = planNodes(o.groups).length;
  checks.push(memoryCheck(readMemAvailableMiB(), dockerMem, workers));
  checks.push(os.platform() === 'linux'
    ? inotifyCheck(readNumber('/proc/sys/fs/inotify/max_user_watches'), readNumber('/proc/sys/fs/inotify/max_user_instances'))
    : inotifyCheck(null, null));

  // cluster reachability and node groups (doctor works without a cluster: absent = info, not fail)
  const { loadContext, reach, detectNodeGroups } = await import('./existing.js');
  let reachable = false;
  const explicit = o.context !== undefined || o.kubeconfig !== undefined || o.provider === 'existing';
  try {
    const lc = await loadContext(o);
    const r = await reach(lc, 6000);
    if (r.ok) {
      reachable = true;
      checks.push({ id: 'cluster', status: 'ok', found: r.version ?? null, message: fill({ ko: "컨텍스트 '{c}' ({s}) 연결됨, Kubernetes {v}", en: "Context '{c}' ({s}) reachable, Kubernetes {v}" }, { c: lc.context, s: lc.server, v: r.version ?? '?' }) });
      try {
        const ng = await detectNodeGroups(lc);
        const summary = ng.groups.map((g) => `${g.name} ${g.found}/${g.expected}`).join(', ');
        if (ng.missing.length) checks.push({ id: 'nodegroups', status: 'warn', found: summary, message: fill({ ko: '없는 노드 그룹: {m} ({label} 라벨 기준). 이 그룹이 필요한 검사는 건너뜁니다.', en: 'Missing node groups: {m} (by the {label} label). Checks that need them will be skipped.' }, { m: ng.missing.join(', '), label: NODEGROUP_LABEL }), fixNote: { ko: 'kind: klab cluster up --provider kind 로 노드 그룹이 있는 클러스터를 만드세요. EKS: 관리형 노드 그룹은 라벨이 자동으로 붙습니다 (aws eks list-nodegroups --cluster-name <클러스터>).', en: 'kind: create a cluster with node groups via klab cluster up --provider kind. EKS: managed node groups carry the label automatically (aws eks list-nodegroups --cluster-name <cluster>).' } });
        else checks.push({ id: 'nodegroups', status: 'ok', found: summary, message: same(summary) });
      } catch (e) {
        checks.push({ id: 'nodegroups', status: 'warn', found: null, message: fill({ ko: '노드 목록을 읽을 수 없습니다: {e}', en: 'Cannot list nodes: {e}' }, { e: (e as Error).message }) });
      }
      (await import('./kube.js')).closeClients(lc.kc);
    } else {
      checks.push({ id: 'cluster', status: explicit ? 'fail' : 'warn', found: null, message: r.error ?? same('?'), fixNote: { ko: '로컬 클러스터를 켜세요: klab cluster up  (EKS라면: aws eks --region <리전> update-kubeconfig --name <클러스터> --profile <프로필>)', en: 'Start a local cluster: klab cluster up  (for EKS: aws eks --region <region> update-kubeconfig --name <cluster> --profile <profile>)' } });
    }
  } catch (e) {
    const text = (e as { text?: Text }).text ?? same(String(e));
    checks.push({ id: 'cluster', status: explicit ? 'fail' : 'info', found: null, message: explicit ? text : { ko: '설정된 클러스터가 없습니다 (괜찮습니다: klab cluster up 이 만듭니다).', en: 'No cluster configured yet (fine: klab cluster up creates one).' } });
  }

  // Can klab get a cluster at all? kind (Docker engine + kind + kubectl), local, or a reachable context.
  const kindReady = engineOk && kindV !== null && kubectlV !== null;
  let localOk = false;
  if (!kindReady && !reachable) {
    try {
      const { getProvider } = await import('./index.js');
      const p = await getProvider('local', {});
      localOk = (await Promise.race([p.available(), new Promise<{ ok: false }>((r) => setTimeout(() => r({ ok: false }), 10_000).unref())])).ok;
    } catch { localOk = false; }
  }
  const ways = [kindReady && 'kind', localOk && 'local', reachable && 'existing'].filter(Boolean) as string[];
  checks.push(ways.length
    ? { id: 'provider', status: 'ok', found: ways.join(', '), message: fill({ ko: '쓸 수 있는 클러스터 제공자: {w}', en: 'Cluster providers usable here: {w}' }, { w: ways.join(', ') }) }
    : { id: 'provider', status: 'fail', found: null, message: { ko: '클러스터를 얻을 방법이 없습니다: Docker 엔진 + kind 도, local 제공자도, 연결되는 kubeconfig 컨텍스트도 없습니다. 위의 docker/kind 항목을 고치세요.', en: 'No way to get a cluster: no Docker engine + kind, no local provider, no reachable kubeconfig context. Fix the docker/kind items above.' } });

  return { ok: !checks.some((c) => c.status === 'fail'), platform: platformName(), checks };
}

export { pins };
