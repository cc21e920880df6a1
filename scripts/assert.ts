// klab assert -f checks.yaml [--context C] [--namespace N] [--json]: run a check file against any cluster,
// with the same result shape and exit codes as `klab check`.
import { KlabError, ExitCode, tr } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { targetFlags } from './common.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RunResult } from '../checkers/types.js';

export async function run(args: ParsedArgs): Promise<number> {
  const file = args.flags.file as string | undefined;
  if (!file) throw new KlabError(msg('args.needFile'), ExitCode.usage);
  const { loadCheckFile } = await import('../checkers/assert.js');
  const checks = await loadCheckFile(file);
  const { resolveTarget, connect } = await import('../cluster/target.js');
  const info = await resolveTarget(targetFlags(args));
  const namespace = (args.flags.namespace as string | undefined) ?? 'default';
  let kc: KubeConfig | undefined;
  try { kc = await connect(info); } catch (e) {
    if (!(e instanceof KlabError) || e.exitCode !== ExitCode.unreachable) throw e;
    process.stderr.write(`klab: ${tr(e.text, args.lang)}\n`);
    return ExitCode.unreachable;
  }
  const { runChecks } = await import('../checkers/runner.js');
  const result: RunResult = await runChecks(checks, { kc, lang: args.lang, namespace, params: { namespace }, capabilities: info.capabilities, answers: {}, lab: file, seed: '' });
  const { printResult, exitFor } = await import('./check.js');
  await printResult(result, args);
  return exitFor(result);
}
