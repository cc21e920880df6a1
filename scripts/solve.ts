// klab solve <lab>: apply the reference solution, printing every command; recorded in progress.
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, say } from './common.js';
import { solveLab } from '../labs/_engine/session.js';

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'solve');
  const { connect } = await import('../cluster/target.js');
  const kc = await connect(s.info);
  say(args, msg('solve.applying', { lab: s.lab.def.id }));
  await solveLab(s, args.lang, kc);
  say(args, msg('solve.done', { lab: s.lab.def.id }));
  return 0;
}
