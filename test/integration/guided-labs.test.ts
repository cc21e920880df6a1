// Every lab's guided flow in a real terminal (tmux), with no per-lab code:
//  - "Show the solution" at step 1 shows step 1's commands and none that only a later step has;
//  - the work and the answers done from a second terminal (`klab solve`) are seen by the guided checks, step by step,
//    until "All steps done" (a step that cannot pass on this cluster only because of a capability is skipped);
//  - `klab start` again resumes at the end without an error.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../unit/_cli.js';
import { klabPty, type Pty } from './_pty.js';
import { trainee, traineeEnv } from './_labs.js';
import { testCluster } from './_env.js';
import { labIds, loadLab, labParams, solutionCommands } from '../../labs/_engine/load.js';

const t = suite('every lab: the guided flow (pty)');
const count = (s: string, text: string) => s.split(text).length - 1;
const firstLine = (cmd: string) => cmd.split('\n')[0].trim();

/** Wait until one of `texts` appears more often than `seen` says; returns its index. */
async function either(s: Pty, texts: string[], seen: number[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = s.screen();
    const i = texts.findIndex((x, k) => count(screen, x) > seen[k]);
    if (i >= 0) return i;
    if (Date.now() > deadline) throw new Error(`timed out waiting for one of ${texts.join(' | ')}; screen:\n${screen}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

for (const id of labIds()) {
  t(`${id}: step 1's solution only; second-terminal work seen step by step; resume at the end`, async () => {
    const lab = await loadLab(id);
    const steps = lab.def.steps.length;
    const state = tempDir(`klab-guided-${id}-`);
    const seed = `guided-${id}`;
    const params = labParams(lab, seed, testCluster(), { ...process.env, ...traineeEnv(state, seed) });
    const other = trainee(seed, 'en', state);
    const down = (n: number) => { for (let i = 0; i < n; i++) s.keys('Down'); };
    const questions = (n: number) => (lab.def.steps[n - 1].questions?.length ? 1 : 0);
    let s = klabPty(`klab-guided-${id}`, { state, seed, lang: 'en', args: ['start', id] });
    try {
      let prompts = 1;
      await s.waitFor('What next?', 300_000);
      assert.match(s.screen(), `Step 1/${steps}`);

      // "Show the solution": menu check, hint, [answer], solution, skip, quit
      down(2 + questions(1)); s.keys('Enter');
      await s.waitFor('Show it?');
      s.keys('y'); s.keys('Enter');
      await s.waitFor('What next?', 30_000, ++prompts);
      const screen = s.screen();
      const part = screen.slice(screen.lastIndexOf('Reference solution of step 1'), screen.lastIndexOf('What next?'));
      assert.ok(part.startsWith('Reference solution of step 1'), 'the header names the step');
      const mine = (await solutionCommands(lab, 1, params)).map(firstLine);
      for (const c of mine) assert.ok(part.includes(c), `${id}: step 1's solution shows ${c}`);
      for (let n = 2; n <= steps; n++) {
        for (const c of (await solutionCommands(lab, n, params)).map(firstLine)) {
          if (!mine.includes(c)) assert.not.ok(part.includes(c), `${id}: step 1's solution must not show step ${n}'s ${c}`);
        }
      }

      // The work and the answers, from a second terminal.
      const solved = other.klab('solve', id);
      assert.is(solved.code, 0, solved.stderr + solved.stdout);

      const seen = [count(s.screen(), 'Passed!'), count(s.screen(), 'Not yet.')];
      for (let n = 1; n <= steps; n++) {
        s.keys('Enter'); // Check now
        const got = await either(s, ['Passed!', 'Not yet.'], seen, 240_000);
        seen[got]++;
        if (got === 1) {
          // Only a check the cluster cannot do may keep a solved step from passing.
          const after = s.screen().slice(s.screen().lastIndexOf('Check now'));
          assert.not.match(after, /^\s*[✗!] /m, `${id} step ${n}: no check fails or errors after solve:\n${after}`);
          assert.not.match(after, /requires .* to pass first/, `${id} step ${n}: nothing skipped for a failed requirement`);
          await s.waitFor('What next?', 30_000, ++prompts);
          down(3 + questions(n)); s.keys('Enter'); // Skip this step
        }
        if (n < steps) {
          await s.waitFor(`Step ${n + 1}/${steps}`, 60_000);
          await s.waitFor('What next?', 30_000, ++prompts);
        }
      }
      await s.waitFor('All steps done', 240_000);
      assert.match(await s.waitFor('KLAB-EXIT='), 'KLAB-EXIT=0');
      s.kill();

      s = klabPty(`klab-guided-${id}-2`, { state, seed, lang: 'en', args: ['start', id] });
      await s.waitFor(`Resuming lab ${id} at step ${steps}/${steps}`, 300_000);
      await s.waitFor('All steps done', 240_000);
      const end = await s.waitFor('KLAB-EXIT=');
      assert.match(end, 'KLAB-EXIT=0');
      assert.not.match(end, /\n\s+at /, 'no stack trace');
    } finally {
      s.kill();
      other.klab('reset', id);
    }
  });
}

t.run();
