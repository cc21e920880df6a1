// CSV for an LMS: a row per trainee, a column per lab and the total. UTF-8 with a BOM (Excel then reads Hangul
// names correctly), CRLF line ends, RFC 4180 quoting; cells that a spreadsheet would run as a formula are defused.
import type { Lang } from '../../i18n/index.js';
import type { GradeDoc } from '../types.js';
import { cellOf, labIds, totalOf } from './cells.js';

export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`; // =HYPERLINK(...) from a roster name stays text
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(doc: GradeDoc, _lang: Lang): string {
  const labs = labIds(doc);
  const rows: (string | number)[][] = [['id', 'name', 'seed', 'status', ...labs, 'total', 'max']];
  for (const t of doc.trainees) {
    // An error cell is empty: no grade, not zero.
    const score = (c: ReturnType<typeof cellOf>) => (c.status === 'error' || c.status === 'missing' ? '' : c.score);
    rows.push([t.id, t.name, t.seed, t.status, ...labs.map((l) => score(cellOf(t, l))), score(totalOf(t)), t.maxScore]);
  }
  return '\uFEFF' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
