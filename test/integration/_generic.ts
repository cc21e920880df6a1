// The generic lab harnesses, one body each, registered by the files that run them: lab-mistakes.test.ts,
// lab-alternatives.test.ts and guided-labs.test.ts for every lab that can share the cluster with others, and a
// cluster-wide lab's own file (lab-i-m2.test.ts) for that lab, which the runner runs alone (_labs.ts CLUSTER_WIDE_LABS).
//  - mistakes: each file in labs/<lab>/mistakes/ is a realistic wrong solution; exactly the checks it names fail, with
//    the diagnosis it names (en and ko), every other check passes — or is skipped, where the file says so or a failing
//    check gates it (`requires` in lab.yaml). A mistake judged on some steps only (`steps:`, applied on top of the
//    reference work of the steps before) runs in its lab's own test, which shares one start among them.
//  - alternatives: each file in labs/<lab>/alternatives/ is a correct solution that differs from solution.ts the way
//    real trainees differ, and must score FULL (a check this cluster cannot grade, `expect.skipAllowed`, is `skip`).
//  - guided: the guided flow in a real terminal (guided-labs.test.ts says what is asserted).
// Each mistake/alternative is its own trainee (runAsTrainee: own seed, state, kubeconfig, working folder), so several
// run at once (EXAMPLE_CONCURRENCY; reset removes only its own seed's namespaces) — across labs too — except in a
// cluster-wide lab, whose trainees go one at a time.
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { root, tempDir } from '../unit/_cli.js';
import { mistakes, pool, runAsTrainee, trainee, traineeEnv, EXAMPLE_CONCURRENCY, CLUSTER_WIDE_LABS, type CheckJson, type Mistake, type TraineeRun } from './_labs.js';
import { substitute } from '../../labs/_engine/params.js';
import type { Text } from '../../i18n/index.js';
import { klabPty, type Pty } from './_pty.js';
import { testCluster, testKubeConfig } from './_env.js';
import { loadLab, labParams, solutionCommands, type Lab } from '../../labs/_engine/load.js';

interface Alternative { file: string; description: Text; commands: string[]; answers?: Record<string, string>; expect?: { skipAllowed?: string[] } }

function alternatives(lab: string): Alternative[] {
  const dir = join(root, 'labs', lab, 'alternatives');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: f, ...(parseYaml(readFileSync(join(dir, f), 'utf8')) as Omit<Alternative, 'file'>) }));
}

/** Checks a mistake's failing checks gate, transitively (lab.yaml `requires`): they must be skipped. */
async function gatedBy(lab: string, m: Mistake): Promise<Set<string>> {
  const requires = new Map((await loadLab(lab)).def.steps.flatMap((s) => s.checks).map((c) => [c.id, c.requires ?? []]));
  const gated = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, deps] of requires) {
      if (!gated.has(id) && !(id in m.expect.fail) && deps.some((d) => d in m.expect.fail || gated.has(d))) { gated.add(id); grew = true; }
    }
  }
  return gated;
}

async function judgeMistake(lab: string, m: Mistake): Promise<string> {
  const where = `${lab}/${m.file}`;
  const gated = await gatedBy(lab, m);
  const r = await runAsTrainee(lab, m.file, m.commands, m.answers, ({ json, jsonKo, code, vars }) => {
    assert.is(code, 1, `${where}: a wrong solution exits 1`);
    for (const c of json.checks) {
      const fail = m.expect.fail[c.id];
      if (fail) {
        assert.is(c.status, 'fail', `${where}: ${c.id} must fail: ${c.message}`);
        assert.match(c.message, substitute(fail.en, vars), `${where}: ${c.id} diagnosis (en)`);
        assert.match(jsonKo.checks.find((x) => x.id === c.id)!.message, substitute(fail.ko, vars), `${where}: ${c.id} diagnosis (ko)`);
      } else if (m.expect.skip?.includes(c.id) || gated.has(c.id)) {
        assert.is(c.status, 'skip', `${where}: ${c.id} must be skipped (what it requires failed): ${c.message}`);
      } else if (!(m.expect.skipAllowed?.includes(c.id) && c.status === 'skip')) {
        assert.is(c.status, 'pass', `${where}: ${c.id} must pass (the mistake is elsewhere): ${c.message}`);
      }
    }
    for (const id of m.expect.pass ?? []) assert.ok(json.checks.some((c) => c.id === id && c.status === 'pass'), `${where}: ${id} listed as passing`);
  });
  return `${where}: ${r.json.score}/${r.json.maxScore}, failed ${Object.keys(m.expect.fail).join(', ')} (start+commands ${(r.ms.applied / 1000).toFixed(1)} s, checked at ${(r.ms.total / 1000).toFixed(1)} s)`;
}

