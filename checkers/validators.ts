// JSON Schema validators compiled at build time (Ajv standalone code, written by scripts/build-validators.ts into
// dist/generated/), so `klab list`, `--help` and lab loading never compile a schema at start-up (issue 11). Each
// generated validator carries the hash of the schema it was made from; when the schema changed since the build
// (a dev tree, a lab author's edit) the validator is compiled on the spot instead, so the result is always right.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };

/** Ajv options shared by the build and the fallback: the same options give the same errors. */
export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;

export const GENERATED = fileURLToPath(new URL('../generated/validators.cjs', import.meta.url));

export function schemaHash(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16);
}

let generated: Record<string, Validator & { schemaHash?: string }> | null | undefined;

/** The build's validator for `name` when it was made from this very schema, else one compiled now. */
export function validatorFor(name: string, schema: Record<string, unknown>): Validator {
  if (generated === undefined) {
    generated = existsSync(GENERATED) ? createRequire(import.meta.url)(GENERATED) as Record<string, Validator> : null;
  }
  const v = generated?.[name];
  if (v && v.schemaHash === schemaHash(schema)) return v;
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv').default as new (o: object) => { compile(s: object): Validator };
  return new Ajv(AJV_OPTIONS).compile(schema);
}
