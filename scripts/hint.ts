// klab hint <lab> [--step N]: the next hint of the current (or given) step; each call shows one more.
import { tr } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, stepArg, say } from './common.js';
import { nextHint } from '../labs/_engine/session.js';

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'hint');
  const step = stepArg(args, s.lab) ?? s.progress?.currentStep ?? 1;
  const st = s.lab.def.steps[Math.min(step, s.lab.def.steps.length) - 1];
  say(args, msg('hint.header', { lab: s.lab.def.id, step, title: tr(st.title, args.lang) }));
  const h = nextHint(s, step);
  say(args, h.text ? `(${h.index + 1}/${h.total}) ${tr(h.text, args.lang)}` : tr(msg('hint.none'), args.lang));
  return 0;
}
