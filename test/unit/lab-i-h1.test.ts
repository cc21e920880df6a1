// Lab i-h1's working folder without a cluster: what `klab start` puts there. The .dockerignore keeps the chart (its
// secret values), .git and .gitignore out of the image as well as the app's own rules — so editing the chart or git
// never makes a new image under the same tag (the pods would keep the old digest; lab-i-h1's solve test found it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillWorkdir } from '../../labs/i-h1/shared.js';
import { tempDir } from './_cli.js';

test('fillWorkdir: .dockerignore merges the app\'s rules with klab\'s (chart, .git, .gitignore out of the image); never overwrites', () => {
  const d = tempDir('klab-ih1-work-');
  const created = fillWorkdir(d);
  assert.ok(created.includes('.dockerignore') && created.includes('Dockerfile'), created.join(' '));
  const rules = readFileSync(join(d, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const r of ['chart*/', '.git/', '.gitignore', 'db.sqlite3', '__pycache__']) assert.ok(rules.includes(r), `${r} in ${rules.join(', ')}`);
  writeFileSync(join(d, '.dockerignore'), 'mine\n');
  assert.equal(fillWorkdir(d), [], 'nothing created again');
  assert.is(readFileSync(join(d, '.dockerignore'), 'utf8'), 'mine\n', 'the trainee\'s file is kept');
});

test.run();
