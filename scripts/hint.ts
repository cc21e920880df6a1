// klab hint <lab> [--step N]: the next hint of the current (or given) step; each call shows one more.
import { fill, tr } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, stepArg, say } from './common.js';
import type { Session } from './common.js';

/** The next hint for `step` (recorded, so the following call shows the one after). */
export function nextHint(s: Session, step: number): { index: number; total: number; text?: ReturnType<typeof fill> } {
  const hints = s.lab.def.steps[step - 1].hints ?? [];
  const shown = s.progress?.hintsShown[String(step)] ?? 0;
  const index = Math.min(shown, hints.length - 1);
  if (hints.length && s.progress) {
    s.progress = s.store.update(s.info.context, s.lab.def.id, s.seed, (p) => { p.hintsShown[String(step)] = Math.min(shown + 1, hints.length); });
  }
  return { index, total: hints.length, text: hints.length ? fill(hints[index], s.params) : undefined };
}

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'hint');
  const step = stepArg(args, s.lab) ?? s.progress?.currentStep ?? 1;
  const st = s.lab.def.steps[Math.min(step, s.lab.def.steps.length) - 1];
  say(args, msg('hint.header', { lab: s.lab.def.id, step, title: tr(st.title, args.lang) }));
  const h = nextHint(s, step);
  say(args, h.text ? `(${h.index + 1}/${h.total}) ${tr(h.text, args.lang)}` : tr(msg('hint.none'), args.lang));
  return 0;
}
