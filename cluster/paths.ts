// The one place that says where klab's files are: state (progress, clusters), caches (built binaries, downloads) and
// the package root (the folder holding package.json, cluster/, labs/). Every other module asks here.
//
// State and cache follow the XDG Base Directory spec: $XDG_STATE_HOME / $XDG_CACHE_HOME when set to an absolute
// path (the spec says relative values are invalid and must be ignored), else ~/.local/state and ~/.cache.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';

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
