// The one place that says where klab's files are: state (progress, clusters), caches (built binaries, downloads) and
// the package root (the folder holding package.json, cluster/, labs/). Every other module asks here.
//
// State and cache follow the XDG Base Directory spec: $XDG_STATE_HOME / $XDG_CACHE_HOME when set to an absolute
// path (the spec says relative values are invalid and must be ignored), else ~/.local/state and ~/.cache.
import { existsSync, mkdirSync } from 'node:fs';
import { writeAtomic } from '../host/files.js';
import { dirname, isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { KlabError, ExitCode, fill } from '../i18n/index.js';

function xdg(value: string | undefined, fallback: string[]): string {
  return value && isAbsolute(value) ? value : join(homedir(), ...fallback);
}

/** $XDG_STATE_HOME/klab (default ~/.local/state/klab): progress, current cluster, provider state. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdg(env.XDG_STATE_HOME, ['.local', 'state']), 'klab');
}
/** $XDG_CACHE_HOME/klab (default ~/.cache/klab): built binaries (bin/), downloads, image inputs. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdg(env.XDG_CACHE_HOME, ['.cache']), 'klab');
}
/**
 * Where labs put the trainee's working folders (a lab's own files to build and edit: `<root>/<lab id>`):
 * $KLAB_WORK when absolute, else ~/klab. Never state: klab creates files there only when missing.
 */
export function workRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.KLAB_WORK && isAbsolute(env.KLAB_WORK) ? env.KLAB_WORK : join(homedir(), 'klab');
}
export function defaultKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  return (env.KUBECONFIG || join(homedir(), '.kube', 'config')).split(process.platform === 'win32' ? ';' : ':')[0];
}

let root: string | undefined;
/** The repo (or installed package) root, found from this file whether it runs from dist/ or from the sources. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cluster', 'nodegroups.yaml'))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('cannot find the klab package root (package.json beside cluster/nodegroups.yaml)');
}
/** A path inside the package, e.g. packagePath('cluster', 'nodegroups.yaml'). */
export const packagePath = (...parts: string[]) => join(packageRoot(), ...parts);
/** The state folder can be unusable through no fault of klab (a file in its place, no permission): exit 2, saying how
 * to fix it, instead of a crash. */
export function stateError(path: string, e: unknown): KlabError {
  const code = (e as NodeJS.ErrnoException)?.code ?? String(e);
  return new KlabError(fill({
    ko: '상태 폴더에 쓸 수 없습니다: {path} ({code}). 권한을 고치거나 (폴더가 아닌 파일이 있다면 치우고) XDG_STATE_HOME 으로 다른 폴더를 지정하세요.',
    en: 'Cannot write the state folder: {path} ({code}). Fix its permissions (or move away a file standing where a folder should be), or point XDG_STATE_HOME elsewhere.',
  }, { path, code }), ExitCode.usage);
}

/** mkdir -p, or exit 2 when the state folder cannot be made. */
export function ensureDir(dir: string): void {
  try { mkdirSync(dir, { recursive: true }); } catch (e) { throw stateError(dir, e); }
}

/** Write a state file atomically (temp file + rename); an unwritable state folder is exit 2, not a crash. */
export function writeState(file: string, text: string, mode?: number): void {
  ensureDir(dirname(file));
  try { writeAtomic(file, text, { mode }); } catch (e) { throw stateError(file, e); }
}
