// klab reset <lab> [--all]: remove everything this trainee's copy of the lab created (its reset.ts, then the namespaces
// labelled with the lab and the seed; --all: every seed's).
// Idempotent: a second reset finds nothing and succeeds.
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, say } from './common.js';
import { resetLab } from '../labs/_engine/session.js';

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'reset');
  const { connect } = await import('../cluster/target.js');
  const kc = await connect(s.info);
  await resetLab(s, args.lang, kc, { all: args.flags.all === true });
  say(args, msg('reset.done', { lab: s.lab.def.id }));
  return 0;
}
