// Every lab proven the other way (issue 14): each file in labs/<lab>/alternatives/ is a correct solution that differs
// from solution.ts the way real trainees differ, and must score FULL. One harness for every lab found in labs/: a new
// lab is covered by adding files, not test code. An alternative may name checks that cannot be graded on this
// cluster (`expect.skipAllowed`): they must be `skip` (never `fail`), and the lab's docs say why.
//   setup (klab start) → the alternative's commands as the trainee types them (a private kubeconfig copy: commands
//   may change the context) → the reference answers (labs/<lab>/solution.ts `answers`) → klab check → full score →
//   klab reset.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { cli, root, tempDir } from '../unit/_cli.js';
import { testCluster } from './_env.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { substitute } from '../../labs/_engine/params.js';
import { imageRegistry } from '../../cluster/provider.js';
import type { CheckJson } from './_labs.js';
import type { Text } from '../../i18n/index.js';

interface Alternative { file: string; description: Text; commands: string[]; answers?: Record<string, string>; expect?: { skipAllowed?: string[] } }

function alternatives(lab: string): Alternative[] {
  const dir = join(root, 'labs', lab, 'alternatives');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: f, ...(parseYaml(readFileSync(join(dir, f), 'utf8')) as Omit<Alternative, 'file'>) }));
}

const labs = readdirSync(join(root, 'labs')).filter((d) => !d.startsWith('_') && existsSync(join(root, 'labs', d, 'lab.yaml'))).sort();
const t = suite('lab alternatives: correct solutions that differ from the reference score full');

for (const lab of labs) {
  for (const alt of alternatives(lab)) {
    t(`${lab} alternative ${alt.file}: full score`, async () => {
      const info = testCluster();
      const state = tempDir('klab-alt-');
      const kubeconfig = join(state, 'kubeconfig');
      copyFileSync(info.kubeconfig, kubeconfig);
      const seed = `alt-${lab}-${alt.file.replace(/\.yaml$/, '')}`;
      // A private working folder per run (labs with one, i-h1: KLAB_WORK/<lab>), like the private state.
      // As an `existing` cluster (--kubeconfig/--context) the registry is named like an instructor would (KLAB_REGISTRY).
      const registry = imageRegistry(info.provider, {});
      const env: Record<string, string> = { XDG_STATE_HOME: state, KLAB_TRAINEE: seed, KLAB_WORK: join(state, 'work'), ...(registry ? { KLAB_REGISTRY: registry } : {}) };
      const flags = ['--kubeconfig', kubeconfig, '--context', info.context, '--lang', 'en'];
      const klab = (...a: string[]) => cli([...a, ...flags], env);
      const loaded = await loadLab(lab);
      const p = labParams(loaded, seed, info, { ...process.env, ...env });
      const st = klab('start', lab, '--no-guide');
      assert.is(st.code, 0, st.stderr + st.stdout);
      try {
        // i-m2 on local: klab start renders the Argo manifest into the state dir; elsewhere the pinned URL.
        const rendered = join(state, 'klab', 'labs', lab, 'namespace-install.yaml');
        const vars = { ...p, manifest: existsSync(rendered) ? rendered : p.manifestUrl ?? '' };
        for (const c of alt.commands) {
          const cmd = substitute(c, vars);
          const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...env, KUBECONFIG: kubeconfig, PATH: info.binDir ? `${info.binDir}:${process.env.PATH}` : process.env.PATH } });
          assert.is(r.status, 0, `command failed: ${cmd}\n${r.stderr}`);
        }
        const solution = await import(pathToFileURL(join(root, 'dist/labs', lab, 'solution.js')).href) as { answers?: (p: Record<string, string>) => Record<string, string> };
        for (const [q, v] of Object.entries({ ...(solution.answers?.(p) ?? {}), ...Object.fromEntries(Object.entries(alt.answers ?? {}).map(([k, v]) => [k, substitute(v, vars)])) })) {
          const a = klab('answer', lab, q, v);
          assert.is(a.code, 0, a.stderr);
        }
        const r = cli(['check', lab, '--json', ...flags], env);
        const json = JSON.parse(r.stdout) as CheckJson;
        const skipAllowed = new Set(alt.expect?.skipAllowed ?? []);
        for (const c of json.checks) {
          if (skipAllowed.has(c.id) && c.status === 'skip') continue;
          assert.is(c.status, 'pass', `${c.id} must pass for this correct solution: ${c.message}`);
        }
        const skipped = json.checks.filter((c) => c.status === 'skip').reduce((n, c) => n + c.maxPoints, 0);
        assert.is(json.score, json.maxScore - skipped, `score ${json.score}/${json.maxScore}`);
        if (!json.checks.some((c) => c.status === 'skip')) assert.is(r.code, 0, 'a full score exits 0');
        console.log(`  ${lab}/${alt.file}: ${json.score}/${json.maxScore}${skipped ? ` (${skipped} points not gradable here: ${json.checks.filter((c) => c.status === 'skip').map((c) => c.id).join(', ')})` : ''}`);
      } finally {
        const reset = klab('reset', lab);
        assert.is(reset.code, 0, reset.stderr);
      }
    });
  }
}

t.run();
