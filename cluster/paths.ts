// Where klab keeps state (progress, clusters) and caches (built binaries), following the XDG base directories.
import { join } from 'node:path';
import { homedir } from 'node:os';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'klab');
}
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'klab');
}
export function defaultKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  return (env.KUBECONFIG || join(homedir(), '.kube', 'config')).split(process.platform === 'win32' ? ';' : ':')[0];
}
