// klab env [--provider …] [--context C] [--kubeconfig F] [--json]: the shell lines that point kubectl (and, on the
// local provider, the pinned kubectl/helm) at klab's cluster — for `eval "$(klab env)"`. Connects to nothing.
import { readFileSync, existsSync } from 'node:fs';
import { KlabError, ExitCode } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { json, say, targetFlags } from './common.js';

export async function run(args: ParsedArgs): Promise<number> {
  const { resolveTarget } = await import('../cluster/target.js');
  const { shellEnv } = await import('../cluster/shell-env.js');
  const info = await resolveTarget(targetFlags(args));
  if (!existsSync(info.kubeconfig)) throw new KlabError(msg('cluster.noKubeconfig', { path: info.kubeconfig }), ExitCode.unreachable);
  const { exports } = shellEnv(info);
  const current = currentContext(info.kubeconfig);
  if (args.json) { json({ provider: info.provider, kubeconfig: info.kubeconfig, context: info.context, binDir: info.binDir ?? null, exports }); return 0; }
  process.stdout.write(exports.join('\n') + '\n');
  // kubectl follows the kubeconfig's current-context; klab may have been pointed at another one with --context.
  if (info.context && current && current !== info.context) say(args, msg('env.otherContext', { current, context: info.context }), process.stderr);
  return 0;
}

function currentContext(file: string): string | undefined {
  try { return /^current-context:\s*["']?([^"'\s]+)/m.exec(readFileSync(file, 'utf8'))?.[1]; } catch { return undefined; }
}
