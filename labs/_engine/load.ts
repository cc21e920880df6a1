// The lab loader: reads labs/<id>/lab.yaml, validates it against lab.schema.json (errors as file:line: message in
// the user's language, exit 2), checks what the schema cannot (texts exist, ids unique, params defined), and loads the
// lab's code (checks.ts, setup.ts, solution.ts, reset.ts) from the compiled tree.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KlabError, ExitCode, type Text, type Lang } from '../../i18n/index.js';
import { msg, fileProblemsError, type FileProblem, type SchemaError } from '../../i18n/messages.js';
import { parseYamlFile } from '../../i18n/yaml-file.js';
import { packagePath, workRoot } from '../../cluster/paths.js';
import { imageRegistry, type CapabilityName, type ProviderName } from '../../cluster/provider.js';
import { deriveParams, placeholders, type ParamDef } from './params.js';
import { validateCheckSpecs, parseDuration, MAX_TIMEOUT_MS } from '../../checkers/kinds.js';

/** The compiled tree: this file is dist/labs/_engine/load.js. */
export const distDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export function labsDir(): string { return process.env.KLAB_LABS_DIR ?? packagePath('labs'); }

export interface CheckDecl { id: string; kind?: string; points: number; title?: Text; hint?: Text; required?: boolean; requires?: string[]; timeout?: number | string; [k: string]: unknown }
export interface StepDef { id: string; title: Text; text: string; hints?: Text[]; questions?: { id: string; prompt: Text }[]; checks: CheckDecl[] }
export interface LabDef {
  id: string; level: 'low' | 'mid' | 'high'; title: Text; summary?: Text; minutes: number;
  needs?: CapabilityName[]; addons?: string[]; namespace: string; params?: Record<string, ParamDef>; steps: StepDef[];
  submission?: SubmissionDef;
  /** `klab traffic`: the Service sampled and the steps whose checks read a recording (checkers/traffic.ts). */
  traffic?: { service: string; port?: number | string; steps: string[]; steady?: Record<string, { service?: string; for: string }> };
}
/** How `klab grade --submission` grades a submitted folder for this lab (grade/submission/). */
export interface SubmissionDef {
  kind: 'chart' | 'workflows';
  release?: string;
  values?: Record<string, string | string[]>;
  /** The param naming the submitted folder in the lab's checks (e.g. i-h1's `chart`); default `submissionDir`. */
  param?: string;
  install?: string;
  run?: { template?: string; parameters?: Record<string, string> };
  static?: string[];
  live?: string[];
  points?: Partial<Record<'files' | 'lint' | 'render' | 'install' | 'policy', number>>;
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

type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
let validator: Validator | undefined;
async function validate(data: unknown): Promise<SchemaError[]> {
  if (!validator) {
    const { validatorFor } = await import('../../checkers/validators.js');
    validator = validatorFor('lab', JSON.parse(readFileSync(packagePath('labs', '_engine', 'lab.schema.json'), 'utf8'))) as Validator;
  }
  validator!(data);
  return validator!.errors ?? [];
}

/** Parse and validate one lab.yaml; throws KlabError (exit 2) listing every problem as file:line. */
export async function parseLabFile(file: string, dirName?: string): Promise<LabDef> {
  const shown = shownPath(file);
  let src: string;
  try { src = readFileSync(file, 'utf8'); } catch (e) {
    throw fileProblemsError([{ file: shown, line: 1, message: msg('lab.unreadable', { detail: (e as NodeJS.ErrnoException).code ?? String(e) }) }]);
  }
  const { data, lineOf } = await parseYamlFile<LabDef>(src, shown, validate, msg('lab.notMapping'));
  const problems: FileProblem[] = [];

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
  const known = new Set(['seed', 'lab', 'namespace', 'workdir', 'registry', 'lbaddr', ...Object.keys(data.params ?? {})]);
  const usesOf = (v: string, ptr: string) => placeholders(v).forEach((name) => {
    if (!known.has(name)) problems.push({ file: shown, line: lineOf(ptr), message: msg('lab.paramUnknown', { value: v, name: `{${name}}` }) });
  });
  usesOf(data.namespace, '/namespace');
  if (data.traffic) {
    usesOf(data.traffic.service, '/traffic/service');
    const stepIds = new Set(data.steps.map((s) => s.id));
    data.traffic.steps.forEach((id, i) => { if (!stepIds.has(id)) problems.push({ file: shown, line: lineOf(`/traffic/steps/${i}`), message: msg('lab.trafficStepUnknown', { id }) }); });
    for (const [id, st] of Object.entries(data.traffic.steady ?? {})) {
      if (!data.traffic.steps.includes(id)) problems.push({ file: shown, line: lineOf(`/traffic/steady/${id}`), message: msg('lab.trafficStepUnknown', { id }) });
      if (st.service) usesOf(st.service, `/traffic/steady/${id}/service`);
    }
  }
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
  const sub = data.submission;
  if (sub) {
    for (const field of ['static', 'live'] as const) (sub[field] ?? []).forEach((id, i) => {
      if (!seen.has(id)) problems.push({ file: shown, line: lineOf(`/submission/${field}/${i}`), message: msg('lab.submissionUnknown', { id, field }) });
    });
    if (sub.kind === 'chart') for (const field of ['release', 'values'] as const) {
      if (sub[field] === undefined) problems.push({ file: shown, line: lineOf('/submission'), message: msg('lab.submissionField', { kind: sub.kind, field }) });
    }
    if (sub.install !== undefined && !Object.keys(sub.values ?? {}).includes(sub.install)) {
      problems.push({ file: shown, line: lineOf('/submission/install'), message: msg('lab.submissionInstall', { env: sub.install, envs: Object.keys(sub.values ?? {}).join(', ') }) });
    }
  }
  const dir = dirname(file);
  data.steps.forEach((s, si) => (['ko', 'en'] as const).forEach((l) => {
    const p = join(dir, 'steps', `${s.text}.${l}.md`);
    if (!existsSync(p)) problems.push({ file: shown, line: lineOf(`/steps/${si}/text`), message: msg('lab.stepTextMissing', { path: shownPath(p) }) });
  }));
  if (problems.length) throw fileProblemsError(problems);
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

/**
 * The seeded params of a lab, plus two that come from where it runs, not from the seed: `workdir` (the trainee's
 * working folder, cluster/paths.ts workRoot()/<lab>) and, given the cluster's provider, `registry` (the image
 * registry the trainee pushes to, cluster/provider.ts imageRegistry(): $KLAB_REGISTRY, else the one the cluster
 * advertises once connected — `where.registry`, kube-public/local-registry-hosting — else the provider's own), and
 * `lbaddr` where the provider names an address block for LoadBalancer pools (`where.lbRange`, see lbAddress).
 */
export function labParams(lab: Lab, seed: string, where?: { provider: ProviderName; registry?: string; lbRange?: string }, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const p = deriveParams(seed, lab.def.id, lab.def.params);
  p.workdir = join(workRoot(env), lab.def.id);
  const registry = where ? imageRegistry(where.provider, env, where.registry) : undefined;
  if (registry) p.registry = registry;
  const lbaddr = where?.lbRange ? lbAddress(where.lbRange, `${lab.def.id}:${seed}`) : undefined;
  if (lbaddr) p.lbaddr = lbaddr;
  // Templates may use the runtime params too ({registry}/{app}…): filled again now that they are known.
  for (const [name, d] of Object.entries(lab.def.params ?? {})) if (d.kind === 'template' && d.value) p[name] = d.value.replace(/\{([A-Za-z_]\w*)\}/g, (m, k: string) => p[k] ?? m);
  p.namespace = lab.def.namespace.replace(/\{([A-Za-z_]\w*)\}/g, (m, k: string) => p[k] ?? m);
  return p;
}

/**
 * One IPv4 address for a trainee's LoadBalancer pool, derived from the seed: in the upper half of `range` (a CIDR),
 * which Docker does not hand to kind's node containers (it counts up from the bottom) and which holds tens of
 * thousands of addresses in a /16, so trainees sharing a cluster do not pick the same one (MetalLB refuses
 * overlapping pools). Never the block's last (broadcast) address. Undefined for a range it cannot use.
 */
export function lbAddress(range: string, key: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(range.trim());
  if (!m) return undefined;
  const bits = Number(m[5]);
  const octets = m.slice(1, 5).map(Number);
  if (bits < 8 || bits > 29 || octets.some((o) => o > 255)) return undefined;
  const size = 2 ** (32 - bits);
  const base = (((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!) & ~(size - 1) >>> 0;
  const h = createHash('sha256').update(key).digest().readUInt32BE(0);
  const n = ((base >>> 0) + size / 2 + (h % (size / 2 - 1))) >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The step text in the chosen language. */
export function stepText(lab: Lab, step: number, lang: Lang): string {
  return readFileSync(join(lab.dir, 'steps', `${lab.def.steps[step - 1].text}.${lang}.md`), 'utf8');
}

/** solution.ts `commands`: what "Show the solution" prints, per step id (docs/lab-authoring.*.md). */
export type SolutionCommands = (params: Record<string, string>) => Record<string, string[]>;

/** The reference solution's commands for one step only (never a later step's answers). */
export async function solutionCommands(lab: Lab, step: number, params: Record<string, string>): Promise<string[]> {
  const mod = await labModule<{ commands?: SolutionCommands }>(lab, 'solution');
  return mod?.commands?.(params)[lab.def.steps[step - 1].id] ?? [];
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
