// Seeded params: the same (seed, lab, name) always gives the same value; different seeds give different values.
// HMAC-SHA256 keyed by the seed, so an instructor can regrade any trainee from the seed alone.
import { createHmac } from 'node:crypto';
import { josa, JOSA_PATTERN, type JosaPair } from '../../i18n/index.js';

export interface ParamDef { kind: 'token' | 'word' | 'number' | 'template'; length?: number; alphabet?: string; from?: string[]; min?: number; max?: number; value?: string }

function bytes(seed: string, lab: string, name: string, n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < n; i++) out.push(createHmac('sha256', seed).update(`${lab}/${name}/${i}`).digest());
  return Buffer.concat(out).subarray(0, n);
}

/** Placeholders `{name}` used in a string. */
export function placeholders(s: string): string[] {
  return [...s.matchAll(/\{([A-Za-z_][\w]*)\}/g)].map((m) => m[1]);
}

/**
 * Fill `{name}` with its param; `{name:을/를}` (also 이/가, 은/는, 와/과, 으로/로) with the Korean particle that fits the value,
 * as i18n `fill` does: a step text writes `{size}{size:을/를}`, never a fixed particle after a seeded value.
 */
export function substitute(s: string, params: Record<string, string>): string {
  return s.replace(new RegExp(`\\{([A-Za-z_][\\w]*)(?::(${JOSA_PATTERN}))?\\}`, 'g'), (m, k: string, pair?: JosaPair) =>
    (k in params ? (pair ? josa(params[k], pair) : params[k]) : m));
}

export function deriveParams(seed: string, lab: string, defs: Record<string, ParamDef> = {}): Record<string, string> {
  const out: Record<string, string> = { seed, lab };
  const templates: [string, string][] = [];
  for (const [name, d] of Object.entries(defs)) {
    switch (d.kind) {
      case 'token': {
        const alphabet = d.alphabet ?? 'abcdefghijklmnopqrstuvwxyz0123456789';
        const len = d.length ?? 8;
        out[name] = [...bytes(seed, lab, name, len)].map((b) => alphabet[b % alphabet.length]).join('');
        break;
      }
      case 'word': {
        const from = d.from ?? [];
        out[name] = from[bytes(seed, lab, name, 4).readUInt32BE(0) % from.length];
        break;
      }
      case 'number': {
        const min = d.min ?? 0, max = d.max ?? 100;
        out[name] = String(min + (bytes(seed, lab, name, 4).readUInt32BE(0) % (max - min + 1)));
        break;
      }
      case 'template':
        templates.push([name, d.value ?? '']);
        break;
    }
  }
  // Templates may use other params, including other templates (resolved in a few passes).
  for (let pass = 0; pass < 4; pass++) for (const [name, v] of templates) out[name] = substitute(v, out);
  return out;
}
