// The lines that make a trainee's shell talk to klab's cluster: `export KUBECONFIG=…` and, when the provider brings
// its own pinned tools (local), `export PATH=…:"$PATH"`. Printed by `klab start` and by `klab env` (for
// `eval "$(klab env)"`). See docs/decisions/0012-kubectl-env-lines.md for why klab prints lines instead of merging
// its context into ~/.kube/config.
import { defaultKubeconfig } from './paths.js';

/** POSIX shell single-quoting, only when needed. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ShellEnv {
  /** Lines for a POSIX shell (bash, zsh): paste them, or eval them. */
  exports: string[];
  /** true when the given environment already has them (nothing to paste). */
  current: boolean;
}

export function shellEnv(info: { kubeconfig: string; binDir?: string; dockerHost?: string }, env: NodeJS.ProcessEnv = process.env): ShellEnv {
  const exports = [`export KUBECONFIG=${shellQuote(info.kubeconfig)}`];
  if (info.binDir) exports.push(`export PATH=${shellQuote(info.binDir)}:"$PATH"`);
  if (info.dockerHost) exports.push(`export DOCKER_HOST=${shellQuote(info.dockerHost)}`);
  const kubeconfigOk = defaultKubeconfig(env) === info.kubeconfig && (env.KUBECONFIG ?? '').split(':').length <= 1;
  const pathOk = !info.binDir || (env.PATH ?? '').split(':')[0] === info.binDir;
  const dockerOk = !info.dockerHost || env.DOCKER_HOST === info.dockerHost;
  return { exports, current: kubeconfigOk && pathOk && dockerOk };
}
