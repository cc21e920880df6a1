// klab check <lab> [--step N] [--json] [--junit file]: run the lab's checks against the live cluster.
import type { ParsedArgs } from './args.js';
import { session, stepArg, waitingLine, printResult, checkJunitPath, connectOrReason, closeCluster } from './common.js';
import { runLabChecks } from '../labs/_engine/session.js';

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'check');
  const step = stepArg(args, s.lab);
  checkJunitPath(args);
  // A lab whose checks cannot be built is exit 2 before any cluster is asked anything.
  await (await import('../labs/_engine/checks.js')).labChecks(s.lab, s.params);
  const { kc, unreachable } = await connectOrReason(s.info, args);
  try {
    const spin = waitingLine(args);
    let result;
    try {
      result = await runLabChecks(s, { lang: args.lang, kc, unreachable, step, onWaiting: spin.waiting, onResult: spin.clear });
    } finally { spin.clear(); }
    await printResult(result, args);
    return (await import('../checkers/runner.js')).exitCodeFor(result);
  } finally { await closeCluster(kc); }
}
