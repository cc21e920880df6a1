// Writing the chosen formats into --out: results.json (the signed document), results.junit.xml, results.csv,
// results.md, gradebook.html. Every format is made from the signed document only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KlabError, ExitCode, type Lang } from '../i18n/index.js';
import { gmsg } from './messages.js';
import type { GradeDoc } from './types.js';

export const FORMATS = ['json', 'junit', 'csv', 'md', 'html'] as const;
export type Format = (typeof FORMATS)[number];
export const FILE_OF: Record<Format, string> = { json: 'results.json', junit: 'results.junit.xml', csv: 'results.csv', md: 'results.md', html: 'gradebook.html' };

export function parseFormats(value: string | undefined): Format[] {
  if (value === undefined) return ['json', 'md', 'html'];
  const out: Format[] = [];
  for (const raw of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(FORMATS as readonly string[]).includes(raw)) throw new KlabError(gmsg('args.format', { value: raw, allowed: FORMATS.join(',') }), ExitCode.usage);
    if (!out.includes(raw as Format)) out.push(raw as Format);
  }
  if (!out.length) throw new KlabError(gmsg('args.format', { value, allowed: FORMATS.join(',') }), ExitCode.usage);
  return out;
}

export async function render(doc: GradeDoc, f: Format, lang: Lang): Promise<string> {
  switch (f) {
    case 'json': return JSON.stringify(doc, null, 2) + '\n';
    case 'junit': return (await import('./report/junit.js')).toGradeJUnit(doc, lang);
    case 'csv': return (await import('./report/csv.js')).toCsv(doc, lang);
    case 'md': return (await import('./report/md.js')).toMarkdown(doc, lang);
    case 'html': return (await import('./report/html.js')).toHtml(doc, lang);
  }
}

/** Write each format into `dir` (created); returns the paths written. */
export async function writeOutputs(doc: GradeDoc, formats: Format[], dir: string, lang: Lang): Promise<string[]> {
  const out: string[] = [];
  let path = dir;
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of formats) {
      path = join(dir, FILE_OF[f]);
      writeFileSync(path, await render(doc, f, lang));
      out.push(path);
    }
  } catch (e) {
    if (e instanceof KlabError) throw e;
    throw new KlabError(gmsg('run.cannotWrite', { path, detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message }), ExitCode.usage);
  }
  return out;
}
