// The binaries of the `local` provider: which Go module builds each one, at which version, and where the built
// binary is cached (outside the repo, keyed by version, so the second build is instant).
// Each tool module lives in its own folder beside this file (k8s/, etcd/, kwok/, helm/, argo/) with a committed
// go.mod + go.sum that pin every dependency by checksum.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, statSync, lstatSync, readlinkSync, writeFileSync, cpSync, copyFileSync, chmodSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Progress } from '../provider.js';
import { KlabError, ExitCode, fill, type Text } from '../../i18n/index.js';
import { cacheDir, packagePath } from '../paths.js';
import { run, which } from '../../host/procs.js';


export const K8S_VERSION = 'v1.35.4';
export const ETCD_VERSION = 'v3.6.16';
export const KWOK_VERSION = 'v0.8.0';
export const HELM_VERSION = 'v3.22.0';
export const ARGO_VERSION = 'v4.0.5';
export const TRAEFIK_VERSION = 'v3.7.13';
/** Argo Rollouts (lab d1's canary). v1.10.2 needs Go ≥ 1.26.10; v1.10.1 builds with the Go 1.26 klab asks for (decision 0035). */
export const ROLLOUTS_VERSION = 'v1.10.1';
/** MetalLB (lab s1's LoadBalancer step, decision 0033). v0.16.2 needs frr-k8s v0.0.27, which the module proxy does not serve. */
export const METALLB_VERSION = 'v0.15.2';

export type ToolName =
  | 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubelet' | 'kube-proxy' | 'kubectl'
  | 'kwok' | 'helm' | 'workflow-controller' | 'argoexec' | 'argo' | 'traefik' | 'rollouts-controller' | 'kubectl-argo-rollouts' | 'metallb-controller';

export interface Tool {
  name: ToolName;
  version: string;
  /** folder under cluster/local/ holding the tools module */
  module: string;
  /** Go package of the main program */
  pkg: string;
  ldflags: string[];
  /**
   * Files missing from a published dependency, added to a private copy of it (outside the repo, under the cache):
   * the build then uses that copy through an alternate go.mod (`go build -modfile`, `replace mod => copy`).
   * `file` gets the content of `from` (both inside `mod@version`), or `content` when there is no `from`; an existing
   * file is kept unless `replace` is set (then it gets `content`). Tools that patch the same `mod@version` share one
   * copy, so their patches must agree (see `argoPatch`). Several patches: one copy and one `replace` line each.
   */
  patch?: Patch | Patch[];
  /**
   * Modules a published dependency needs but nobody publishes (it reaches them through a `replace` to a folder of its
   * own repository, which a dependency's go.mod cannot do for us): klab writes each one under the cache from `files`
   * and the build replaces `mod` with that folder (the tool's go.mod requires it at the zero version, as `go mod tidy`
   * writes it). Only for empty extension points (see `traefikExt`).
   */
  stubs?: { mod: string; files: { file: string; content: string }[]; why: string }[];
  /** Set `-X flag=<commit of mod@version>` (Argo prints its version from it). */
  commit?: { mod: string; version: string; flag: string; pinned: string };
}

export interface Patch { mod: string; version: string; add: ({ file: string; from: string } | { file: string; content: string; replace?: boolean })[]; why: string }

const k8sLd = (v: string) => {
  const [maj, min] = v.replace(/^v/, '').split('.');
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((p) => [
    `-X ${p}.gitVersion=${v}`, `-X ${p}.gitMajor=${maj}`, `-X ${p}.gitMinor=${min}`, `-X ${p}.gitTreeState=clean`,
  ]);
};
const k8s = (name: ToolName): Tool => ({ name, version: K8S_VERSION, module: 'k8s', pkg: `k8s.io/kubernetes/cmd/${name}`, ldflags: k8sLd(K8S_VERSION) });
const argoLd = [`-X github.com/argoproj/argo-workflows/v4.version=${ARGO_VERSION}`, '-X github.com/argoproj/argo-workflows/v4.gitTreeState=clean',
  `-X github.com/argoproj/argo-workflows/v4.gitTag=${ARGO_VERSION}`];
/**
 * The commit of tag v4.0.5, as proxy.golang.org records it (`Origin.Hash` of the version's .info). Pinned with the
 * version because the proxy does not always serve that record, and Argo prints `v4.0.5+unknown` without a commit.
 */
