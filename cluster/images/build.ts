// Builds the images the real node of the `local` cluster needs, offline, and pushes them to the local registry
// (127.0.0.1:5000, the stand-in for ECR) under the upstream names labs and upstream manifests use. containerd's
// registry mirrors (cluster/local/node/containerd.toml) send docker.io, quay.io, registry.k8s.io and localhost:5001
// to that registry, so `busybox`, `python:3.11-slim`, `quay.io/argoproj/argoexec:v4.0.5` … are found there.
//
// Each image's inputs (its folder, the generated files, the versions of the Debian packages or Go module it is made
// from) are hashed; an image whose hash did not change and whose tags are all in the registry is not rebuilt.
// Run standalone: node dist/cluster/images/build.js [--docker-host unix:///…] (needs dockerd + the registry running).
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Text } from '../../i18n/index.js';
import { KlabError, ExitCode, fill, josa } from '../../i18n/index.js';
import type { Progress } from '../provider.js';
import { run, type RunResult } from '../../host/procs.js';
import { ARGO_VERSION, tool, binPath, buildTools, type ToolName } from '../local/tools.js';
import { cacheDir, packagePath } from '../paths.js';

export const imagesDir = packagePath('cluster', 'images');

export const REGISTRY = '127.0.0.1:5000';
export const ARGOEXEC_IMAGE = `quay.io/argoproj/argoexec:${ARGO_VERSION}`;
export const WORKFLOW_CONTROLLER_IMAGE = `quay.io/argoproj/workflow-controller:${ARGO_VERSION}`;
/** `argo` (CLI and `argo server`): what the argo-server Deployment of Argo's release manifests runs. */
export const ARGOCLI_IMAGE = `quay.io/argoproj/argocli:${ARGO_VERSION}`;
/** The sandbox image containerd uses (pushed under both names; the first is what containerd asks for). */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
export const DJANGO_SAMPLE_IMAGE = 'localhost:5001/klab/django-sample:1.0';
/** Lab d1's app: one tag per version; `GET /` answers `<version>` (cluster/images/version-app). */
export const VERSION_APP_IMAGE = 'localhost:5001/klab/version-app';
export const VERSION_APP_VERSIONS = ['v1', 'v2', 'v3'] as const;
/** Version of this build recipe: bump it to force every image to rebuild. */
const RECIPE = '1';

export interface DockerEnv { bin: string; env: NodeJS.ProcessEnv }

export interface BuildOptions {
  docker: DockerEnv;
  progress: Progress;
  /** Where build logs go (the provider's state dir). */
  logFile: string;
  /** Rebuild even when the hash matches. */
  force?: boolean;
}

export interface BuiltImage { name: string; refs: string[]; hash: string; skipped: boolean; seconds: number }

interface Prepared { files: Record<string, string>; dirs?: Record<string, string>; inputs: string[]; buildArgs?: Record<string, string>; refs?: string[] }
interface ImageSpec {
  name: string;
  dir: string;
  /** Upstream references (as a pod spec writes them). Pushed to the registry under the same path. */
  refs: string[];
  network?: 'host';
  prepare?: (o: BuildOptions, work: string) => Promise<Prepared>;
}

/** `docker.io/library/busybox:1.35` → `library/busybox:1.35`; `quay.io/a/b:v` → `a/b:v`; `busybox` → `library/busybox:latest`. */
export function registryPath(ref: string): string {
  let r = ref;
  const first = r.split('/')[0]!;
  const hasHost = r.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost) r = r.slice(first.length + 1);
  else if (!r.includes('/')) r = `library/${r}`;
  const lastSeg = r.split('/').pop()!;
  if (!lastSeg.includes(':') && !lastSeg.includes('@')) r += ':latest';
  return r;
}

const t = (ko: string, en: string): Text => ({ ko, en });
const t2 = t;

function fail(what: Text, r: RunResult, logFile: string): never {
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-12).join('\n');
  throw new KlabError({ ko: `${what.ko} 실패 (로그: ${logFile}):\n${tail}`, en: `${what.en} failed (log: ${logFile}):\n${tail}` }, ExitCode.unreachable);
}

