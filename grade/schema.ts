// JSON Schemas of klab grade's files (roster.schema.json, result.schema.json), compiled by Ajv on first use.
import { readFileSync } from 'node:fs';
import type { SchemaError } from '../i18n/messages.js';
import { packagePath } from '../cluster/paths.js';

type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** A validator for grade/<name>: returns every problem (empty when valid). */
export function schemaValidator(name: 'roster.schema.json' | 'result.schema.json'): (data: unknown) => Promise<SchemaError[]> {
  let v: Validator | undefined;
  return async (data) => {
    if (!v) {
      const { Ajv } = await import('ajv');
      v = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(packagePath('grade', name), 'utf8'))) as unknown as Validator;
    }
    return v(data) ? [] : v.errors ?? [];
  };
}
