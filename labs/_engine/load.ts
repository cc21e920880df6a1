// The lab loader: reads labs/<id>/lab.yaml, validates it against lab.schema.json (errors as file:line: message in
// the user's language, exit 2), checks what the schema cannot (texts exist, ids unique, params defined), and loads the
// lab's code (checks.ts, setup.ts, solution.ts, reset.ts) from the compiled tree.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { KlabError, ExitCode, type Text, type Lang } from '../../i18n/index.js';
import { msg } from '../../i18n/messages.js';
import type { CapabilityName } from '../../cluster/provider.js';
import { deriveParams, placeholders, type ParamDef } from './params.js';
import { lineOfPointer, yamlProblem } from '../../checkers/assert.js';
import { validateCheckSpecs, parseDuration, MAX_TIMEOUT_MS } from '../../checkers/kinds.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository (package) root: this file is dist/labs/_engine/load.js. */
export const rootDir = resolve(here, '../../..');
export const distDir = resolve(here, '../..');
export function labsDir(): string { return process.env.KLAB_LABS_DIR ?? join(rootDir, 'labs'); }

export interface CheckDecl { id: string; kind?: string; points: number; title?: Text; hint?: Text; required?: boolean; requires?: string[]; timeout?: number | string; [k: string]: unknown }
export interface StepDef { id: string; title: Text; text: string; hints?: Text[]; questions?: { id: string; prompt: Text }[]; checks: CheckDecl[] }
export interface LabDef {
  id: string; level: 'low' | 'mid' | 'high'; title: Text; summary?: Text; minutes: number;
  needs?: CapabilityName[]; addons?: string[]; namespace: string; params?: Record<string, ParamDef>; steps: StepDef[];
}
export interface Lab {
  def: LabDef;
  dir: string;
  /** Step number (1-based) of each check id. */
  stepOf: Map<string, number>;
}

/** A path as the user knows it: relative to the working folder when inside it, else absolute. */
function shownPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

export interface LabProblem { file: string; line: number; message: Text }

function problemsError(problems: LabProblem[]): KlabError {
  const line = (p: LabProblem, l: Lang) => `${p.file}:${p.line}: ${p.message[l]}`;
  return new KlabError({ ko: problems.map((p) => line(p, 'ko')).join('\n'), en: problems.map((p) => line(p, 'en')).join('\n') }, ExitCode.usage);
}

interface SchemaError { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }
type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
let validator: Validator | undefined;
async function validate(data: unknown) {
  if (!validator) {
    const { Ajv } = await import('ajv');
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schema = JSON.parse(readFileSync(join(rootDir, 'labs/_engine/lab.schema.json'), 'utf8'));
    validator = ajv.compile(schema) as unknown as Validator;
  }
  validator!(data);
  return validator!.errors ?? [];
}

function schemaMessage(e: SchemaError): { text: Text; key?: string } {
  const path = e.instancePath || '/';
  switch (e.keyword) {
    case 'required': return { text: msg('lab.schema.required', { prop: String(e.params.missingProperty) }) };
    case 'additionalProperties': return { text: msg('lab.schema.additional', { prop: String(e.params.additionalProperty) }), key: String(e.params.additionalProperty) };
    case 'type': return { text: msg('lab.schema.type', { path, type: String(e.params.type) }) };
    case 'enum': return { text: msg('lab.schema.enum', { path, allowed: (e.params.allowedValues as unknown[]).join(', ') }) };
    case 'pattern': return { text: msg('lab.schema.pattern', { path, pattern: String(e.params.pattern) }) };
    case 'minimum': return { text: msg('lab.schema.minimum', { path, limit: String(e.params.limit) }) };
    case 'maximum': return { text: msg('lab.schema.maximum', { path, limit: String(e.params.limit) }) };
    case 'minItems': case 'minLength': return { text: msg('lab.schema.minItems', { path, limit: String(e.params.limit) }) };
    default: return { text: msg('lab.schema.other', { path, detail: e.message ?? e.keyword }) };
  }
}

