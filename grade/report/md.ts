// Markdown summary: the matrix, who could not be graded and why, then each trainee's non-passing checks.
// Everything from a cluster or a roster is escaped (a diagnosis cannot add markup, links or raw HTML).
import { tr, type Lang } from '../../i18n/index.js';
import type { GradeDoc } from '../types.js';
import { gmsg } from '../messages.js';
import { cellOf, cellText, counts, labIds, statusText, totalOf } from './cells.js';

export function mdEscape(s: string): string {
  return s.replace(/[\\`*_[\]<>|#&!~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`)).replace(/\r?\n/g, ' ');
}

export function toMarkdown(doc: GradeDoc, lang: Lang): string {
  const L = (k: Parameters<typeof gmsg>[0], v: Record<string, string | number> = {}) => tr(gmsg(k, v), lang);
  const labs = labIds(doc);
  const c = counts(doc);
  const out = [`# ${L('out.title')}`, '', L('out.meta', { version: doc.klabVersion, time: doc.createdAt, n: doc.trainees.length, graded: c.graded, partial: c.partial, error: c.error }), ''];
  if (doc.interrupted) out.push(`**${L('sub.partialDoc')}**`, '');
  out.push(`| ${L('out.trainee')} | ${L('out.name')} | ${labs.map(mdEscape).join(' | ')} | ${L('out.total')} | ${L('out.status')} |`);
  out.push(`|---|---|${labs.map(() => '---:|').join('')}---:|---|`);
  for (const t of doc.trainees) {
    out.push(`| ${mdEscape(t.id)} | ${mdEscape(t.name)} | ${labs.map((l) => cellText(cellOf(t, l), lang)).join(' | ')} | ${cellText(totalOf(t), lang)} | ${statusText(t.status, lang)}${t.flagged ? ` ⚑ ${L('sub.flagged')}` : ''} |`);
  }
  out.push('', L('out.partialNote'), '');
  const errors = doc.trainees.filter((t) => t.status === 'error');
  if (errors.length) {
    out.push(`## ${L('out.errors')}`, '');
    for (const t of errors) out.push(`- **${mdEscape(t.id)}** (${mdEscape(t.context)}): ${mdEscape(tr(t.error ?? gmsg('out.error', {}), lang))}`);
    out.push('');
  }
  const details: string[] = [];
  for (const t of doc.trainees) {
    const bad = t.labs.flatMap((l) => l.checks.filter((r) => r.status !== 'pass').map((r) => ({ l, r })));
    if (!bad.length || t.status === 'error') continue;
    details.push(`### ${mdEscape(t.id)} — ${cellText(totalOf(t), lang)}`, '');
    for (const { l, r } of bad) {
      const note = r.counted ? '' : ` _(${L('out.notCounted')})_`;
      details.push(`- \`${r.status}\` ${mdEscape(l.lab)}/${mdEscape(r.id)} (${r.points}/${r.maxPoints})${note}: ${mdEscape(tr(r.message, lang))}`);
      for (const e of r.evidence) details.push(`  - ${mdEscape(tr(e.title, lang))}: ${e.lines.slice(0, 5).map((x) => mdEscape(x)).join(' · ')}`);
    }
    details.push('');
  }
  if (details.length) out.push(`## ${L('out.details')}`, '', ...details);
  return out.join('\n') + '\n';
}
