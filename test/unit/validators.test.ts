// Validators precompiled at build time (issue 11: no schema compile at start-up) are used only for the schema
// they were made from; any other schema is compiled on the spot, so a stale build can never validate wrongly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { validatorFor, GENERATED, schemaHash } from '../../checkers/validators.js';
import { checkSpecSchema } from '../../checkers/kinds.js';

test('the build wrote the check and lab validators, each stamped with its schema hash', () => {
  assert.ok(existsSync(GENERATED), `${GENERATED} missing: npm run build writes it`);
  const gen = createRequire(import.meta.url)(GENERATED);
  assert.is(gen.check.schemaHash, schemaHash(checkSpecSchema));
  assert.is(validatorFor('check', checkSpecSchema), gen.check, 'the precompiled validator is used');
  assert.ok(typeof gen.lab === 'function');
});

test('a schema that differs from the build is compiled now, and validates by the new rules', () => {
  const schema = { ...checkSpecSchema, required: ['id', 'kind', 'title'] };
  const v = validatorFor('check', schema);
  assert.ok(v !== createRequire(import.meta.url)(GENERATED).check);
  assert.not.ok(v({ id: 'a', kind: 'answer', expect: 'x' }), 'title is now required');
  assert.ok(validatorFor('check', checkSpecSchema)({ id: 'a', kind: 'answer', expect: 'x' }));
});

test.run();
