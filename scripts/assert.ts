// klab assert -f checks.yaml [--context C] [--namespace N] [--json]: run a check file against any cluster,
// with the same result shape and exit codes as `klab check`.
import { KlabError, ExitCode } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { targetFlags, printResult, checkJunitPath, connectOrReason, closeCluster } from './common.js';
import type { RunResult } from '../checkers/types.js';

export async function run(args: ParsedArgs): Promise<number> {
  const file = args.flags.file as string | undefined;
  if (!file) throw new KlabError(msg('args.needFile'), ExitCode.usage);
  const { loadCheckFile } = await import('../checkers/assert.js');
  const checks = await loadCheckFile(file);
  const { resolveTarget } = await import('../cluster/target.js');
  const info = await resolveTarget(targetFlags(args));
  const namespace = (args.flags.namespace as string | undefined) ?? 'default';
  checkJunitPath(args);
  const { kc, unreachable } = await connectOrReason(info, args);
  try {
    const { runChecks, unreachableReport, exitCodeFor } = await import('../checkers/runner.js');
    const result: RunResult = kc
      ? await runChecks(checks, { kc, lang: args.lang, namespace, params: { namespace }, capabilities: info.capabilities, answers: {}, lab: file, seed: '', preflight: false })
      : unreachableReport(checks, file, '', unreachable!.text);
    await printResult(result, args);
    return exitCodeFor(result);
  } finally { await closeCluster(kc); }
}
