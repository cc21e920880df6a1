// The final table on the terminal: a row per trainee, a column per lab, the total and the status.
// Columns are aligned by display width (Hangul takes two cells).
import type { Lang } from '../../i18n/index.js';
import type { GradeDoc } from '../types.js';
import { gmsg } from '../messages.js';
import { tr } from '../../i18n/index.js';
import { cellOf, cellText, labIds, statusText, totalOf } from './cells.js';

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

/** Control characters from a roster or cluster never reach the terminal as such. */
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

export function renderTable(doc: GradeDoc, lang: Lang): string {
  const labs = labIds(doc);
  const rows = [[tr(gmsg('out.trainee'), lang), tr(gmsg('out.name'), lang), ...labs, tr(gmsg('out.total'), lang), tr(gmsg('out.status'), lang)]];
  for (const t of doc.trainees) rows.push([clean(t.id), clean(t.name), ...labs.map((l) => cellText(cellOf(t, l), lang)), cellText(totalOf(t), lang), statusText(t.status, lang)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]))));
  const pad = (s: string, i: number) => s + ' '.repeat(widths[i] - displayWidth(s));
  return rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n') + '\n';
}
