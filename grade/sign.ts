// Signed results: HMAC-SHA256 over the canonical JSON of the document (keys sorted, no signature field) with the
// instructor's key file. Any edit — a score, one evidence line, a reordered key's value — changes the signature.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KlabError, ExitCode, type Text } from '../i18n/index.js';
import { stateDir } from '../cluster/paths.js';
import { writeAtomic } from '../host/files.js';
import { gmsg } from './messages.js';
import type { GradeDoc, Signature } from './types.js';

export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.KLAB_GRADE_KEY || join(stateDir(env), 'grade.key');
}

export interface Key { file: string; secret: Buffer; id: string; created: boolean; warnings: Text[] }

const keyId = (secret: Buffer) => createHash('sha256').update(secret).digest('hex').slice(0, 16);

/** Read the instructor key; with `create`, make it (32 random bytes, hex, mode 0600) when it does not exist. */
export function loadKey(file: string, create: boolean): Key {
  const warnings: Text[] = [];
  let created = false;
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new KlabError(gmsg('key.unreadable', { file, detail: (e as NodeJS.ErrnoException).code ?? '' }), ExitCode.usage);
    if (!create) throw new KlabError(gmsg('key.missing', { file }), ExitCode.usage);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    raw = randomBytes(32).toString('hex') + '\n';
    try {
      writeAtomic(file, raw, { mode: 0o600, exclusive: true }); // never overwrite a key another process just made
      chmodSync(file, 0o600); // the umask may have removed bits, never added: make it exact
      created = true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') throw new KlabError(gmsg('key.unreadable', { file, detail: (e2 as NodeJS.ErrnoException).code ?? '' }), ExitCode.usage);
      raw = readFileSync(file, 'utf8');
    }
  }
  const secret = Buffer.from(raw.trim(), 'utf8');
  if (secret.length < 16) throw new KlabError(gmsg('key.short', { file }), ExitCode.usage);
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) warnings.push(gmsg('key.loose', { file, mode: (statSync(file).mode & 0o777).toString(8) }));
  return { file, secret, id: keyId(secret), created, warnings };
}

/** JSON with object keys sorted at every level: the same document always gives the same bytes. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonical(x))).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function mac(doc: GradeDoc, secret: Buffer): string {
  const { signature: _s, ...body } = doc;
  return createHmac('sha256', secret).update(canonical(body)).digest('hex');
}

export function sign(doc: GradeDoc, key: Key): GradeDoc {
  const { signature: _s, ...body } = doc;
  const signature: Signature = { alg: 'HMAC-SHA256', keyId: key.id, value: mac(body as GradeDoc, key.secret) };
  return { ...body, signature } as GradeDoc;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'unsigned' | 'otherKey' | 'tampered' };

export function verify(doc: GradeDoc, key: Key): VerifyResult {
  const s = doc.signature;
  if (!s || typeof s.value !== 'string' || s.alg !== 'HMAC-SHA256') return { ok: false, reason: 'unsigned' };
  if (s.keyId !== key.id) return { ok: false, reason: 'otherKey' };
  const want = Buffer.from(mac(doc, key.secret), 'hex');
  const got = Buffer.from(s.value, 'hex');
  return want.length === got.length && timingSafeEqual(want, got) ? { ok: true } : { ok: false, reason: 'tampered' };
}