async function debVersion(pkg: string): Promise<string> {
  const r = await run('dpkg-query', ['-W', '-f=${Version}', pkg]);
  if (r.code === 0 && r.stdout.trim()) return r.stdout.trim();
  const p = await run('apt-cache', ['policy', pkg]);
  return /Candidate:\s*(\S+)/.exec(p.stdout)?.[1] ?? 'unknown';
}

function hashDir(dir: string, h = createHash('sha256')) {
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) { if (e.name !== '__pycache__') walk(p); continue; }
      if (!e.isFile() || e.name.endsWith('.pyc') || e.name === 'db.sqlite3') continue;
      h.update(relative(dir, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  return h;
}

function fileHash(p: string): string {
  return createHash('sha256').update(readFileSync(p)).digest('hex');
}

// ---- per-image preparation ----------------------------------------------------------------------------------

async function preparePause(o: BuildOptions, work: string): Promise<Prepared> {
  const out = join(work, 'pause');
  const r = await run('gcc', ['-static', '-Os', '-s', '-Wall', '-o', out, join(imagesDir, 'pause', 'pause.c')], { logFile: o.logFile });
  if (r.code !== 0) fail(t('pause 프로그램 컴파일(gcc -static)', 'compiling the pause program (gcc -static)'), r, o.logFile);
  return { files: { pause: out }, inputs: [`gcc:${await debVersion('gcc-12')}`, `libc:${await debVersion('libc6-dev')}`] };
}

/** Debian's `busybox` package (dynamic, glibc): its static twin (busybox-static) crashes in wget on any DNS
 *  name, so the image carries the dynamic binary and the few glibc libraries it links — like upstream's
 *  busybox:glibc variant. The .deb is fetched with `apt-get download` (no install: it conflicts with busybox-static). */
async function busyboxDeb(o: BuildOptions): Promise<{ deb: string; version: string }> {
  const dir = join(cacheDir(), 'images', 'debs');
  mkdirSync(dir, { recursive: true });
  let version = (await run('apt-cache', ['policy', 'busybox'])).stdout.match(/Candidate:\s*(\S+)/)?.[1];
  if (!version || version === '(none)') {
    await run('apt-get', ['update', '-qq'], { logFile: o.logFile });
    version = (await run('apt-cache', ['policy', 'busybox'])).stdout.match(/Candidate:\s*(\S+)/)?.[1];
  }
  if (!version || version === '(none)') throw new KlabError(t('apt 에서 busybox 패키지를 찾지 못했습니다 (apt-get update 필요).', 'apt knows no busybox package (run apt-get update).'), ExitCode.unreachable);
  const have = readdirSync(dir).find((f) => f.startsWith('busybox_') && f.endsWith('.deb') && decodeURIComponent(f).includes(`_${version}_`));
  if (have) return { deb: join(dir, have), version };
  const r = await run('apt-get', ['download', `busybox=${version}`], { cwd: dir, logFile: o.logFile, timeoutMs: 5 * 60_000 });
  const got = readdirSync(dir).find((f) => f.startsWith('busybox_') && f.endsWith('.deb') && decodeURIComponent(f).includes(`_${version}_`));
  if (r.code !== 0 || !got) fail(t('busybox 패키지 내려받기 (apt-get download)', 'downloading the busybox package (apt-get download)'), r, o.logFile);
  return { deb: join(dir, got), version };
}

async function prepareBusybox(o: BuildOptions, work: string): Promise<Prepared> {
  const { deb, version } = await busyboxDeb(o);
  const x = join(work, 'deb');
  const ex = await run('dpkg-deb', ['-x', deb, x]);
  if (ex.code !== 0) fail(t('busybox 패키지 풀기', 'unpacking the busybox package'), ex, o.logFile);
  const bb = join(x, 'bin', 'busybox');
  const root = join(work, 'rootfs');
  rmSync(root, { recursive: true, force: true });
  for (const d of ['bin', 'etc', 'tmp', 'root', 'home', 'var', 'usr/bin', 'proc', 'sys', 'dev']) mkdirSync(join(root, d), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  copyFileSync(bb, join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  // The shared libraries it links (from the host's libc6, the same Debian release), at the same paths.
  const ldd = await run('ldd', [bb]);
  const libs = [...ldd.stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]!);
  if (ldd.code !== 0 || libs.length === 0) fail(t('busybox 의 공유 라이브러리 찾기 (ldd)', 'finding busybox\'s shared libraries (ldd)'), ldd, o.logFile);
  for (const lib of new Set(libs)) {
    const dst = join(root, lib);
    mkdirSync(dirname(dst), { recursive: true });
    copyFileSync(lib, dst);
  }
  const list = await run(bb, ['--list']);
  for (const applet of list.stdout.split('\n').map((s) => s.trim()).filter(Boolean)) {
    if (applet === 'busybox') continue;
    const p = join(root, 'bin', applet);
    if (!existsSync(p)) symlinkSync('busybox', p);
  }
  // Shell stand-ins (cluster/images/busybox/overrides): printenv, which Debian's busybox lacks, and wget, whose
  // -T crashes in Debian's busybox 1.35.
  const over = join(imagesDir, 'busybox', 'overrides');
  for (const f of readdirSync(over)) {
    rmSync(join(root, 'bin', f), { force: true });
    copyFileSync(join(over, f), join(root, 'bin', f));
    chmodSync(join(root, 'bin', f), 0o755);
  }
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
  writeFileSync(join(root, 'etc', 'nsswitch.conf'), 'hosts: files dns\npasswd: files\ngroup: files\n');
  const tar = join(work, 'rootfs.tar');
  const r = await run('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', root, '-cf', tar, '.'], { logFile: o.logFile });
  if (r.code !== 0) fail(t('busybox rootfs 묶기', 'packing the busybox rootfs'), r, o.logFile);
  return { files: { 'rootfs.tar': tar }, inputs: [`busybox:${version}`, `libc6:${await debVersion('libc6')}`, 'glibc-1'] };
}

/** The Debian packages of the python rootfs. python-is-python3 gives `python`, as the official image has. */
const PY_SUITE = 'bookworm';
const PY_PACKAGES = ['python3', 'python3-pip', 'python-is-python3', 'ca-certificates'];

async function preparePython(o: BuildOptions, work: string): Promise<Prepared> {
  const pyDeb = await debVersion('python3');
  const key = createHash('sha256').update([PY_SUITE, ...PY_PACKAGES, pyDeb, RECIPE].join(',')).digest('hex').slice(0, 16);
  const cached = join(cacheDir(), 'images', 'rootfs', `python-${PY_SUITE}-${key}.tar`);
  const verFile = `${cached}.version`;
  if (!existsSync(cached) || !existsSync(verFile)) {
    const root = join(work, 'rootfs');
    rmSync(root, { recursive: true, force: true });
    o.progress.info(t(`debootstrap ${PY_SUITE} (python3) — 처음 한 번 1~3분`, `debootstrap ${PY_SUITE} (python3) — 1-3 min, once`));
    const mirror = process.env.KLAB_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
    const r = await run('debootstrap', ['--variant=minbase', `--include=${PY_PACKAGES.join(',')}`, PY_SUITE, root, mirror], { logFile: o.logFile, timeoutMs: 20 * 60_000 });
    if (r.code !== 0) fail(t('debootstrap (python 이미지의 Debian rootfs)', 'debootstrap (the Debian rootfs of the python image)'), r, o.logFile);
    const v = await run('chroot', [root, 'python3', '-c', 'import platform; print(platform.python_version())']);
    if (v.code !== 0 || !/^\d+\.\d+\.\d+/.test(v.stdout.trim())) fail(t('python3 버전 확인', 'reading the python3 version'), v, o.logFile);
    // Like the official image: pip may install into the system Python, no caches or docs in the image.
    for (const p of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info']) {
      const full = join(root, p);
      if (existsSync(full)) for (const e of readdirSync(full)) rmSync(join(full, e), { recursive: true, force: true });
    }
    for (const e of readdirSync(join(root, 'usr', 'lib'))) {
      if (/^python3\.\d+$/.test(e)) rmSync(join(root, 'usr', 'lib', e, 'EXTERNALLY-MANAGED'), { force: true });
    }
    mkdirSync(dirname(cached), { recursive: true });
    const tmp = `${cached}.tmp`;
    const tr = await run('tar', ['--numeric-owner', '-C', root, '-cf', tmp, '.'], { logFile: o.logFile });
    if (tr.code !== 0) fail(t('python rootfs 묶기', 'packing the python rootfs'), tr, o.logFile);
    renameSync(tmp, cached);
    writeFileSync(verFile, v.stdout.trim());
    rmSync(root, { recursive: true, force: true });
  }
  const full = readFileSync(verFile, 'utf8').trim();              // e.g. 3.11.2
  const minor = full.split('.').slice(0, 2).join('.');            // 3.11
  const refs = [`python:${minor}-slim`, `python:${minor}`, `python:${full}-slim`, `python:${minor}-slim-${PY_SUITE}`];
  return { files: { 'rootfs.tar': cached }, inputs: [`rootfs:${key}`, `python:${full}`], refs };
}

/** A static Go binary built by the local provider's tools module (cluster/local/tools.ts, which for argoexec also
 *  supplies the Linux file the published v4.0.5 module lacks) with CGO_ENABLED=0, so it runs in any image, busybox
 *  included. */
export async function buildStaticTool(o: { progress: Progress }, name: ToolName): Promise<string> {
  const tl = tool(name);
  if (!existsSync(binPath(tl))) await buildTools(o.progress, [tl]);
  const exe = binPath(tl);
  const ldd = await run('ldd', [exe]);
  if (!/not a dynamic executable|statically linked/.test(ldd.stdout + ldd.stderr)) {
    throw new KlabError(t2(`${exe}${josa(exe, '이/가')} 정적 링크가 아닙니다 (CGO_ENABLED=0 으로 다시 빌드하세요).`, `${exe} is not statically linked (rebuild it with CGO_ENABLED=0).`), ExitCode.unreachable);
  }
  return exe;
}

/** An image holding one static tool binary (its Dockerfile copies the file named like the tool). */
const prepareStatic = (name: ToolName) => async (o: BuildOptions, work: string): Promise<Prepared> => {
  const exe = await buildStaticTool(o, name);
  const dst = join(work, name);
  copyFileSync(exe, dst);
  chmodSync(dst, 0o755);
  return { files: { [name]: dst }, inputs: [`${name}:${tool(name).version}`, fileHash(exe)], buildArgs: { BASE: 'busybox:1.35' } };
};

/** Django's wheels, downloaded on the host with pip (which knows this machine's proxy/CA setup), so the build
 *  needs no network inside its container. Cached by requirements.txt's hash. */
/** Where the Django app's wheels are cached (complete when it holds `.complete`): lab i-h1 copies them into the
 *  trainee's working folder on `local`, where `docker build` has no PyPI. */
export function djangoWheelsDir(): string {
  const req = readFileSync(join(imagesDir, 'django-app', 'requirements.txt'), 'utf8');
  return join(cacheDir(), 'images', 'wheels', createHash('sha256').update(req).digest('hex').slice(0, 16));
}

async function prepareDjango(o: BuildOptions, work: string): Promise<Prepared> {
  const wheels = djangoWheelsDir();
  const key = wheels.split('/').pop()!;
  if (!existsSync(join(wheels, '.complete'))) {
    rmSync(wheels, { recursive: true, force: true });
    mkdirSync(wheels, { recursive: true });
    const py = process.env.KLAB_PYTHON ?? 'python3';
    const r = await run(py, ['-m', 'pip', 'download', '--disable-pip-version-check', '--only-binary=:all:', '--python-version', '3.11',
      '-d', wheels, '-r', join(imagesDir, 'django-app', 'requirements.txt')], { logFile: o.logFile, timeoutMs: 10 * 60_000 });
    if (r.code !== 0) fail(t('Django 휠 내려받기 (pip download, PyPI 필요)', 'downloading the Django wheels (pip download, needs PyPI)'), r, o.logFile);
    writeFileSync(join(wheels, '.complete'), key);
  }
  const ctxWheels = join(work, 'wheels');
  mkdirSync(ctxWheels, { recursive: true });
  const names = readdirSync(wheels).filter((f) => f.endsWith('.whl')).sort();
  for (const f of names) copyFileSync(join(wheels, f), join(ctxWheels, f));
  return { files: {}, dirs: { wheels: ctxWheels }, inputs: [`wheels:${names.join(',')}`],
    buildArgs: { BASE_IMAGE: 'python:3.11-slim', PIP_OPTS: '--no-index --find-links=wheels' } };
}

/** The version app's page: its version on the first line, so `klab traffic` reads it (checkers/traffic.ts versionOf). */
function prepareVersionApp(version: string) {
  return async (_o: BuildOptions, work: string): Promise<Prepared> => {
    const www = join(work, 'www');
    mkdirSync(www, { recursive: true });
    writeFileSync(join(www, 'index.html'), `${version}\n`);
    return { files: {}, dirs: { www }, inputs: [`version:${version}`], buildArgs: { BASE: 'busybox:1.35' } };
  };
}

/** In build order: argoexec's, workflow-controller's and argocli's base is busybox, the Django app's base is python. */
export const IMAGES: ImageSpec[] = [
  { name: 'pause', dir: 'pause', refs: [PAUSE_IMAGE, 'localhost:5001/klab/pause:1.0'], prepare: preparePause },
  { name: 'busybox', dir: 'busybox', refs: ['busybox:latest', 'busybox:1.35', 'busybox:1.35.0', 'busybox:1.35-glibc', 'busybox:glibc'], prepare: prepareBusybox },
  { name: 'python', dir: 'python', refs: [], prepare: preparePython },
  { name: 'argoexec', dir: 'argoexec', refs: [ARGOEXEC_IMAGE], prepare: prepareStatic('argoexec') },
  { name: 'workflow-controller', dir: 'workflow-controller', refs: [WORKFLOW_CONTROLLER_IMAGE], prepare: prepareStatic('workflow-controller') },
  { name: 'argocli', dir: 'argocli', refs: [ARGOCLI_IMAGE], prepare: prepareStatic('argo') },
  { name: 'django-sample', dir: 'django-app', refs: [DJANGO_SAMPLE_IMAGE], prepare: prepareDjango },
  ...VERSION_APP_VERSIONS.map((v) => ({ name: `version-app-${v}`, dir: 'version-app', refs: [`${VERSION_APP_IMAGE}:${v}`], prepare: prepareVersionApp(v) })),
];

// ---- registry --------------------------------------------------------------------------------------------------

/** Does the local registry have this reference (as a pod would pull it)? */
export async function registryHas(ref: string, registry = REGISTRY): Promise<boolean> {
  const p = registryPath(ref);
  const at = p.lastIndexOf(':');
  const repo = p.slice(0, at);
  const tag = p.slice(at + 1);
  try {
    const res = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
      signal: AbortSignal.timeout(5000),
    });
    return res.ok;
  } catch { return false; }
}

