// Every lab in labs/, with no per-lab code, as a trainee in a real terminal (tmux) with a second terminal:
//  - guided `klab start`: "Show the solution" at step 1 shows step 1's commands and none that only a later step has;
//  - from the second terminal, each step's checks (`klab check <lab> --step N`) run without `error` after setup;
//  - the work and the answers done from the second terminal (`klab solve`) are seen by the guided checks, step by
//    step, until "All steps done" (a step that cannot pass on this cluster only because of a capability is skipped);
//  - `klab start` again resumes at the end without an error and without changing or deleting anything in the lab
//    namespace (the solution stands in for the trainee's work); then every step passes (a check may be skipped only
//    because the cluster lacks a capability, never because something it requires failed);
//  - without progress but with the namespace there, start keeps everything too.
// (One flow per lab: each lab is started, solved and reset once here.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../unit/_cli.js';
import { klabPty, type Pty } from './_pty.js';
import { trainee, type CheckJson } from './_labs.js';
import { testKubeConfig } from './_env.js';
import { labIds, loadLab, labParams, solutionCommands, type Lab } from '../../labs/_engine/load.js';

const t = suite('every lab: the guided flow (pty), per-step checks, solve, resume keeps the work');

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

/** What the trainee made in `ns`: Secrets, ConfigMaps, Deployments (pod template), WorkflowTemplates — by uid and content. */
async function snapshot(ns: string): Promise<Record<string, string>> {
  const kc = await testKubeConfig();
  const { CoreV1Api, AppsV1Api, CustomObjectsApi } = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(CoreV1Api), apps = kc.makeApiClient(AppsV1Api), custom = kc.makeApiClient(CustomObjectsApi);
  const out: Record<string, string> = {};
  const key = (kind: string, m: { name?: string; uid?: string } | undefined, body: unknown) => { out[`${kind}/${m?.name}`] = `${m?.uid} ${JSON.stringify(body)}`; };
  for (const s of (await core.listNamespacedSecret({ namespace: ns })).items) key('secret', s.metadata, s.data ?? {});
  for (const c of (await core.listNamespacedConfigMap({ namespace: ns })).items) key('configmap', c.metadata, c.data ?? {});
  for (const d of (await apps.listNamespacedDeployment({ namespace: ns })).items) key('deployment', d.metadata, d.spec?.template);
  try {
    const wt = await custom.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace: ns, plural: 'workflowtemplates' }) as { items: { metadata: { name: string; uid: string }; spec: unknown }[] };
    for (const w of wt.items) key('workflowtemplate', w.metadata, w.spec);
  } catch (e) { if ((e as { code?: number }).code !== 404) throw e; } // no Argo CRDs on this cluster
  return out;
}

function stepCheck(tr: ReturnType<typeof trainee>, lab: Lab, n: number): CheckJson {
  const r = tr.checkJson(lab.def.id, '--step', String(n));
  assert.ok(r.json, `${lab.def.id} --step ${n}: no JSON (exit ${r.code}): ${r.stderr}`);
  assert.ok(r.code === 0 || r.code === 1, `${lab.def.id} --step ${n}: exit ${r.code}: ${r.stderr}`);
  assert.equal(r.json!.checks.map((c) => c.id).sort(), lab.def.steps[n - 1].checks.map((c) => c.id).sort(), `${lab.def.id} --step ${n} reports that step's checks`);
  return r.json!;
}

for (const id of labIds()) {
  t(`${id}: guided start, step 1's solution only; per-step checks; second-terminal work seen step by step; resume keeps everything`, async () => {
    const lab = await loadLab(id);
    const steps = lab.def.steps.length;
    const state = tempDir(`klab-guided-${id}-`);
    const seed = `guided-${id}`;
    const params = labParams(lab, seed);
    const ns = params.namespace;
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

      // Second terminal: every step's checks answer without `error` on the starting state.
      for (let n = 1; n <= steps; n++) {
        const errors = stepCheck(other, lab, n).checks.filter((c) => c.status === 'error');
        assert.equal(errors.map((c) => `${c.id}: ${c.message}`), [], `${id} step ${n}: no check is an error after setup`);
      }

      // The work and the answers, from the second terminal.
      const solved = other.klab('solve', id);
      assert.is(solved.code, 0, solved.stderr + solved.stdout);
      const before = await snapshot(ns);
      assert.ok(Object.keys(before).some((k) => !k.endsWith('/kube-root-ca.crt')), `${id}: the solution made something in ${ns}`);

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

      // Start again: resumes at the end, keeps the trainee's objects as they are.
      s = klabPty(`klab-guided-${id}-2`, { state, seed, lang: 'en', args: ['start', id] });
      await s.waitFor(`Resuming lab ${id} at step ${steps}/${steps}`, 300_000);
      await s.waitFor('All steps done', 240_000);
      const end = await s.waitFor('KLAB-EXIT=');
      assert.match(end, 'KLAB-EXIT=0');
      assert.not.match(end, /\n\s+at /, 'no stack trace');
      s.kill();
      assert.equal(await snapshot(ns), before, `${id}: resuming changed or deleted the trainee's objects`);

      for (let n = 1; n <= steps; n++) {
        for (const c of stepCheck(other, lab, n).checks) {
          const capabilitySkip = c.status === 'skip' && !/requires .* to pass first/.test(c.message);
          assert.ok(c.status === 'pass' || capabilitySkip, `${id} step ${n} ${c.id} after solve + resume: ${c.status}: ${c.message}`);
        }
      }
      const status = JSON.parse(other.klab('status', '--json').stdout) as { lab: string; passedSteps: number[]; score: number; maxScore: number }[];
      const row = status.find((r) => r.lab === id)!;
      assert.ok(row.score > 0 && row.score <= row.maxScore, `${id} status score ${row.score}/${row.maxScore}`);

      // Progress lost (or another context name): the namespace is there, so start keeps what is in it too.
      rmSync(join(state, 'klab', 'progress.json'));
      const lost = other.klab('start', id, '--no-guide');
      assert.is(lost.code, 0, lost.stderr + lost.stdout);
      assert.match(lost.stdout, `Namespace ${ns} already exists`);
      assert.equal(await snapshot(ns), before, `${id}: a start without progress changed or deleted the trainee's objects`);
    } finally {
      s.kill();
      const r = other.klab('reset', id);
      assert.is(r.code, 0, r.stderr);
    }
  });
}

t.run();