export const ARGO_COMMIT = '0ab1452144d8f4d57c50b37ce50dad218868e950';
const argoCommit = { mod: 'github.com/argoproj/argo-workflows/v4', version: ARGO_VERSION, flag: 'github.com/argoproj/argo-workflows/v4.gitCommit', pinned: ARGO_COMMIT };

/**
 * The files the published v4.0.5 module lacks, added to klab's private copy of it (shared by argoexec and argo):
 *  - signal_linux.go: without it argoexec does not compile for Linux (undefined Setpgid); upstream the Linux and macOS
 *    files are the same POSIX code;
 *  - ui/dist/app/index.html: `argo` embeds the web UI of `argo server` (`//go:embed dist/app`), which the module does
 *    not ship (it is built by yarn). Upstream's own build without the UI (`make STATIC_FILES=false`) creates this
 *    empty file; `argo server` then serves an empty page, every other command is unaffected. See decision 0023.
 */
const argoPatch: Patch = {
  mod: 'github.com/argoproj/argo-workflows/v4', version: ARGO_VERSION,
  add: [
    { file: 'workflow/executor/osspecific/signal_linux.go', from: 'workflow/executor/osspecific/signal_darwin.go' },
    { file: 'ui/dist/app/index.html', content: '' },
  ],
  why: 'the published v4.0.5 module lacks workflow/executor/osspecific/signal_linux.go (argoexec) and ui/dist/app (the embedded UI of argo server); see cluster/local/tools.ts argoPatch',
};

/**
 * Traefik (the Ingress controller of the `local` provider, decision 0030). The published v3.7.13 module builds only
 * with two changes, both in klab's private copies (never in the module cache):
 *  - lego's registry of ACME DNS-01 providers (`providers/dns/zz_gen_dns_providers.go`) imports ~180 DNS SDKs, a dozen
 *    of which the module proxy does not serve; klab's copy of that one file names no provider (a DNS challenge is
 *    refused with a message). Nothing else in Traefik changes: HTTP, TLS, the Kubernetes Ingress and Gateway providers.
 *  - Traefik's go.mod replaces `github.com/traefik/traefik/dynamic/ext` with a folder of its own repository that the
 *    published module does not contain (it is a module of its own); in the open-source build it holds two empty
 *    extension structs, which klab writes.
 * Traefik's fork of github.com/abbot/go-http-auth is not served either: upstream v0.4.0 with two functions added
 * (`httpAuthPatch`).
 */
const traefikPatch: Patch = {
  mod: 'github.com/go-acme/lego/v5', version: 'v5.4.1',
  add: [{
    file: 'providers/dns/zz_gen_dns_providers.go', replace: true,
    content: [
      '// klab: replaces lego\'s generated registry of DNS-01 providers (see klab cluster/local/tools.ts traefikPatch).',
      'package dns', '', 'import (', '\t"fmt"', '', '\t"github.com/go-acme/lego/v5/challenge"', ')', '',
      '// NewDNSChallengeProviderByName: klab\'s Traefik build has no ACME DNS-01 providers.',
      'func NewDNSChallengeProviderByName(name string) (challenge.Provider, error) {',
      '\treturn nil, fmt.Errorf("DNS provider %q is not available in klab\'s Traefik build (no ACME DNS challenges)", name)', '}', '',
    ].join('\n'),
  }],
  why: 'lego\'s DNS-01 provider registry imports DNS SDKs the module proxy does not serve; see cluster/local/tools.ts traefikPatch',
};
/**
 * Traefik's go.mod replaces github.com/abbot/go-http-auth with a fork the module proxy does not serve; upstream v0.4.0
 * lacks two functions of it that Traefik's auth middlewares call. klab's copy of v0.4.0 gets them, written by klab on
 * the library's public API only (nothing of the fork or of the library is copied): `CheckSecret` asks
 * `BasicAuth.CheckAuth` about a request carrying the password, `RequireAuthStale` is `RequireAuth` whose challenge
 * header gets `stale=true` (RFC 7616: retry with the new nonce) through a ResponseWriter wrapper.
 */
