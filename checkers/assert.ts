// `klab assert -f checks.yaml`: a standalone YAML file of declarative checks (like `kubectl kuttl assert`).
// The file is either a list of checks, or {namespace?, params?, checks: [...]}. Every problem is reported as
// `file:line: message` (ko/en) before anything runs; exit code 2.
import { readFile } from 'node:fs/promises';
import { parseDocument, LineCounter, isMap, isSeq, isScalar } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { KlabError, ExitCode, fill } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { Text } from '../i18n/index.js';
import type { Check } from './types.js';
import { validateCheckSpecs, checkFromSpec } from './kinds.js';
import type { CheckSpec } from './kinds.js';

function lineCounterOf(src: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') lc.addNewLine(i + 1);
  return lc;
}

/**
 * The 1-based line of the node a JSON pointer (e.g. "/3/selector/labels") points at in a parsed YAML document.
 * When the pointer goes further than the document (a missing field), the deepest existing node's line is used.
 * `lines` is the LineCounter given to parseDocument, or the source text.
 */
export function lineOfPointer(doc: Document, pointer: string, lines?: LineCounter | string): number | undefined {
  const lc = typeof lines === 'string' ? lineCounterOf(lines) : lines;
  if (!lc) return undefined;
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let pos: number | undefined = (doc.contents as YamlNode | null)?.range?.[0];
  for (const seg of segs) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg);
      if (!pair) break;
      const k = pair.key as YamlNode | null;
      pos = k?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? pos;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as YamlNode | undefined;
      if (!item || !/^\d+$/.test(seg)) break;
      pos = item.range?.[0] ?? pos;
      node = item;
    } else break;
  }
  return pos === undefined ? undefined : lc.linePos(pos).line;
}

export interface CheckFile { checks: CheckSpec[]; namespace?: string; params: Record<string, string> }

/** One YAML parse error as a message: several documents in one file are explained, not just named. */
export function yamlProblem(e: { code?: string; message: string }): Text {
  if (e.code === 'MULTIPLE_DOCS') return msg('yaml.multiDoc');
  return msg('lab.yamlSyntax', { detail: e.message.split('\n')[0] });
}

/** Parse and validate a check file's text; throws KlabError (exit 2) listing `file:line: message` lines. */
export function parseCheckFile(src: string, file: string): CheckFile {
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false });
  const problems: { line?: number; message: Text }[] = [];
  for (const e of doc.errors) problems.push({ line: lc.linePos(e.pos[0]).line, message: yamlProblem(e) });
  let specs: unknown[] = [];
  let prefix = '';
  let namespace: string | undefined;
  let params: Record<string, string> = {};
  if (!problems.length) {
    let data: unknown;
    try { data = doc.toJS(); } catch (e) {
      data = undefined;
      problems.push({ line: 1, message: msg('yaml.aliases', { detail: (e as Error).message }) });
    }
    if (problems.length) { /* reported below */ } else if (Array.isArray(data)) specs = data;
    else if (data && typeof data === 'object' && Array.isArray((data as any).checks)) {
      const d = data as any;
      specs = d.checks;
      prefix = '/checks';
      if (typeof d.namespace === 'string') namespace = d.namespace;
      if (d.params && typeof d.params === 'object') params = Object.fromEntries(Object.entries(d.params).map(([k, v]) => [k, String(v)]));
      for (const k of Object.keys(d)) {
        if (!['checks', 'namespace', 'params'].includes(k)) problems.push({ line: lineOfPointer(doc, `/${k}`, lc), message: fill({ ko: "알 수 없는 최상위 필드 '{k}' (checks, namespace, params만 씁니다).", en: "unknown top-level field '{k}' (only checks, namespace, params)." }, { k }) });
      }
    } else {
      problems.push({ line: 1, message: { ko: '검사 목록(- id: … kind: …) 또는 checks: 목록이 있는 객체여야 합니다.', en: 'expected a list of checks (- id: … kind: …) or an object with a checks: list.' } });
    }
    if (!problems.length) {
      if (!specs.length) problems.push({ line: 1, message: { ko: '검사가 하나도 없습니다.', en: 'the file has no checks.' } });
      for (const p of validateCheckSpecs(specs)) problems.push({ line: lineOfPointer(doc, prefix + p.path, lc), message: p.message });
    }
  }
  if (problems.length) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const line = (p: { line?: number; message: Text }, l: 'ko' | 'en') => `${file}${p.line ? ':' + p.line : ''}: ${p.message[l]}`;
    const all = (l: 'ko' | 'en') => problems.map((p) => line(p, l)).join('\n');
    // One problem: its file:line is the first line. Several: a count first, then one line each.
    throw new KlabError(problems.length === 1 ? { ko: all('ko'), en: all('en') } : {
      ko: `검사 파일에 문제가 있습니다 (${problems.length}개):\n${all('ko')}`,
      en: `The check file has ${problems.length} problem(s):\n${all('en')}`,
    }, ExitCode.usage);
  }
  return { checks: specs as CheckSpec[], namespace, params };
}

/** Load a check file into runnable Checks (params declared in the file are filled in; run-time params override). */
export async function loadCheckFile(path: string): Promise<Check[]> {
  let src: string;
  try { src = await readFile(path, 'utf8'); } catch (e) {
    throw new KlabError(fill({ ko: '검사 파일을 읽을 수 없습니다: {p} ({m})', en: 'Cannot read the check file: {p} ({m})' }, { p: path, m: (e as NodeJS.ErrnoException).code ?? String(e) }), ExitCode.usage);
  }
  const f = parseCheckFile(src, path);
  const params = { ...(f.namespace ? { namespace: f.namespace } : {}), ...f.params };
  return f.checks.map((s) => {
    const c = checkFromSpec(s, params);
    // A file-level namespace is the default for specs that name none.
    if (!f.namespace) return c;
    return { ...c, probe: (ctx) => c.probe({ ...ctx, namespace: f.namespace!, params: { ...params, ...ctx.params } }) };
  });
}