async function judgeAlternative(lab: string, alt: Alternative): Promise<string> {
  const where = `${lab}/${alt.file}`;
  const skipAllowed = new Set(alt.expect?.skipAllowed ?? []);
  const r: TraineeRun = await runAsTrainee(lab, alt.file, alt.commands, alt.answers, ({ json, code }) => {
    for (const c of json.checks) {
      if (skipAllowed.has(c.id) && c.status === 'skip') continue;
      assert.is(c.status, 'pass', `${where}: ${c.id} must pass for this correct solution: ${c.message}`);
    }
    const skipped = json.checks.filter((c) => c.status === 'skip').reduce((n, c) => n + c.maxPoints, 0);
    assert.is(json.score, json.maxScore - skipped, `${where}: score ${json.score}/${json.maxScore}`);
    if (!json.checks.some((c) => c.status === 'skip')) assert.is(code, 0, `${where}: a full score exits 0`);
  });
  const skipped = r.json.checks.filter((c) => c.status === 'skip');
  return `${where}: ${r.json.score}/${r.json.maxScore}${skipped.length ? ` (not gradable here: ${skipped.map((c) => c.id).join(', ')})` : ''} in ${(r.ms.total / 1000).toFixed(1)} s`;
}

/** One test running `items` of `labs` (all at once where they may share the cluster), a line per item, errors gathered. */
function register<T>(t: Test, what: string, labs: string[], itemsOf: (lab: string) => T[], judge: (lab: string, x: T) => Promise<string>): void {
  const work = labs.flatMap((lab) => itemsOf(lab).map((x) => ({ lab, x })));
  if (!work.length) return;
  const n = labs.some((l) => CLUSTER_WIDE_LABS.includes(l)) ? 1 : EXAMPLE_CONCURRENCY;
  t(`${labs.join(', ')}: ${work.length} ${what}`, async () => {
    const t0 = Date.now();
    const lines: string[] = [];
    const errors = await pool(work, n, async ({ lab, x }) => { lines.push(await judge(lab, x)); });
    for (const l of lines.sort()) console.log(`  ${l}`);
    console.log(`  ${work.length} ${what} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${n} at a time)`);
    if (errors.length) assert.unreachable(errors.map((e) => (e as Error).message).join('\n---\n'));
  });
}

/** Every mistake of `labs` (without `steps:`) fails exactly its named checks. */
export function registerMistakes(t: Test, labs: string[]): void {
  register(t, 'mistake(s), each fails exactly its named checks', labs, (lab) => mistakes(lab).filter((m) => !(m as Mistake & { steps?: number[] }).steps), judgeMistake);
}

/** Every alternative of `labs` scores full. */
export function registerAlternatives(t: Test, labs: string[]): void {
  register(t, 'alternative(s), each scores full', labs, alternatives, judgeAlternative);
}

// ---- guided: the flow in a real terminal ----

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

export function registerGuided(t: Test, labs: string[]): void {
for (const id of labs) {
  t(`${id}: guided start, step 1's solution only; per-step checks; second-terminal work seen step by step; resume keeps everything`, async () => {
    const lab = await loadLab(id);
    const steps = lab.def.steps.length;
    const state = tempDir(`klab-guided-${id}-`);
    const seed = `guided-${id}`;
    const params = labParams(lab, seed, testCluster(), { ...process.env, ...traineeEnv(state, seed) });
    const ns = params.namespace;
    // A private kubeconfig: a lab's solution may change the context's namespace (i-l1), other files run meanwhile.
    const kubeconfig = join(state, 'kubeconfig');
    copyFileSync(testCluster().kubeconfig, kubeconfig);
    const other = trainee(seed, 'en', state, kubeconfig);
    const down = (n: number) => { for (let i = 0; i < n; i++) s.keys('Down'); };
    const questions = (n: number) => (lab.def.steps[n - 1].questions?.length ? 1 : 0);
    let s = klabPty(`klab-guided-${id}`, { state, seed, lang: 'en', args: ['start', id], kubeconfig });
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
      s = klabPty(`klab-guided-${id}-2`, { state, seed, lang: 'en', args: ['start', id], kubeconfig });
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
}
