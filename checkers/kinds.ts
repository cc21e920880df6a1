// Declarative checks: a check kind plus parameters (in lab.yaml or a `klab assert -f` file) becomes a Check.
// This file owns the common fields, the JSON Schema (one if/then branch per kind), and validation messages in
// Korean and English with JSON-pointer paths (mapped to file:line by assert.ts / the lab loader).
import type { ErrorObject } from 'ajv';
import { validatorFor, type Validator } from './validators.js';
import { KlabError, ExitCode, fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { Check } from './types.js';
import { registry, textSchema, fillParams, asText } from './registry.js';
import type { Spec, SpecProblem } from './registry.js';
// Every kind registers itself on import: one file per kind.
import './env-in-pod.js';
import './node-placement.js';
import './helm-release.js';
import './rollout.js';
import './workflow.js';
import './pod-status.js';
import './resource-match.js';
import './service.js';
import './answer.js';
import './chart-render.js';
import './registry-image.js';
import './http-route.js';
import './httproute-accepted.js';
import { capabilityNames } from '../cluster/provider.js';

export type CheckSpec = Spec & {
  id: string; kind: string; title?: Text | string; points?: number; required?: boolean; requires?: string[];
  step?: number; timeout?: number | string; hint?: Text | string; needs?: string[];
};

/** The longest a check may poll: one hour (Node's timers overflow past ~24.8 days, and no lab needs more). */
export const MAX_TIMEOUT_MS = 3_600_000;

const CAPS = capabilityNames;

export const commonProperties: Record<string, object> = {
  id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
  kind: { type: 'string' },
  title: textSchema,
  points: { type: 'number', minimum: 0, maximum: 1000 },
  required: { type: 'boolean' },
  requires: { type: 'array', items: { type: 'string' } },
  step: { type: 'integer', minimum: 1 },
  timeout: { anyOf: [{ type: 'number', minimum: 0, maximum: MAX_TIMEOUT_MS / 1000 }, { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m)$' }] },
  hint: textSchema,
  needs: { type: 'array', items: { enum: CAPS } },
};

function buildSchema(): Record<string, unknown> {
  const kinds = [...registry.keys()].sort();
  return {
    $id: 'https://klab.dev/schema/check.json',
    title: 'klab check',
    description: 'One declarative klab check: common fields plus the parameters of its kind.',
    type: 'object',
    required: ['id', 'kind'],
    properties: { id: commonProperties.id, kind: { enum: kinds } },
    allOf: kinds.map((k) => {
      const def = registry.get(k)!;
      return {
        if: { type: 'object', properties: { kind: { const: k } }, required: ['kind'] },
        then: {
          description: def.description.en,
          properties: { ...commonProperties, ...def.properties },
          required: ['id', 'kind', ...(def.required ?? [])],
          additionalProperties: false,
          ...(def.extra ?? {}),
        },
      };
    }),
  };
}

/** JSON Schema of one check spec. */
export const checkSpecSchema: Record<string, unknown> = buildSchema();

/** JSON Schema of a `klab assert -f` file: a list of checks, or {checks: [...]} with optional defaults. */
export const checkFileSchema: Record<string, unknown> = {
  $id: 'https://klab.dev/schema/checks-file.json',
  anyOf: [
    { type: 'array', items: { $ref: 'check.json' } },
    { type: 'object', required: ['checks'], additionalProperties: false, properties: { namespace: { type: 'string' }, params: { type: 'object', additionalProperties: { type: 'string' } }, checks: { type: 'array', items: { $ref: 'check.json' } } } },
  ],
};

// Compiled at build time (checkers/validators.ts); only a changed schema is compiled at run time.
let compiled: Validator | undefined;
const validateOne = ((spec: unknown) => (compiled ??= validatorFor('check', checkSpecSchema))(spec)) as Validator;
Object.defineProperty(validateOne, 'errors', { get: () => compiled?.errors });

function lev(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function nearest(word: string, options: string[]): string | undefined {
  let best: string | undefined, bd = Infinity;
  for (const o of options) { const d = lev(word.toLowerCase(), o.toLowerCase()); if (d < bd) { bd = d; best = o; } }
  return bd <= Math.max(1, Math.floor(word.length / 3)) && bd < word.length ? best : undefined;
}

/** Turn Ajv errors for one spec into ko/en problems. */
function translate(errors: ErrorObject[], spec: Spec, base: string): SpecProblem[] {
  // An anyOf error explains its branches: drop the branches' own errors.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath);
  const kept = errors.filter((e) => e.keyword !== 'if' && !anyOfPaths.some((p) => e.schemaPath.startsWith(p + '/')));
  const out: SpecProblem[] = [];
  const def = registry.get(spec?.kind);
  const allowed = def ? [...Object.keys(commonProperties), ...Object.keys(def.properties)] : [];
  for (const e of kept) {
    let path = base + e.instancePath;
    let message: Text;
    const p: any = e.params;
    switch (e.keyword) {
      case 'required':
        message = fill({ ko: "필수 필드 '{f}'가 없습니다.", en: "missing required field '{f}'." }, { f: p.missingProperty });
        break;
      case 'additionalProperties': {
        path = `${path}/${String(p.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`;
        const near = e.instancePath === '' ? nearest(p.additionalProperty, allowed) : undefined;
        message = fill({ ko: "알 수 없는 필드 '{f}'{near}.", en: "unknown field '{f}'{nearEn}." },
          { f: p.additionalProperty, near: near ? ` ('${near}'인가요?)` : '', nearEn: near ? ` (did you mean '${near}'?)` : '' });
        break;
      }
      case 'enum': {
        if (e.instancePath === '/kind') {
          const k = String(spec?.kind);
          const near = nearest(k, [...registry.keys()]);
          message = fill({ ko: "알 수 없는 검사 종류 '{k}'{near}. 가능한 값: {list}", en: "unknown check kind '{k}'{nearEn}. Known kinds: {list}" },
            { k, near: near ? ` ('${near}'인가요?)` : '', nearEn: near ? ` (did you mean '${near}'?)` : '', list: [...registry.keys()].sort().join(', ') });
        } else message = fill({ ko: '다음 중 하나여야 합니다: {list}', en: 'must be one of: {list}' }, { list: (p.allowedValues ?? []).join(', ') });
        break;
      }
      case 'type': {
        const field = e.instancePath.split('/').pop() || '/';
        message = fill({ ko: "'{f}'은(는) {t} 타입이어야 합니다 (지금: {got}).", en: "'{f}' must be of type {t} (found {got})." },
          { f: field, t: Array.isArray(p.type) ? p.type.join(' or ') : p.type, got: e.data === null ? 'null' : Array.isArray(e.data) ? 'array' : typeof e.data });
        break;
      }
        break;
      case 'anyOf': {
        const branches: any[] = (e.schema as any[]) ?? [];
        const reqs = branches.every((b) => b && Array.isArray(b.required) && Object.keys(b).length === 1) ? branches.map((b) => b.required.join('+')) : null;
        message = e.instancePath.endsWith('/timeout')
          ? fill({ ko: "시간 형식이 잘못되었습니다: 초 단위 숫자(최대 {max}) 또는 '500ms', '30s', '2m'.", en: "bad duration: a number of seconds (at most {max}), or '500ms', '30s', '2m'." }, { max: MAX_TIMEOUT_MS / 1000 })
          : reqs
          ? fill({ ko: '다음 중 하나가 필요합니다: {list}', en: 'needs one of: {list}' }, { list: reqs.join(', ') })
          : { ko: '허용된 형식 중 어느 것과도 맞지 않습니다 (문서의 예를 보세요).', en: 'does not match any allowed form (see the examples in the docs).' };
        break;
      }
      case 'pattern':
        message = e.instancePath.endsWith('/timeout')
          ? { ko: "시간 형식이 잘못되었습니다: 초 단위 숫자 또는 '500ms', '30s', '2m'.", en: "bad duration: a number of seconds, or '500ms', '30s', '2m'." }
          : e.instancePath.endsWith('/id')
            ? { ko: '검사 id는 영숫자로 시작하고 영숫자, ".", "_", "-"만 쓸 수 있습니다.', en: 'a check id starts with a letter/digit and uses only letters, digits, ".", "_", "-".' }
            : fill({ ko: '형식 {p}와 맞지 않습니다.', en: 'must match the pattern {p}.' }, { p: p.pattern });
        break;
      case 'minimum': case 'maximum':
        message = fill({ ko: "'{f}'은(는) {op} {n}이어야 합니다.", en: "'{f}' must be {opEn} {n}." }, { f: e.instancePath.split('/').pop() || '/', op: e.keyword === 'minimum' ? '최소' : '최대', opEn: e.keyword === 'minimum' ? '>=' : '<=', n: p.limit });
        break;
      case 'minProperties': case 'minItems': case 'minLength':
        message = { ko: '비어 있으면 안 됩니다.', en: 'must not be empty.' };
        break;
      case 'const':
        message = fill({ ko: '{v} 이어야 합니다.', en: 'must be {v}.' }, { v: JSON.stringify(p.allowedValue) });
        break;
      default:
        message = { ko: e.message ?? e.keyword, en: e.message ?? e.keyword };
    }
    out.push({ path, message });
  }
  return out;
}

/** Validate a list of check specs. Paths are JSON pointers into the list (e.g. /3/selector). Empty = valid. */
export function validateCheckSpecs(specs: unknown[]): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (!Array.isArray(specs)) return [{ path: '', message: { ko: '검사 목록(배열)이어야 합니다.', en: 'must be a list of checks.' } }];
  const ids = new Map<string, number>();
  specs.forEach((raw, i) => {
    const base = `/${i}`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      out.push({ path: base, message: { ko: '검사는 객체(id, kind, …)여야 합니다.', en: 'a check must be an object (id, kind, …).' } });
      return;
    }
    const spec = raw as Spec;
    if (!validateOne(spec)) out.push(...translate((validateOne.errors ?? []) as ErrorObject[], spec, base));
    const def = registry.get(spec.kind);
    if (def?.validate) { try { for (const p of def.validate(spec)) out.push({ path: base + p.path, message: p.message }); } catch { /* schema errors already say it */ } }
    out.push(...regexProblems(spec, base));
    const ms = parseDuration(spec.timeout);
    if (typeof spec.timeout === 'string' && ms !== undefined && ms > MAX_TIMEOUT_MS) {
      out.push({ path: `${base}/timeout`, message: fill({ ko: 'timeout 은 최대 {n}초입니다.', en: 'timeout is at most {n} s.' }, { n: MAX_TIMEOUT_MS / 1000 }) });
    }
    if (typeof spec.id === 'string') {
      if (ids.has(spec.id)) out.push({ path: `${base}/id`, message: fill({ ko: "검사 id '{id}'가 중복됩니다 (/{j}/id 에도 있음).", en: "duplicate check id '{id}' (also at /{j}/id)." }, { id: spec.id, j: ids.get(spec.id)! }) });
      else ids.set(spec.id, i);
    }
  });
  // requires: known ids, no cycles
  const specsById = new Map<string, Spec>();
  for (const s of specs) if (s && typeof s === 'object' && typeof (s as Spec).id === 'string') specsById.set((s as Spec).id, s as Spec);
  specs.forEach((raw, i) => {
    const spec = raw as Spec;
    if (!spec || !Array.isArray(spec.requires)) return;
    spec.requires.forEach((r: unknown, j: number) => {
      if (typeof r !== 'string') return;
      if (!specsById.has(r)) {
        const near = nearest(r, [...specsById.keys()]);
        out.push({ path: `/${i}/requires/${j}`, message: fill({ ko: "없는 검사 '{r}'를 requires에 적었습니다{near}.", en: "requires an unknown check '{r}'{nearEn}." }, { r, near: near ? ` ('${near}'인가요?)` : '', nearEn: near ? ` (did you mean '${near}'?)` : '' }) });
      } else if (r === spec.id) {
        out.push({ path: `/${i}/requires/${j}`, message: { ko: '검사가 자기 자신을 requires 할 수 없습니다.', en: 'a check cannot require itself.' } });
      }
    });
  });
  const state = new Map<string, 1 | 2>();
  const cyc = (id: string, trail: string[]): string[] | null => {
    if (state.get(id) === 2) return null;
    if (state.get(id) === 1) return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 1);
    for (const r of (specsById.get(id)?.requires ?? []) as string[]) {
      if (r === id || !specsById.has(r)) continue;
      const c = cyc(r, [...trail, id]);
      if (c) return c;
    }
    state.set(id, 2);
    return null;
  };
  for (const [id] of specsById) {
    const c = cyc(id, []);
    if (c) {
      const i = specs.indexOf(specsById.get(id)!);
      out.push({ path: `/${i}/requires`, message: fill({ ko: 'requires가 순환합니다: {c}', en: 'requires forms a cycle: {c}' }, { c: c.join(' → ') }) });
      break;
    }
  }
  return out;
}

/** Every `$regex` in a spec compiles (at load, so a bad pattern is exit 2 with file:line, not a failure at run time). */
function regexProblems(v: unknown, path: string): SpecProblem[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => regexProblems(x, `${path}/${i}`));
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const p = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (k !== '$regex') return regexProblems(x, p);
    try { new RegExp(String(x)); return []; } catch (e) {
      return [{ path: p, message: fill({ ko: '정규식이 잘못되었습니다: {m}', en: 'invalid regular expression: {m}' }, { m: (e as Error).message }) }];
    }
  });
}

