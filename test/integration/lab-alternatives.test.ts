// Every lab proven the other way (issue 14): each file in labs/<lab>/alternatives/ is a correct solution that differs
// from solution.ts the way real trainees differ, and must score FULL. One harness for every lab found in labs/: a new
// lab is covered by adding files, not test code. An alternative may name checks that cannot be graded on this
// cluster (`expect.skipAllowed`): they must be `skip` (never `fail`), and the lab's docs say why. Each alternative is
// its own trainee (_labs.ts runAsTrainee); a lab's alternatives run a few at a time, labs one after another.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { root } from '../unit/_cli.js';
import { allLabs, pool, runAsTrainee, EXAMPLE_CONCURRENCY } from './_labs.js';
import type { Text } from '../../i18n/index.js';

interface Alternative { file: string; description: Text; commands: string[]; answers?: Record<string, string>; expect?: { skipAllowed?: string[] } }

function alternatives(lab: string): Alternative[] {
  const dir = join(root, 'labs', lab, 'alternatives');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: f, ...(parseYaml(readFileSync(join(dir, f), 'utf8')) as Omit<Alternative, 'file'>) }));
}

const t = suite('lab alternatives: correct solutions that differ from the reference score full');

for (const lab of allLabs()) {
  const list = alternatives(lab);
  if (!list.length) continue;
  t(`${lab}: ${list.length} alternative(s), each scores full`, async () => {
    const t0 = Date.now();
    const lines: string[] = [];
    const errors = await pool(list, EXAMPLE_CONCURRENCY, async (alt) => {
      const where = `${lab}/${alt.file}`;
      const skipAllowed = new Set(alt.expect?.skipAllowed ?? []);
      const r = await runAsTrainee(lab, alt.file, alt.commands, alt.answers, ({ json, code }) => {
        for (const c of json.checks) {
          if (skipAllowed.has(c.id) && c.status === 'skip') continue;
          assert.is(c.status, 'pass', `${where}: ${c.id} must pass for this correct solution: ${c.message}`);
        }
        const skipped = json.checks.filter((c) => c.status === 'skip').reduce((n, c) => n + c.maxPoints, 0);
        assert.is(json.score, json.maxScore - skipped, `${where}: score ${json.score}/${json.maxScore}`);
        if (!json.checks.some((c) => c.status === 'skip')) assert.is(code, 0, `${where}: a full score exits 0`);
      });
      const skipped = r.json.checks.filter((c) => c.status === 'skip');
      lines.push(`${where}: ${r.json.score}/${r.json.maxScore}${skipped.length ? ` (not gradable here: ${skipped.map((c) => c.id).join(', ')})` : ''} in ${(r.ms.total / 1000).toFixed(1)} s`);
    });
    for (const l of lines.sort()) console.log(`  ${l}`);
    console.log(`  ${lab}: ${list.length} alternative(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s (${EXAMPLE_CONCURRENCY} at a time)`);
    if (errors.length) assert.unreachable(errors.map((e) => (e as Error).message).join('\n---\n'));
  });
}

t.run();