// ---- build -----------------------------------------------------------------------------------------------------

interface Stamp { hash: string; refs: string[] }
const stampFile = (name: string) => join(cacheDir(), 'images', 'stamps', `${name}.json`);

/** KLAB_NODE_IMAGES=pause,busybox (developers only): build just these. */
export async function buildImages(o: BuildOptions, only = process.env.KLAB_NODE_IMAGES?.split(',')): Promise<BuiltImage[]> {
  const docker = (args: string[], logIt = true) => run(o.docker.bin, args, { env: o.docker.env, logFile: logIt ? o.logFile : undefined });
  const results: BuiltImage[] = [];
  for (const spec of IMAGES) {
    if (only && !only.includes(spec.name)) continue;
    const started = Date.now();
    o.progress.phase(fill(t('이미지 {n}', 'image {n}'), { n: spec.name }));
    const work = join(cacheDir(), 'images', 'ctx', spec.name);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const prep = spec.prepare ? await spec.prepare(o, work) : { files: {}, inputs: [] };
    const refs = [...spec.refs, ...(prep.refs ?? [])];
    const h = hashDir(join(imagesDir, spec.dir));
    h.update(JSON.stringify({ RECIPE, refs, inputs: prep.inputs, args: prep.buildArgs ?? {} }));
    for (const [name, p] of Object.entries(prep.files)) {
      // rootfs tarballs change their bytes (mtimes) on every rebuild: their inputs are hashed instead.
      if (!name.endsWith('.tar')) h.update(name).update(fileHash(p));
    }
    const hash = h.digest('hex').slice(0, 20);
    let stamp: Stamp | undefined;
    try { stamp = JSON.parse(readFileSync(stampFile(spec.name), 'utf8')) as Stamp; } catch { /* none */ }
    const present = await Promise.all(refs.map((r) => registryHas(r)));
    if (!o.force && stamp?.hash === hash && present.every(Boolean)) {
      // Keep docker's local names too (FROM python:3.11-slim etc. must resolve offline); cheap when present.
      results.push({ name: spec.name, refs, hash, skipped: true, seconds: (Date.now() - started) / 1000 });
      o.progress.done(t('변경 없음 (캐시)', 'unchanged (cached)'));
      continue;
    }
    // Assemble the build context: the image's folder plus generated files.
    const ctx = join(work, 'context');
    await run('cp', ['-a', `${join(imagesDir, spec.dir)}/.`, ctx]).then((r) => { if (r.code !== 0) fail(t('빌드 컨텍스트 복사', 'copying the build context'), r, o.logFile); });
    for (const [name, p] of Object.entries(prep.files)) copyFileSync(p, join(ctx, name));
    for (const [name, p] of Object.entries(prep.dirs ?? {})) {
      const c = await run('cp', ['-a', p, join(ctx, name)]);
      if (c.code !== 0) fail(t('빌드 컨텍스트 복사', 'copying the build context'), c, o.logFile);
    }
    // A base named by a build arg must exist in docker's own store (offline there is nothing to pull from).
    for (const [k, base] of Object.entries(prep.buildArgs ?? {})) if (/BASE/.test(k)) await ensureLocal(o, base);
    const local = refs[0]!;
    const args = ['build', '-q', '-t', local, '--label', `klab.input-hash=${hash}`];
    for (const r of refs.slice(1)) args.push('-t', r);
    for (const [k, v] of Object.entries(prep.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    if (spec.network) args.push('--network', spec.network);
    args.push(ctx);
    const b = await docker(args);
    if (b.code !== 0) fail(fill(t('docker build ({n})', 'docker build ({n})'), { n: spec.name }), b, o.logFile);
    for (const ref of refs) {
      const target = `${REGISTRY}/${registryPath(ref)}`;
      const tg = await docker(['tag', local, target]);
      if (tg.code !== 0) fail(t('docker tag', 'docker tag'), tg, o.logFile);
      const p = await docker(['push', target]);
      if (p.code !== 0) fail(fill(t('docker push {r}', 'docker push {r}'), { r: target }), p, o.logFile);
    }
    mkdirSync(dirname(stampFile(spec.name)), { recursive: true });
    writeFileSync(stampFile(spec.name), JSON.stringify({ hash, refs } satisfies Stamp));
    rmSync(work, { recursive: true, force: true });
    const seconds = (Date.now() - started) / 1000;
    results.push({ name: spec.name, refs, hash, skipped: false, seconds });
    o.progress.done(fill(t('빌드+푸시 {s}초', 'built+pushed in {s}s'), { s: seconds.toFixed(1) }));
  }
  return results;
}

/** Make `ref` resolvable by docker build offline: pull it from the local registry and tag it, if it is missing. */
async function ensureLocal(o: BuildOptions, ref: string) {
  const has = await run(o.docker.bin, ['image', 'inspect', '--format', '{{.Id}}', ref], { env: o.docker.env });
  if (has.code === 0) return;
  const src = `${REGISTRY}/${registryPath(ref)}`;
  const p = await run(o.docker.bin, ['pull', src], { env: o.docker.env, logFile: o.logFile });
  if (p.code !== 0) fail(fill(t('기반 이미지 {r} 가져오기', 'pulling the base image {r}'), { r: src }), p, o.logFile);
  const tg = await run(o.docker.bin, ['tag', src, ref], { env: o.docker.env });
  if (tg.code !== 0) fail(t('docker tag', 'docker tag'), tg, o.logFile);
}

