// Build step (`npm run build`, after tsc), not a klab command. Two start-up costs paid once here (issue 11):
//  1. the JSON Schemas klab validates at run time, compiled into Ajv standalone code (dist/generated/validators.cjs),
//     so no command compiles a schema at start-up;
//  2. @kubernetes/client-node bundled into one file (dist/vendor/client-node.cjs) with esbuild: loading one file
//     instead of ~170 modules; scripts/klab.ts resolves the package to it (see docs/decisions/0011-*.md).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { AJV_OPTIONS, GENERATED, schemaHash } from '../checkers/validators.js';
import { CLIENT_BUNDLE } from './client-bundle.js';
import { checkSpecSchema } from '../checkers/kinds.js';
import { packagePath } from '../cluster/paths.js';
import { capabilityNames } from '../cluster/provider.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standalone = require('ajv/dist/standalone').default;

// The lab schema's capability enum is generated from the one capability table (cluster/provider.ts), written into the
// source file (editors read it through the yaml-language-server modeline) when it differs.
const labSchemaFile = packagePath('labs', '_engine', 'lab.schema.json');
const labSchemaText = readFileSync(labSchemaFile, 'utf8');
const labSchema = JSON.parse(labSchemaText) as { definitions: { capability: { enum: string[] } } };
if (JSON.stringify(labSchema.definitions.capability.enum) !== JSON.stringify(capabilityNames)) {
  const newText = labSchemaText.replace(/("capability": \{ "enum": )\[[^\]]*\]/, `$1${JSON.stringify(capabilityNames).replace(/,/g, ', ')}`);
  if (newText === labSchemaText) throw new Error('postbuild: cannot find the capability enum in lab.schema.json');
  writeFileSync(labSchemaFile, newText);
  labSchema.definitions.capability.enum = [...capabilityNames];
  console.log(`postbuild: capability enum of ${labSchemaFile} ← cluster/provider.ts`);
}

const schemas: Record<string, Record<string, unknown>> = {
  check: checkSpecSchema,
  lab: labSchema,
  nodegroups: JSON.parse(readFileSync(packagePath('cluster', 'nodegroups.schema.json'), 'utf8')),
};
const parts: string[] = ['"use strict";'];
for (const [name, schema] of Object.entries(schemas)) {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  const validate = ajv.compile(schema);
  // Each validator in its own function scope: the standalone module's top-level names would collide otherwise.
  const code = standalone(ajv, validate);
  parts.push(`exports[${JSON.stringify(name)}] = (function () { const module = { exports: {} }; const exports = module.exports;\n${code}\nconst v = module.exports.default || module.exports; v.schemaHash = ${JSON.stringify(schemaHash(schema))}; return v; })();`);
}
mkdirSync(dirname(GENERATED), { recursive: true });
writeFileSync(GENERATED, parts.join('\n'));
console.log(`postbuild: validators ${Object.keys(schemas).join(', ')} → ${GENERATED}`);

const esbuild = require('esbuild');
const entry = require.resolve('@kubernetes/client-node');
esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', minify: true, outfile: CLIENT_BUNDLE, logLevel: 'warning', legalComments: 'linked' });
console.log(`postbuild: @kubernetes/client-node bundled → ${CLIENT_BUNDLE}`);