const httpAuthPatch: Patch = {
  mod: 'github.com/abbot/go-http-auth', version: 'v0.4.0',
  add: [{
    // v0.4.0 predates modules: a directory replacement needs a go.mod (its two imports are in Traefik's build list).
    file: 'go.mod', content: 'module github.com/abbot/go-http-auth\n\ngo 1.13\n',
  }, {
    file: 'klab_compat.go',
    content: [
      '// klab: two functions Traefik calls, which its fork of this library has (see klab cluster/local/tools.ts httpAuthPatch).',
      'package auth', '', 'import "net/http"', '',
      '// CheckSecret reports whether password matches secret ({SHA}, bcrypt or MD5-crypt), by asking BasicAuth.CheckAuth.',
      'func CheckSecret(password, secret string) bool {',
      '\ta := &BasicAuth{Secrets: func(string, string) string { return secret }}',
      '\tr := &http.Request{Header: http.Header{}}',
      '\tr.SetBasicAuth("klab", password)',
      '\treturn a.CheckAuth(r) != ""',
      '}', '',
      '// staleChallenge adds stale=true to the challenge header before it is sent.',
      'type staleChallenge struct {',
      '\thttp.ResponseWriter',
      '\theader string',
      '}', '',
      'func (s staleChallenge) WriteHeader(code int) {',
      '\tif v := s.Header().Get(s.header); v != "" {',
      '\t\ts.Header().Set(s.header, v+", stale=true")',
      '\t}',
      '\ts.ResponseWriter.WriteHeader(code)',
      '}', '',
      '// RequireAuthStale is RequireAuth with stale=true: the client may retry with the new nonce without asking the user.',
      'func (a *DigestAuth) RequireAuthStale(w http.ResponseWriter, r *http.Request) {',
      '\ta.RequireAuth(staleChallenge{ResponseWriter: w, header: a.Headers.V().Authenticate}, r)',
      '}', '',
    ].join('\n'),
  }],
  why: 'Traefik\'s go-http-auth fork is not served; upstream v0.4.0 plus the two functions Traefik calls, on its public API; see cluster/local/tools.ts httpAuthPatch',
};
const traefikExt: NonNullable<Tool['stubs']>[number] = {
  mod: 'github.com/traefik/traefik/dynamic/ext',
  files: [
    { file: 'go.mod', content: 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24\n' },
    { file: 'ext.go', content: '// klab: Traefik\'s dynamic-configuration extension points, empty as in the open-source build.\npackage ext\n\n// HTTP extends dynamic.HTTP.\ntype HTTP struct{}\n\n// Router extends dynamic.Router.\ntype Router struct{}\n' },
  ],
  why: 'Traefik replaces this module with a folder of its repository that its published module lacks; see cluster/local/tools.ts',
};

const rolloutsLd = [`-X github.com/argoproj/argo-rollouts/utils/version.version=${ROLLOUTS_VERSION.slice(1)}`,
  '-X github.com/argoproj/argo-rollouts/utils/version.gitTreeState=clean', `-X github.com/argoproj/argo-rollouts/utils/version.gitTag=${ROLLOUTS_VERSION}`];
/**
 * The published module lacks server/static (the plugin's `dashboard` embeds the UI that yarn builds): an empty
 * index.html lets it compile; `kubectl argo rollouts dashboard` then serves an empty page, every other command works.
 */
const rolloutsPatch: Patch = {
  mod: 'github.com/argoproj/argo-rollouts', version: ROLLOUTS_VERSION,
  add: [{ file: 'server/static/index.html', content: '' }],
  why: 'the published argo-rollouts module lacks server/static (the embedded UI of the dashboard); see cluster/local/tools.ts rolloutsPatch',
};
/** Built only for labs that need them (lab.yaml `needs: [rollouts]`), so other labs' first start stays as fast. */
export const rolloutsTools: Tool[] = [
  { name: 'rollouts-controller', version: ROLLOUTS_VERSION, module: 'rollouts', pkg: 'github.com/argoproj/argo-rollouts/cmd/rollouts-controller', ldflags: rolloutsLd },
  // The trainee's `kubectl argo rollouts` plugin (klab env puts it on PATH).
  { name: 'kubectl-argo-rollouts', version: ROLLOUTS_VERSION, module: 'rollouts', pkg: 'github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts', ldflags: rolloutsLd, patch: rolloutsPatch },
];

/** In build order: what the control plane needs first. */
export const tools: Tool[] = [
  { name: 'etcd', version: ETCD_VERSION, module: 'etcd', pkg: 'go.etcd.io/etcd/server/v3', ldflags: [] },
  k8s('kube-apiserver'),
  k8s('kube-controller-manager'),
  k8s('kube-scheduler'),
  k8s('kubectl'),
  { name: 'kwok', version: KWOK_VERSION, module: 'kwok', pkg: 'sigs.k8s.io/kwok/cmd/kwok', ldflags: [`-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION.slice(1)}`] },
  { name: 'helm', version: HELM_VERSION, module: 'helm', pkg: 'helm.sh/helm/v3/cmd/helm', ldflags: [`-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`, '-X helm.sh/helm/v3/internal/version.gitTreeState=clean'] },
  { name: 'workflow-controller', version: ARGO_VERSION, module: 'argo', pkg: 'github.com/argoproj/argo-workflows/v4/cmd/workflow-controller', ldflags: argoLd, commit: argoCommit },
  { name: 'argoexec', version: ARGO_VERSION, module: 'argo', pkg: 'github.com/argoproj/argo-workflows/v4/cmd/argoexec', ldflags: argoLd, commit: argoCommit, patch: argoPatch },
  // The trainee's `argo` CLI (klab env puts it on PATH). Same module, version and patched copy as argoexec.
  { name: 'argo', version: ARGO_VERSION, module: 'argo', pkg: 'github.com/argoproj/argo-workflows/v4/cmd/argo', ldflags: argoLd, commit: argoCommit, patch: argoPatch },
  k8s('kubelet'),
  k8s('kube-proxy'),
  // The Ingress controller (decision 0030): a host process of the local provider when its real node runs.
  { name: 'traefik', version: TRAEFIK_VERSION, module: 'traefik', pkg: 'github.com/traefik/traefik/v3/cmd/traefik', ldflags: [`-X github.com/traefik/traefik/v3/pkg/version.Version=${TRAEFIK_VERSION}`], patch: [traefikPatch, httpAuthPatch], stubs: [traefikExt] },
  // The LoadBalancer implementation (decision 0033): MetalLB's controller, a host process started for labs that ask.
  { name: 'metallb-controller', version: METALLB_VERSION, module: 'metallb', pkg: 'go.universe.tf/metallb/controller', ldflags: [] },
];

export function tool(name: ToolName): Tool {
  const t = [...tools, ...rolloutsTools].find((x) => x.name === name);
  if (!t) throw new Error(`unknown tool ${name}`);
  return t;
}

export const moduleDir = (t: Pick<Tool, 'module'>) => packagePath('cluster', 'local', t.module);
export { cacheDir };
export const binCacheDir = (env: NodeJS.ProcessEnv = process.env) => join(cacheDir(env), 'bin');
/** A folder with unversioned names (kubectl, helm, ...) pointing at the cached binaries: put it on PATH. */
export const currentBinDir = (env: NodeJS.ProcessEnv = process.env) => join(binCacheDir(env), 'current');
export const binPath = (t: Tool, env: NodeJS.ProcessEnv = process.env) => join(binCacheDir(env), `${t.name}-${t.version}`);
export const toolPath = (name: ToolName) => binPath(tool(name));
/** A tool on PATH first (what the user installed), else the one klab built for the local provider, else undefined. */
export function findTool(name: ToolName): string | undefined {
  return which(name) ?? (isBuilt(tool(name)) ? toolPath(name) : undefined);
}

export function isBuilt(t: Tool): boolean {
  try { const s = statSync(binPath(t)); return s.isFile() && s.size > 0 && (s.mode & 0o100) !== 0; } catch { return false; }
}
export const missingTools = (list: Tool[] = tools) => list.filter((t) => !isBuilt(t));

const goMissing: Text = {
  ko: 'Go를 찾을 수 없습니다. local 클러스터는 Kubernetes·etcd·kwok·Helm·Argo 바이너리를 Go 모듈에서 직접 빌드합니다.\n'
    + 'Go 1.25 이상을 설치하세요: https://go.dev/dl/ 에서 받아 /usr/local/go 에 풀고 PATH에 /usr/local/go/bin 을 추가합니다.\n'
    + '(Go 1.21 이상이면 필요한 버전은 Go가 모듈 프록시에서 자동으로 받습니다.)',
  en: 'Go was not found. The local cluster builds its Kubernetes, etcd, kwok, Helm and Argo binaries from Go modules.\n'
    + 'Install Go 1.25 or newer: download it from https://go.dev/dl/, unpack it into /usr/local/go and add /usr/local/go/bin to PATH.\n'
    + '(With Go 1.21 or newer, Go fetches the exact toolchain it needs from the module proxy by itself.)',
};
const goTooOld: Text = {
  ko: 'Go {version} 은(는) 너무 오래되었습니다. Go 1.21 이상이 필요합니다 (https://go.dev/dl/).',
  en: 'Go {version} is too old: Go 1.21 or newer is needed (https://go.dev/dl/).',
};

/** The go command to use, or a KlabError (exit 3) that names what to install. */
export async function findGo(env: NodeJS.ProcessEnv = process.env,
  candidates = [env.KLAB_GO, 'go', '/usr/local/go/bin/go', join(homedir(), 'go', 'bin', 'go'), join(homedir(), 'sdk', 'go', 'bin', 'go')].filter(Boolean) as string[]): Promise<string> {
  for (const c of candidates) {
    const r = await run(c, ['version'], { env: { ...env, GOTOOLCHAIN: 'local' } });
    const m = r.code === 0 ? /go(\d+)\.(\d+)/.exec(r.stdout) : null;
    if (m && (Number(m[1]) > 1 || Number(m[2]) >= 21)) return c;
    if (m) throw new KlabError(fill(goTooOld, { version: `${m[1]}.${m[2]}` }), ExitCode.unreachable);
  }
  throw new KlabError(goMissing, ExitCode.unreachable);
}

/** Where the Go module cache holds `mod@version` (downloads it if needed). Used for Argo's manifests and kwok's stages. */
export async function goModuleDir(mod: string, version: string, fromModule: string): Promise<string> {
  const go = await findGo();
  const r = await run(go, ['mod', 'download', '-json', `${mod}@${version}`], { cwd: packagePath('cluster', 'local', fromModule) });
  let dir: string | undefined;
  try { dir = (JSON.parse(r.stdout) as { Dir?: string }).Dir; } catch { /* reported below */ }
  if (r.code !== 0 || dir === undefined) {
    throw new KlabError(fill({ ko: 'Go 모듈 {mod}@{version} 을(를) 받을 수 없습니다: {err}', en: 'Cannot download Go module {mod}@{version}: {err}' },
      { mod, version, err: (r.stderr.trim() || `exit ${r.code}`).split('\n')[0] }), ExitCode.unreachable);
  }
  if (existsSync(dir)) return dir;
  throw new KlabError(fill({ ko: 'Go 모듈 {mod}@{version} 의 위치를 알 수 없습니다.', en: 'Cannot locate Go module {mod}@{version}.' }, { mod, version }), ExitCode.unreachable);
}

/** The git commit the module proxy recorded for mod@version (its Origin.Hash), if it recorded one. */
async function moduleOriginHash(mod: string, version: string, fromModule: string): Promise<string | undefined> {
  try {
    const go = await findGo();
    const r = await run(go, ['mod', 'download', '-json', `${mod}@${version}`], { cwd: packagePath('cluster', 'local', fromModule) });
    const h = (JSON.parse(r.stdout) as { Origin?: { Hash?: string } }).Origin?.Hash;
    return h && /^[0-9a-f]{40}$/.test(h) ? h : undefined;
  } catch { return undefined; }
}

/**
 * Argo Workflows' upstream install manifests inside the Go module cache (same version as the built controller).
 * The module holds the kustomize sources of the release assets, not the rendered files: `cluster-install` is the
 * source of the release's install.yaml, `namespace-install` of namespace-install.yaml. Apply with
 * `kubectl apply --server-side -k <dir>` (or render with `kubectl kustomize <dir>`).
 */
export async function argoInstallManifest(kind: 'cluster-install' | 'namespace-install' = 'cluster-install'): Promise<string> {
  const dir = join(await goModuleDir('github.com/argoproj/argo-workflows/v4', ARGO_VERSION, 'argo'), 'manifests', kind);
  if (!existsSync(join(dir, 'kustomization.yaml'))) {
    throw new KlabError(fill({ ko: 'Argo 모듈에 {dir}/kustomization.yaml 이 없습니다.', en: 'The Argo module has no {dir}/kustomization.yaml.' }, { dir }), ExitCode.unreachable);
  }
  return dir;
}

function fmtSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export interface BuildResult { name: ToolName; version: string; seconds: number; cached: boolean }

/** Make (once) the patched copy of a dependency; returns its folder. */
async function patchedCopy(t: Tool, p: Patch): Promise<string> {
  const src = join(cacheDir(), 'src');
  const copy = join(src, `${p.mod.replace(/[^A-Za-z0-9._-]+/g, '_')}@${p.version}-klab`);
  if (!existsSync(copy)) {
    const orig = await goModuleDir(p.mod, p.version, t.module);
    const tmp = `${copy}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    cpSync(orig, tmp, { recursive: true });
    chmodTree(tmp);
    addPatchFiles(tmp, p);
    renameSync(tmp, copy);
  }
  // A copy made before a file joined the patch (e.g. by an older klab) gets it now.
  addPatchFiles(copy, p);
  return copy;
}

/** Write (idempotently) a stub module under the cache; returns its folder. */
function stubModule(s: NonNullable<Tool['stubs']>[number]): string {
  const dir = join(cacheDir(), 'src', `${s.mod.replace(/[^A-Za-z0-9._-]+/g, '_')}-klab`);
  for (const f of s.files) {
    const dst = join(dir, f.file);
    mkdirSync(dirname(dst), { recursive: true });
    if (!existsSync(dst) || readFileSync(dst, 'utf8') !== f.content) writeFileSync(dst, f.content);
  }
  return dir;
}

/** An alternate go.mod (and go.sum) for `go build -modfile`: the tool's own plus one `replace` per patch and stub. */
async function patchedModFile(t: Tool): Promise<string> {
  const src = join(cacheDir(), 'src');
  mkdirSync(src, { recursive: true });
  const lines: string[] = [];
  for (const p of [t.patch ?? []].flat()) lines.push(`// klab: ${p.why}`, `replace ${p.mod} => ${await patchedCopy(t, p)}`);
  for (const s of t.stubs ?? []) lines.push(`// klab: ${s.why}`, `replace ${s.mod} => ${stubModule(s)}`);
  const modFile = join(src, `${t.module}-${t.name}.mod`);
  const base = readFileSync(join(moduleDir(t), 'go.mod'), 'utf8');
  writeFileSync(modFile, `${base}\n${lines.join('\n')}\n`);
  copyFileSync(join(moduleDir(t), 'go.sum'), modFile.replace(/\.mod$/, '.sum'));
  return modFile;
}

function addPatchFiles(dir: string, p: Patch): void {
  for (const a of p.add) {
    const dst = join(dir, a.file);
    if ('from' in a) {
      if (existsSync(dst)) continue;
      mkdirSync(dirname(dst), { recursive: true });
      copyFileSync(join(dir, a.from), dst);
    } else if (!existsSync(dst) || (a.replace && readFileSync(dst, 'utf8') !== a.content)) {
      mkdirSync(dirname(dst), { recursive: true });
      if (existsSync(dst)) chmodSync(dst, 0o644);
      writeFileSync(dst, a.content);
    }
  }
}

/** Module cache files are read-only; the private copy must be writable (and removable). */
function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) chmodTree(p);
    else chmodSync(p, 0o644);
  }
}

