// klab reset <lab>: remove everything the lab created (its reset.ts, then every namespace labelled klab.dev/lab=<id>).
// Idempotent: a second reset finds nothing and succeeds.
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, say } from './common.js';
import { resetLab } from '../labs/_engine/session.js';

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'reset');
  const { connect } = await import('../cluster/target.js');
  const kc = await connect(s.info);
  await resetLab(s, args.lang, kc);
  say(args, msg('reset.done', { lab: s.lab.def.id }));
  return 0;
}
