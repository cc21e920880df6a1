// klab list [--json]
import { tr } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { json, say } from './common.js';
import { loadAllLabs } from '../labs/_engine/load.js';

export async function run(args: ParsedArgs): Promise<number> {
  const labs = await loadAllLabs();
  const rows = labs.map(({ def }) => ({ id: def.id, level: def.level, title: def.title, minutes: def.minutes, steps: def.steps.length, needs: def.needs ?? [] }));
  if (args.json) { json(rows); return 0; }
  say(args, msg('list.header'));
  for (const r of rows) say(args, `${r.id}\t${tr(msg(`level.${r.level}`), args.lang)}\t${r.steps}\t${r.minutes}\t${tr(r.title, args.lang)}`);
  return 0;
}