/** Parse and validate one lab.yaml; throws KlabError (exit 2) listing every problem as file:line. */
export async function parseLabFile(file: string, dirName?: string): Promise<LabDef> {
  const shown = shownPath(file);
  let src: string;
  try { src = readFileSync(file, 'utf8'); } catch (e) {
    throw problemsError([{ file: shown, line: 1, message: msg('lab.unreadable', { detail: (e as NodeJS.ErrnoException).code ?? String(e) }) }]);
  }
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw problemsError(doc.errors.map((e) => ({ file: shown, line: lc.linePos(e.pos[0]).line, message: yamlProblem(e) })));
  }
  let data: LabDef;
  try { data = doc.toJS() as LabDef; } catch (e) {
    throw problemsError([{ file: shown, line: 1, message: msg('yaml.aliases', { detail: (e as Error).message }) }]);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw problemsError([{ file: shown, line: 1, message: msg('lab.notMapping') }]);
  const problems: LabProblem[] = [];
  const lineOf = (pointer: string, key?: string) => lineOfPointer(doc, key === undefined ? pointer : `${pointer}/${key}`, lc) ?? 1;
  for (const e of await validate(data)) {
    // Ajv reports both the failing branch and its parent for some keywords; one line each is enough.
    const { text, key } = schemaMessage(e);
    problems.push({ file: shown, line: lineOf(e.instancePath, key), message: text });
  }
  if (problems.length) throw problemsError(dedupe(problems));

  // What the schema cannot say.
  if (dirName && data.id !== dirName) problems.push({ file: shown, line: lineOf('/id'), message: msg('lab.idMismatch', { id: data.id, dir: dirName }) });
  const seen = new Set<string>();
  data.steps.forEach((s, si) => s.checks.forEach((c, ci) => {
    if (seen.has(c.id)) problems.push({ file: shown, line: lineOf(`/steps/${si}/checks/${ci}/id`), message: msg('lab.checkDuplicate', { id: c.id }) });
    seen.add(c.id);
  }));
  data.steps.forEach((s, si) => s.checks.forEach((c, ci) => (c.requires ?? []).forEach((dep, di) => {
    if (!seen.has(dep)) problems.push({ file: shown, line: lineOf(`/steps/${si}/checks/${ci}/requires/${di}`), message: msg('lab.requiresUnknown', { id: c.id, dep }) });
  })));
  const known = new Set(['seed', 'lab', 'namespace', ...Object.keys(data.params ?? {})]);
  const usesOf = (v: string, ptr: string) => placeholders(v).forEach((name) => {
    if (!known.has(name)) problems.push({ file: shown, line: lineOf(ptr), message: msg('lab.paramUnknown', { value: v, name: `{${name}}` }) });
  });
  usesOf(data.namespace, '/namespace');
  for (const [name, p] of Object.entries(data.params ?? {})) if (p.kind === 'template') usesOf(p.value ?? '', `/params/${name}/value`);
  for (const [name, p] of Object.entries(data.params ?? {})) {
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) problems.push({ file: shown, line: lineOf(`/params/${name}/min`), message: msg('lab.paramRange', { name, min: p.min, max: p.max }) });
    const cycle = templateCycle(name, data.params ?? {});
    if (cycle) problems.push({ file: shown, line: lineOf(`/params/${name}/value`), message: msg('lab.paramCycle', { name, cycle: cycle.join(' → ') }) });
  }
  data.steps.forEach((s, si) => s.checks.forEach((c, ci) => {
    if (c.timeout === undefined) return;
    const ms = parseDuration(c.timeout);
    if (ms === undefined || ms > MAX_TIMEOUT_MS) problems.push({ file: shown, line: lineOf(`/steps/${si}/checks/${ci}/timeout`), message: msg('lab.timeoutRange', { value: String(c.timeout), max: MAX_TIMEOUT_MS / 1000 }) });
  }));
  // Declarative checks: the check kind's own schema and rules (ids and requires are checked above, across the lab).
  data.steps.forEach((s, si) => s.checks.forEach((c, ci) => {
    if (!c.kind) return;
    const { requires: _r, ...spec } = c;
    for (const p of validateCheckSpecs([spec])) {
      const ptr = `/steps/${si}/checks/${ci}${p.path.replace(/^\/0/, '')}`;
      problems.push({ file: shown, line: lineOf(ptr), message: p.message });
    }
  }));
  const dir = dirname(file);
  data.steps.forEach((s, si) => (['ko', 'en'] as const).forEach((l) => {
    const p = join(dir, 'steps', `${s.text}.${l}.md`);
    if (!existsSync(p)) problems.push({ file: shown, line: lineOf(`/steps/${si}/text`), message: msg('lab.stepTextMissing', { path: shownPath(p) }) });
  }));
  if (problems.length) throw problemsError(problems);
  return data;
}

