// The registry of declarative check kinds. Each kind file (env-in-pod.ts, …) calls registerKind() once;
// kinds.ts imports them all and builds the JSON Schema, the validator and checkFromSpec() from this map.
import type { CapabilityName } from '../cluster/provider.js';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, ProbeResult } from './types.js';

export type Spec = Record<string, any>;

/**
 * The TypeScript type of a value valid against JSON Schema `S`, for the subset of JSON Schema the check kinds use
 * (type, properties/required, items, enum, anyOf, additionalProperties). A kind's `properties` are inferred `const`
 * by registerKind(), so its validate/title/probe callbacks get a spec type derived from the same schema that
 * validates lab files: tsc checks a kind's use of its spec against its schema (issue 10).
 */
export type FromSchema<S> =
  S extends { readonly enum: readonly (infer E)[] } ? E
  : S extends { readonly anyOf: readonly (infer A)[] } ? FromSchema<A>
  : S extends { readonly type: 'string' } ? string
  : S extends { readonly type: 'number' | 'integer' } ? number
  : S extends { readonly type: 'boolean' } ? boolean
  : S extends { readonly type: 'array'; readonly items: infer I } ? FromSchema<I>[]
  : S extends { readonly type: 'object'; readonly properties: infer P } ? SpecOf<P, S extends { readonly required: readonly (infer R)[] } ? R : never>
  : S extends { readonly type: 'object'; readonly additionalProperties: infer V } ? (V extends object ? Record<string, FromSchema<V>> : Record<string, unknown>)
  : S extends { readonly type: 'object' } ? Record<string, any>
  : any;

/** The spec type of a kind: its `properties`, the names in `required` present, the others optional. */
export type SpecOf<P, R = never> = { -readonly [K in keyof P as K extends R ? K : never]: FromSchema<P[K]> } & { -readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K]> };

export interface SpecProblem { path: string; message: Text }

/** The fields every check spec has (checkers/kinds.ts `commonProperties`). */
export interface CommonSpec {
  id: string; kind: string; title?: Text | string; points?: number; required?: boolean; requires?: string[];
  step?: number; timeout?: number | string; hint?: Text | string; needs?: string[];
}

export interface KindDef<P = Record<string, object>, R extends string = string, S = SpecOf<P, R> & CommonSpec> {
  kind: string;
  description: Text;
  /** JSON Schema of the kind's own parameters (common fields are added by kinds.ts). */
  properties: P;
  required?: readonly R[];
  /** Extra JSON Schema keywords for the kind (e.g. anyOf of required sets). */
  extra?: Record<string, unknown>;
  /** Default polling timeout in ms when the spec has none (undefined: the runner's default). */
  defaultTimeoutMs?: number;
  /** Checks beyond JSON Schema (selector syntax, …), on the raw spec. Paths are relative to the spec ("/selector"). */
  validate?(spec: S): SpecProblem[];
  /** Capabilities this spec needs (the runner skips the check without them). */
  needs?(spec: S): CapabilityName[];
  /** A title when the spec gives none. */
  title(spec: S): Text;
  /** The probe; `spec` has had `{param}` placeholders filled from ctx.params. */
  probe(spec: S, ctx: CheckContext): Promise<ProbeResult>;
}

export const registry = new Map<string, KindDef<Record<string, object>, string, Spec>>();

export function registerKind<const P extends Record<string, object>, const R extends Extract<keyof P, string> = never>(def: KindDef<P, R>): void {
  if (registry.has(def.kind)) throw new Error(`check kind registered twice: ${def.kind}`);
  registry.set(def.kind, def as unknown as KindDef<Record<string, object>, string, Spec>);
}

// ---- shared schema fragments ----

export const textSchema = {
  anyOf: [
    { type: 'string' },
    { type: 'object', required: ['ko', 'en'], properties: { ko: { type: 'string' }, en: { type: 'string' } }, additionalProperties: false },
  ],
} as const;

export const labelsSchema = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const podSelectorSchema = {
  type: 'object',
  properties: {
    namespace: { type: 'string', minLength: 1 },
    deployment: { type: 'string', minLength: 1 },
    labels: { ...labelsSchema, minProperties: 1 },
    labelSelector: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
  },
  additionalProperties: false,
  anyOf: [{ required: ['deployment'] }, { required: ['labels'] }, { required: ['labelSelector'] }, { required: ['name'] }],
} as const;

// ---- label selector syntax (so a malformed selector is a schema error before anything runs) ----