/** Seconds (number) or "500ms" / "30s" / "2m" → ms. */
export function parseDuration(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Math.round(v * 1000);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(v));
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60000);
}

/** Build a Check from a declarative spec (validated first; a bad spec is a usage error, exit 2). */
export function checkFromSpec(spec: CheckSpec, params: Record<string, string> = {}): Check {
  const problems = validateCheckSpecs([spec]);
  if (problems.length) {
    const lines = problems.map((p) => ({ ko: `${spec?.id ?? '?'}${p.path.slice(2)}: ${p.message.ko}`, en: `${spec?.id ?? '?'}${p.path.slice(2)}: ${p.message.en}` }));
    throw new KlabError({ ko: `잘못된 검사 정의:\n${lines.map((l) => l.ko).join('\n')}`, en: `invalid check definition:\n${lines.map((l) => l.en).join('\n')}` }, ExitCode.usage);
  }
  const def = registry.get(spec.kind)!;
  const shown = fillParams(spec, params);
  return {
    id: spec.id,
    title: asText(shown.title) ?? def.title(shown),
    points: spec.points ?? 1,
    required: spec.required ?? true,
    requires: spec.requires,
    needs: [...new Set([...(spec.needs ?? []), ...(def.needs?.(spec) ?? [])])] as Check['needs'],
    timeout: parseDuration(spec.timeout) ?? def.defaultTimeoutMs,
    hint: asText(shown.hint),
    step: spec.step,
    probe: (ctx) => def.probe(fillParams(spec, { ...params, ...ctx.params }), ctx),
  };
}

export { registry } from './registry.js';
