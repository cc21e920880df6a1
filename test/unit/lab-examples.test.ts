// Every lab's mistakes/ and alternatives/ files against their JSON Schema (labs/_engine/example.schema.json), with
// problems reported as file:line like lab.yaml (issue 14). A mistake must name the checks it fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './_cli.js';
import { parseYamlFile } from '../../i18n/yaml-file.js';
import { validatorFor } from '../../checkers/validators.js';
import { KlabError } from '../../i18n/index.js';
import type { SchemaError } from '../../i18n/messages.js';
import { loadLab } from '../../labs/_engine/load.js';

const schema = JSON.parse(readFileSync(join(root, 'labs/_engine/example.schema.json'), 'utf8'));
const validate = (d: unknown) => { const v = validatorFor('example', schema); v(d); return (v.errors ?? []) as SchemaError[]; };
const labs = readdirSync(join(root, 'labs')).filter((d) => !d.startsWith('_') && existsSync(join(root, 'labs', d, 'lab.yaml')));

test('every mistake and alternative is valid, and names only checks its lab has', async () => {
  let n = 0;
  for (const lab of labs) {
    const ids = new Set((await loadLab(lab)).def.steps.flatMap((s) => s.checks.map((c) => c.id)));
    for (const kind of ['mistakes', 'alternatives'] as const) {
      const dir = join(root, 'labs', lab, kind);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
        const file = `labs/${lab}/${kind}/${f}`;
        const { data } = await parseYamlFile<{ expect?: { fail?: Record<string, unknown>; pass?: string[]; skipAllowed?: string[] } }>(readFileSync(join(root, file), 'utf8'), file, validate);
        if (kind === 'mistakes') assert.ok(Object.keys(data.expect?.fail ?? {}).length, `${file}: a mistake names the checks it fails (expect.fail)`);
        for (const id of [...Object.keys(data.expect?.fail ?? {}), ...(data.expect?.pass ?? []), ...(data.expect?.skipAllowed ?? [])]) assert.ok(ids.has(id), `${file}: ${lab} has no check '${id}'`);
        n++;
      }
    }
  }
  assert.ok(n >= 20, `${n} files`);
});

test('a broken file is reported as file:line in both languages', async () => {
  const src = 'description: { ko: 가, en: a }\ncommands:\n  - echo ok\nexpect:\n  fial: {}\n';
  try {
    await parseYamlFile(src, 'labs/x/mistakes/bad.yaml', validate);
    assert.unreachable('must throw');
  } catch (e) {
    assert.instance(e, KlabError);
    assert.match((e as KlabError).text.en, /^labs\/x\/mistakes\/bad\.yaml:5: unknown property 'fial'/);
    assert.match((e as KlabError).text.ko, /^labs\/x\/mistakes\/bad\.yaml:5: 알 수 없는 항목 'fial'/);
  }
  try {
    // the trap that broke a real alternative: ': ' twice in a plain scalar is a nested mapping, a YAML error
    await parseYamlFile("description: { ko: 가, en: a }\ncommands:\n  - kubectl get deploy -o yaml | sed 's#image: .*#image: x#'\n", 'bad2.yaml', validate);
    assert.unreachable('must throw');
  } catch (e) { assert.match((e as KlabError).text.en, /^bad2\.yaml:3: /); }
});

test.run();