const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const KEY_RE = new RegExp(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?${NAME}$`);
const VALUE_RE = new RegExp(`^(${NAME})?$`);

/** A label key is valid (prefix/name). Placeholders `{param}` are accepted as they are filled later. */
export function validLabelKey(k: string): boolean { return /\{[\w.]+\}/.test(k) || KEY_RE.test(k); }
export function validLabelValue(v: string): boolean { return /\{[\w.]+\}/.test(v) || VALUE_RE.test(v); }

/** null when `s` is a valid Kubernetes label selector, else what is wrong. */
export function labelSelectorError(s: string): Text | null {
  if (/\{[\w.]+\}/.test(s)) s = s.replace(/\{\{?\s*(params\.)?[\w.]+\s*\}?\}/g, 'x');
  const T = (ko: string, en: string): Text => ({ ko, en });
  const parts: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) return T("')'의 짝이 맞지 않습니다", 'unbalanced ")"');
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  if (depth !== 0) return T("'('의 짝이 맞지 않습니다", 'unbalanced "("');
  parts.push(cur);
  const badKey = (k: string) => T(`잘못된 레이블 키 "${k}"`, `invalid label key "${k}"`);
  const badVal = (v: string) => T(`잘못된 레이블 값 "${v}"`, `invalid label value "${v}"`);
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) return T('빈 조건이 있습니다 (쉼표가 남았나요?)', 'empty requirement (stray comma?)');
    let m: RegExpExecArray | null;
    if ((m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(p))) {
      if (!KEY_RE.test(m[1])) return badKey(m[1]);
      if (!VALUE_RE.test(m[3])) return badVal(m[3]);
    } else if ((m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(p))) {
      if (!KEY_RE.test(m[1])) return badKey(m[1]);
      if (m[3].trim() === '') return T(`"${m[2]}"에는 값이 하나 이상 필요합니다`, `"${m[2]}" needs at least one value`);
      for (const v of m[3].split(',').map((x) => x.trim())) if (!VALUE_RE.test(v) || v === '') return badVal(v);
    } else if ((m = /^!?\s*(\S+)$/.exec(p)) && KEY_RE.test(m[1])) {
      // existence requirement
    } else {
      return T(`잘못된 조건 "${p}"`, `invalid requirement "${p}"`);
    }
  }
  return null;
}

/** Problems in a pod selector object at `base` (e.g. "/selector"). */
export function podSelectorProblems(sel: unknown, base: string): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (!sel || typeof sel !== 'object') return out;
  const s = sel as Spec;
  if (typeof s.labelSelector === 'string') {
    const err = labelSelectorError(s.labelSelector);
    if (err) out.push({ path: `${base}/labelSelector`, message: { ko: `잘못된 레이블 셀렉터: ${err.ko}`, en: `malformed label selector: ${err.en}` } });
  }
  if (s.labels && typeof s.labels === 'object') out.push(...labelMapProblems(s.labels, `${base}/labels`));
  return out;
}

export function labelMapProblems(labels: Record<string, unknown>, base: string): SpecProblem[] {
  const out: SpecProblem[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const p = `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!validLabelKey(k)) out.push({ path: p, message: { ko: `잘못된 레이블 키 "${k}"`, en: `invalid label key "${k}"` } });
    else if (typeof v === 'string' && !validLabelValue(v)) out.push({ path: p, message: { ko: `잘못된 레이블 값 "${v}" (영숫자, '-', '_', '.'만, 63자 이하)`, en: `invalid label value "${v}" (alphanumerics, '-', '_', '.', at most 63 characters)` } });
  }
  return out;
}

// ---- params ----

/** Fill `{name}` and `{{ params.name }}` placeholders in every string (and key) of a spec; unknown names stay visible. */
export function fillParams<T>(value: T, params: Record<string, string>): T {
  const sub = (s: string) => s
    .replace(/\{\{\s*(?:params\.)?([\w.-]+)\s*\}\}/g, (m, k: string) => (params[k] === undefined ? m : params[k]))
    .replace(/\{([\w.-]+)\}/g, (m, k: string) => (params[k] === undefined ? m : params[k]));
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return sub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[sub(k)] = walk(x);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}

export function asText(t: unknown): Text | undefined {
  if (t === undefined || t === null) return undefined;
  if (typeof t === 'string') return { ko: t, en: t };
  return t as Text;
}

/** Like i18n's fill(), but a variable may itself be a Text (each language gets its own version). */
export function tfill(text: Text, vars: Record<string, string | number | Text | undefined>): Text {
  const pick = (lang: 'ko' | 'en') => {
    const o: Record<string, string | number | undefined> = {};
    for (const [k, v] of Object.entries(vars)) o[k] = v && typeof v === 'object' ? v[lang] : v;
    return o;
  };
  return { ko: fill(text, pick('ko')).ko, en: fill(text, pick('en')).en };
}
