// klab assert -f checks.yaml [--context C] [--namespace N] [--json]: run a check file against any cluster,
// with the same result shape and exit codes as `klab check`.
import { KlabError, ExitCode } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { targetFlags } from './common.js';
import type { RunResult } from '../checkers/types.js';

export async function run(args: ParsedArgs): Promise<number> {
  const file = args.flags.file as string | undefined;
  if (!file) throw new KlabError(msg('args.needFile'), ExitCode.usage);
  const { loadCheckFile } = await import('../checkers/assert.js');
  const checks = await loadCheckFile(file);
  const { resolveTarget } = await import('../cluster/target.js');
  const info = await resolveTarget(targetFlags(args));
  const namespace = (args.flags.namespace as string | undefined) ?? 'default';
  const { printResult, exitFor, errorReport, checkJunitPath, connectOrReason, closeCluster } = await import('./check.js');
  checkJunitPath(args);
  const { kc, unreachable } = await connectOrReason(info, args);
  try {
    let result: RunResult;
    if (!kc) result = errorReport(checks, file, '', unreachable!.text);
    else {
      const { runChecks } = await import('../checkers/runner.js');
      result = await runChecks(checks, { kc, lang: args.lang, namespace, params: { namespace }, capabilities: info.capabilities, answers: {}, lab: file, seed: '', preflight: false });
    }
    await printResult(result, args);
    return await exitFor(result);
  } finally { await closeCluster(kc); }
}