/** Build one tool into the cache (atomically: a half-written binary never carries the final name). */
async function buildTool(go: string, t: Tool, logFile: string): Promise<void> {
  const dest = binPath(t);
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}`;
  const ld = [...t.ldflags];
  if (t.commit) {
    // The proxy's origin record, when present, must agree with the pinned commit.
    const hash = await moduleOriginHash(t.commit.mod, t.commit.version, t.module);
    if (hash && hash !== t.commit.pinned) {
      throw new KlabError(fill({ ko: '{mod}@{v} 의 커밋이 고정값과 다릅니다 ({a} ≠ {b}).', en: '{mod}@{v} has commit {a}, not the pinned {b}.' },
        { mod: t.commit.mod, v: t.commit.version, a: hash, b: t.commit.pinned }), ExitCode.unreachable);
    }
    ld.push(`-X ${t.commit.flag}=${t.commit.pinned}`);
  }
  const args = ['build', '-trimpath', '-ldflags', ['-s', '-w', ...ld].join(' '), '-o', tmp];
  if (t.patch || t.stubs) args.push(`-modfile=${await patchedModFile(t)}`);
  args.push(t.pkg);
  const { code } = await run(go, args, { cwd: moduleDir(t), env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' }, logFile });
  if (code !== 0) {
    rmSync(tmp, { force: true });
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    throw new KlabError(fill({ ko: '{name} 빌드에 실패했습니다 (go build 종료 코드 {code}). 로그: {log}', en: 'Building {name} failed (go build exit code {code}). Log: {log}' },
      { name: t.name, code, log: logFile }), ExitCode.unreachable, tail);
  }
  renameSync(tmp, dest);
}

/** Point <cache>/bin/current/<name> at the versioned binaries. */
export function linkCurrent(list: Tool[] = tools): string {
  const cur = currentBinDir();
  mkdirSync(cur, { recursive: true });
  for (const t of list) {
    if (!isBuilt(t)) continue;
    const link = join(cur, t.name);
    const target = binPath(t);
    try {
      if (lstatSync(link).isSymbolicLink() && resolve(cur, readlinkSync(link)) === target) continue;
      rmSync(link, { force: true });
    } catch { /* absent */ }
    symlinkSync(target, link);
  }
  return cur;
}

export interface BuildRecord extends BuildResult { at: string; go: string }
const buildTimesFile = () => join(cacheDir(), 'build-times.json');
/** Build durations, kept beside the cache so `npm run bench:cluster` can print the cold build time later. */
export function readBuildTimes(): BuildRecord[] {
  try { return JSON.parse(readFileSync(buildTimesFile(), 'utf8')) as BuildRecord[]; } catch { return []; }
}
function recordBuildTimes(rs: BuildResult[]): void {
  const at = new Date().toISOString();
  const all = [...readBuildTimes(), ...rs.map((r) => ({ ...r, at, go: process.env.GOCACHE ?? '' }))].slice(-200);
  try { writeFileSync(buildTimesFile(), JSON.stringify(all, null, 1)); } catch { /* cache not writable: figures only */ }
}

/**
 * Build every missing binary, one at a time (2 cores: parallel Go builds only thrash), with progress per binary and
 * the total time. Already cached binaries are skipped, so a warm run returns at once.
 */
export async function buildTools(progress: Progress, list: Tool[] = tools): Promise<BuildResult[]> {
  const missing = missingTools(list);
  const results: BuildResult[] = list.filter((t) => !missing.includes(t)).map((t) => ({ name: t.name, version: t.version, seconds: 0, cached: true }));
  if (missing.length === 0) {
    linkCurrent(list);
    return results;
  }
  const go = await findGo();
  const cold = missing.some((t) => t.module === 'k8s');
  progress.info(fill({
    ko: '{n}개 바이너리를 Go 모듈에서 빌드합니다: {names}\n{warn}빌드한 바이너리는 {dir} 에 버전별로 저장되어 다음부터는 바로 씁니다.',
    en: 'Building {n} binaries from Go modules: {names}\n{warnEn}Built binaries are cached by version in {dir}, so the next run starts at once.',
  }, {
    n: missing.length, names: missing.map((t) => t.name).join(', '), dir: binCacheDir(),
    warn: cold ? '처음 빌드는 CPU 2개 기준 수십 분 걸립니다 (Kubernetes가 큽니다). ' : '',
    warnEn: cold ? 'A cold build takes tens of minutes on 2 cores (Kubernetes is big). ' : '',
  }));
  const logFile = join(cacheDir(), 'build.log');
  mkdirSync(cacheDir(), { recursive: true });
  const t0 = Date.now();
  for (const [i, t] of missing.entries()) {
    const s = Date.now();
    progress.phase(fill({ ko: '[{i}/{n}] {name} {version} 빌드', en: '[{i}/{n}] building {name} {version}' }, { i: i + 1, n: missing.length, name: t.name, version: t.version }));
    await buildTool(go, t, logFile);
    const ms = Date.now() - s;
    results.push({ name: t.name, version: t.version, seconds: Math.round(ms / 100) / 10, cached: false });
    progress.done(fill({ ko: '{t}', en: '{t}' }, { t: fmtSeconds(ms) }));
  }
  linkCurrent(list);
  recordBuildTimes(results.filter((r) => !r.cached));
  progress.info(fill({ ko: '빌드 완료: 총 {t}', en: 'Build finished: {t} in total' }, { t: fmtSeconds(Date.now() - t0) }));
  return results;
}