/** The chain by which template `name` comes back to itself ({a} uses {b} uses {a}), if it does. */
function templateCycle(name: string, params: Record<string, ParamDef>): string[] | undefined {
  const walk = (cur: string, trail: string[]): string[] | undefined => {
    const p = params[cur];
    if (!p || p.kind !== 'template') return undefined;
    for (const used of placeholders(p.value ?? '')) {
      if (used === name) return [...trail, cur, used];
      if (!trail.includes(used) && used !== cur) { const c = walk(used, [...trail, cur]); if (c) return c; }
    }
    return undefined;
  };
  return walk(name, []);
}

function dedupe(ps: LabProblem[]): LabProblem[] {
  const seen = new Set<string>();
  return ps.filter((p) => { const k = `${p.line}|${p.message.en}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

export function labIds(): string[] {
  const dir = labsDir();
  let names: string[];
  try { names = readdirSync(dir); } catch (e) {
    throw new KlabError(msg('lab.dirMissing', { dir, detail: (e as NodeJS.ErrnoException).code ?? String(e), env: process.env.KLAB_LABS_DIR ? 'KLAB_LABS_DIR' : '-' }), ExitCode.usage);
  }
  const isDir = (p: string) => { try { return statSync(p).isDirectory(); } catch { return false; } };
  return names.filter((d) => !d.startsWith('_') && !d.startsWith('.') && isDir(join(dir, d)) && existsSync(join(dir, d, 'lab.yaml'))).sort();
}

export async function loadLab(id: string): Promise<Lab> {
  const ids = labIds();
  if (!ids.includes(id)) throw new KlabError(msg('lab.notFound', { id, ids: ids.join(', ') }), ExitCode.usage);
  const dir = join(labsDir(), id);
  const def = await parseLabFile(join(dir, 'lab.yaml'), id);
  const stepOf = new Map<string, number>();
  def.steps.forEach((s, i) => s.checks.forEach((c) => stepOf.set(c.id, i + 1)));
  return { def, dir, stepOf };
}

export async function loadAllLabs(): Promise<Lab[]> {
  return Promise.all(labIds().map((id) => loadLab(id)));
}

export function labParams(lab: Lab, seed: string): Record<string, string> {
  const p = deriveParams(seed, lab.def.id, lab.def.params);
  p.namespace = p.namespace ?? '';
  p.namespace = lab.def.namespace.replace(/\{([A-Za-z_]\w*)\}/g, (m, k: string) => p[k] ?? m);
  return p;
}

/** The step text in the chosen language. */
export function stepText(lab: Lab, step: number, lang: Lang): string {
  return readFileSync(join(lab.dir, 'steps', `${lab.def.steps[step - 1].text}.${lang}.md`), 'utf8');
}

/** Load one of the lab's code modules (compiled next to dist/labs/<id>/). Missing → undefined. */
export async function labModule<T>(lab: Lab, name: 'checks' | 'setup' | 'solution' | 'reset'): Promise<T | undefined> {
  const compiled = join(distDir, 'labs', lab.def.id, `${name}.js`);
  const source = join(lab.dir, `${name}.ts`);
  if (!existsSync(compiled)) {
    if (existsSync(source)) throw new KlabError(msg('lab.codeError', { file: relative(process.cwd(), source), detail: 'not compiled: run npm run build' }), ExitCode.usage);
    return undefined;
  }
  try {
    return (await import(pathToFileURL(compiled).href)) as T;
  } catch (e) {
    throw new KlabError(msg('lab.codeError', { file: relative(process.cwd(), source), detail: (e as Error).message }), ExitCode.usage);
  }
}
