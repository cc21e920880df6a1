// Partial object matching, for resource-match, helm values and more.
// - Objects: only the expected keys are compared (extra keys in the actual object are fine).
// - Arrays: an expected element that has a `name` is matched to the actual element with that name — never by
//   position (KUTTL's exact-array rule is its users' top complaint). Other expected elements must each match some
//   actual element, in any order. Scalars in an expected array must be contained in the actual array.
// - Predicates: a function (code), or an operator object (data): $regex, $exists, $in, $not, $contains,
//   $gt/$gte/$lt/$lte, $len. `null` expects the field to be absent or null.
import type { Text } from '../i18n/index.js';

export type Predicate = ((actual: unknown) => boolean | Text) & { describe?: string };

export interface Mismatch {
  /** e.g. spec.template.spec.containers[name=app].image */
  path: string;
  expected: string;
  found: string;
}

const OPS = new Set(['$regex', '$exists', '$in', '$not', '$contains', '$gt', '$gte', '$lt', '$lte', '$len']);

export function isOperator(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => OPS.has(k));
}

export function show(v: unknown): string {
  if (v === undefined) return '<absent>';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return (v as Predicate).describe ?? `<${(v as Function).name || 'predicate'}>`;
  const s = JSON.stringify(v);
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}

function showOp(op: Record<string, unknown>): string {
  return Object.entries(op).map(([k, v]) => (k === '$regex' ? `~/${v}/` : `${k} ${show(v)}`)).join(' and ');
}

function keyPath(base: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;
}

function scalarEqual(e: unknown, a: unknown): boolean {
  if (e === a) return true;
  if ((typeof e === 'number' && typeof a === 'string') || (typeof e === 'string' && typeof a === 'number')) return String(e) === String(a);
  return false;
}

function opMatches(op: Record<string, unknown>, a: unknown): boolean {
  for (const [k, v] of Object.entries(op)) {
    switch (k) {
      case '$exists': if ((a !== undefined && a !== null) !== Boolean(v)) return false; break;
      case '$regex': if (a === undefined || a === null || !new RegExp(String(v)).test(typeof a === 'string' ? a : JSON.stringify(a))) return false; break;
      case '$in': if (!Array.isArray(v) || !v.some((x) => scalarEqual(x, a))) return false; break;
      case '$not': if (partialMatch(v, a).length === 0) return false; break;
      case '$contains':
        if (typeof a === 'string') { if (!a.includes(String(v))) return false; }
        else if (Array.isArray(a)) { if (!a.some((x) => partialMatch(v, x).length === 0)) return false; }
        else return false;
        break;
      case '$gt': if (!(Number(a) > Number(v))) return false; break;
      case '$gte': if (!(Number(a) >= Number(v))) return false; break;
      case '$lt': if (!(Number(a) < Number(v))) return false; break;
      case '$lte': if (!(Number(a) <= Number(v))) return false; break;
      case '$len': if (!(Array.isArray(a) || typeof a === 'string') || a.length !== Number(v)) return false; break;
    }
  }
  return true;
}

/** Every difference between `expected` (partial) and `actual`; empty when it matches. */
export function partialMatch(expected: unknown, actual: unknown, path = ''): Mismatch[] {
  const here = path || '.';
  if (typeof expected === 'function') {
    const r = (expected as Predicate)(actual);
    if (r === true) return [];
    const why = typeof r === 'object' && r ? ` (${r.en})` : '';
    return [{ path: here, expected: show(expected) + why, found: show(actual) }];
  }
  if (expected === null) {
    return actual === null || actual === undefined ? [] : [{ path: here, expected: '<absent>', found: show(actual) }];
  }
  if (isOperator(expected)) {
    return opMatches(expected, actual) ? [] : [{ path: here, expected: showOp(expected), found: show(actual) }];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path: here, expected: 'a list', found: show(actual) }];
    const out: Mismatch[] = [];
    for (const e of expected) {
      if (e && typeof e === 'object' && !Array.isArray(e) && !isOperator(e) && 'name' in e && typeof (e as any).name === 'string') {
        const name = (e as any).name as string;
        const p = `${path}[name=${name}]`;
        const a = actual.find((x) => x && typeof x === 'object' && (x as any).name === name);
        if (a === undefined) {
          const names = actual.map((x) => (x && typeof x === 'object' ? (x as any).name : undefined)).filter((n) => n !== undefined);
          out.push({ path: p, expected: 'present', found: names.length ? `<absent> (names: ${names.join(', ')})` : '<absent>' });
        } else out.push(...partialMatch(e, a, p));
      } else if (e !== null && typeof e === 'object') {
        if (!actual.some((a) => partialMatch(e, a).length === 0)) {
          out.push({ path: `${path}[]`, expected: `an element matching ${show(e)}`, found: show(actual) });
        }
      } else if (!actual.some((a) => scalarEqual(e, a) || (typeof e === 'function' && partialMatch(e, a).length === 0))) {
        out.push({ path: `${path}[]`, expected: `contains ${show(e)}`, found: show(actual) });
      }
    }
    return out;
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) {
      return [{ path: here, expected: 'an object', found: show(actual) }];
    }
    const out: Mismatch[] = [];
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      out.push(...partialMatch(v, (actual as Record<string, unknown>)[k], keyPath(path, k)));
    }
    return out;
  }
  return scalarEqual(expected, actual) ? [] : [{ path: here, expected: show(expected), found: show(actual) }];
}

/** "path: expected X, found Y" lines (Chainsaw style). */
export function mismatchLines(ms: Mismatch[]): string[] {
  return ms.map((m) => `${m.path}: expected ${m.expected}, found ${m.found}`);
}

/** The same lines in both languages. */
export function mismatchText(ms: Mismatch[]): { ko: string[]; en: string[] } {
  return {
    ko: ms.map((m) => `${m.path}: 기대 ${m.expected}, 실제 ${m.found}`),
    en: mismatchLines(ms),
  };
}

/** Edit distance (insertions, deletions, substitutions): how far a typed name is from an existing one. */
export function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
    d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/** Names among `candidates` that look like a typo of `name` (same but for case, or at most 2 edits away). */
export function nearNames(name: string, candidates: Iterable<string>): string[] {
  return [...candidates].filter((c) => c !== name && (c.toLowerCase() === name.toLowerCase() || levenshtein(c, name) <= 2));
}
