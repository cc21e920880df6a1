// Lab d1 (deployment strategies, measured) end to end through the CLI against the live test cluster: the starting
// state fails with the expected diagnoses (no recording yet), `klab traffic` refuses bad input, each known mistake
// fails exactly its named checks (from the traffic it really recorded), the reference solution scores the maximum,
// reset leaves nothing labelled. Lean: recordings stop 3 s after a rollout settles (the canary's is a fixed 12 s), and the
// mistakes run side by side, one trainee (seed, namespace) each, reset only once all are judged.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { cliAsync } from '../unit/_cli.js';
import { trainee, mistakes, klabBinDir, type CheckJson } from './_labs.js';
import { substitute } from '../../labs/_engine/params.js';
import { testKubeConfig, testCluster } from './_env.js';
import { skipTest } from '../skip.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { answers } from '../../labs/d1/solution.js';
import { loadRecording, summarize } from '../../checkers/traffic.js';
import { labSelector } from '../../labs/_engine/runtime.js';

const LAB = 'd1';
const t = suite(`lab ${LAB}`);
const t0 = Date.now();
const figures: string[] = [];
async function timed<T>(what: string, f: () => T | Promise<T>): Promise<T> {
  const s = Date.now();
  const r = await f();
  figures.push(`${what}: ${((Date.now() - s) / 1000).toFixed(1)}s`);
  return r;
}

/** The app must really answer: without a real node there is no traffic to record. */
const noRealPods = () => (testCluster().capabilities.realPods ? undefined : 'no real node on this cluster: no traffic to record');

const byId = (j: CheckJson | undefined, id: string) => j?.checks.find((c) => c.id === id);
const paramsOf = async (tr: ReturnType<typeof trainee>) => labParams(await loadLab(LAB), tr.seed, testCluster(), { ...process.env, ...tr.env });

/** A mistake's commands as one trainee types them (as _labs.ts applyCommands), without blocking the others. */
function typeAsync(commands: string[], p: Record<string, string>, env: Record<string, string>): Promise<void> {
  const info = testCluster();
  const script = ['set -e', ...commands.map((c) => substitute(c, p))].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env, NO_COLOR: '1', PATH: `${klabBinDir()}:${info.binDir ? `${info.binDir}:` : ''}${process.env.PATH}`, KUBECONFIG: info.kubeconfig } });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => { clearTimeout(timer); if (code === 0) resolve(); else reject(new Error(`commands failed (exit ${code}):\n${script}\n${err.slice(-2000)}`)); });
  });
}

async function leftovers(seed: string): Promise<string[]> {
  const k8s = await import('@kubernetes/client-node');
  const core = (await testKubeConfig()).makeApiClient(k8s.CoreV1Api);
  return (await core.listNamespace({ labelSelector: labSelector(LAB, seed) })).items.filter((n) => !n.metadata?.deletionTimestamp).map((x) => `namespace/${x.metadata!.name}`);
}

t('start: nothing recorded yet, klab traffic refuses bad input; then the reference solution (klab solve) scores the maximum, with the measurements to show for it; reset leaves nothing', async () => {
  if (noRealPods()) return skipTest(noRealPods()!);
  const tr = trainee('d1-solve');
  const p = await paramsOf(tr);
  const st = await timed('start', () => tr.klab('start', LAB, '--no-guide'));
  assert.is(st.code, 0, st.stderr + st.stdout);
  try {
    const r0 = tr.checkJson(LAB);
    assert.is(r0.code, 1, r0.stderr);
    const v1 = byId(r0.json, 'v1-ready')!;
    assert.is(v1.status, 'fail');
    assert.match(v1.message, /replicas: expected 4, found 1/);
    const rec = byId(r0.json, 'recreate-recorded')!;
    assert.is(rec.status, 'fail');
    assert.match(rec.message, /no traffic recording for step recreate/);
    assert.match(rec.hint ?? '', /klab traffic d1 recreate/);
    assert.is(byId(r0.json, 'recreate-gap')!.status, 'skip', 'gated by recreate-recorded');
    const sel = byId(r0.json, 'selects-green')!;
    assert.is(sel.status, 'fail');
    assert.match(sel.message, /picks \d pod\(s\), none of them green/, 'v1 may still be rolling through its earlier configurations');
    // klab traffic: a step that records nothing, a lab without traffic, a bad duration, a foreign namespace → exit 2
    const bad = tr.klab('traffic', LAB, 'scale');
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /Step 'scale' records no traffic\. Steps that do: recreate, rolling, bluegreen, canary/);
    const none = tr.klab('traffic', 'hello', 'x');
    assert.is(none.code, 2);
    assert.match(none.stderr, /has no traffic recording steps/);
    const dur = tr.klab('traffic', LAB, 'recreate', '--for', 'forever');
    assert.is(dur.code, 2);
    assert.match(dur.stderr, /Cannot read --for 'forever'/);
    const foreign = tr.klab('traffic', LAB, 'recreate', '-n', 'kube-system');
    assert.is(foreign.code, 2);
    assert.match(foreign.stderr, /not a namespace of lab d1/);
    // A recording with no rollout during it stops at its limit and says so; its check explains.
    const idle = await timed('idle recording', () => tr.klab('traffic', LAB, 'recreate', '--for', '2s'));
    assert.is(idle.code, 0, idle.stderr);
    assert.ok(/^ {3}0s │[1·]*1/m.test(idle.stdout), `timeline of v1 answers expected:\n${idle.stdout}`);
    assert.match(idle.stdout, /Time limit reached/);
    const after = tr.checkJson(LAB, '--step', '2');
    assert.match(byId(after.json, 'recreate-recorded')!.message, /At the end of the recording v1 answered, not v2 alone/);

    const s = await timed('solve', () => tr.klab('solve', LAB));
    assert.is(s.code, 0, s.stderr + s.stdout);
    assert.match(s.stdout, /\$ klab traffic d1 recreate/);
    const r = await timed('check', () => tr.checkJson(LAB));
    for (const c of r.json!.checks) assert.is(c.status, 'pass', `${c.id}: ${c.message}`);
    assert.is(r.json!.score, r.json!.maxScore);
    assert.is(r.code, 0);
    // The measurements behind the verdicts, as the checks read them.
    const kc = await testKubeConfig();
    const recreate = summarize((await loadRecording(kc, p.namespace!, 'recreate'))!);
    const rolling = summarize((await loadRecording(kc, p.namespace!, 'rolling'))!);
    const canary = summarize((await loadRecording(kc, p.namespace!, 'canary'))!);
    assert.ok(recreate.downtimeMs > 0 && recreate.failed > 0, 'Recreate: a gap');
    assert.is(rolling.failed, 0, 'RollingUpdate with maxUnavailable 0: nothing failed');
    figures.push(`Recreate downtime ${(recreate.downtimeMs / 1000).toFixed(1)}s (${recreate.failed}/${recreate.total} failed); rolling ${rolling.total} requests, 0 failed; canary v2 ${canary.counts.v2 ?? 0}/${canary.answered}`);
    assert.match(byId(r.json, 'canary-paused')!.message, /Paused at step 1 \(setWeight 25\): 1 of 4 pods on v2/);
    assert.match(byId(r.json, 'revision')!.message, new RegExp(`correct \\(${Number(p.history) + 1}\\)`), 'the seeded revision');
  } finally {
    assert.is(tr.klab('reset', LAB).code, 0);
  }
  assert.equal(await leftovers(tr.seed), []);
});

t('mistakes, side by side (a trainee each): each fails exactly its named checks, diagnosis in en and ko', async () => {
  if (noRealPods()) return skipTest(noRealPods()!);
  const all = await Promise.all(mistakes(LAB).map(async (m) => { const tr = trainee(`d1-${m.file.replace(/\.yaml$/, '')}`); return { m, tr, p: await paramsOf(tr) }; }));
  // Each trainee's klab runs beside the others' (the CLI as the trainee runs it, with the trainee's flags).
  const klab = (tr: ReturnType<typeof trainee>, ...args: string[]) => cliAsync([...args, '--kubeconfig', tr.info.kubeconfig, '--context', tr.info.context], tr.env, 240_000);
  const typed: string[] = [];
  try {
    for (const st of await timed('starts', () => Promise.all(all.map(({ tr }) => klab(tr, 'start', LAB, '--no-guide'))))) assert.is(st.code, 0, st.stderr);
    await timed(`${all.length} mistakes at once`, () => Promise.all(all.map(async ({ m, tr, p }) => { const s = Date.now(); await typeAsync(m.commands, p, tr.env); typed.push(`${m.file.replace(/\.yaml$/, '')} ${((Date.now() - s) / 1000).toFixed(0)}s`); })));
    figures.push(`(${typed.join(', ')})`);
    const kc = await testKubeConfig();
    await timed('checks', () => Promise.all(all.map(async ({ m, tr, p }) => {
      for (const [q, v] of Object.entries({ ...(await answers(p, kc)), ...(m.answers ?? {}) })) assert.is((await klab(tr, 'answer', LAB, q, v)).code, 0);
      const [en, ko] = await Promise.all([klab(tr, 'check', LAB, '--json', '--lang', 'en'), klab(tr, 'check', LAB, '--json', '--lang', 'ko')]);
      const r = JSON.parse(en.stdout) as CheckJson;
      // What must pass first: a failing gate (e.g. the recording) explains the rest.
      for (const id of m.expect.pass ?? []) assert.is(byId(r, id)?.status, 'pass', `${m.file}: ${id} must pass: ${byId(r, id)?.message}`);
      for (const [id, diag] of Object.entries(m.expect.fail)) {
        const c = byId(r, id);
        assert.is(c?.status, 'fail', `${m.file}: ${id} must fail: ${c?.status} ${c?.message}`);
        assert.ok(c!.message.toLowerCase().includes(diag.en.toLowerCase()), `${m.file}: ${id}: "${diag.en}" not in: ${c!.message}`);
        assert.ok(ko.stdout.includes(diag.ko), `${m.file}: ${id}: Korean diagnosis "${diag.ko}" missing`);
      }
    })));
  } finally {
    const resets = await timed('resets', () => Promise.all(all.map(({ tr }) => klab(tr, 'reset', LAB))));
    for (const r of resets) assert.is(r.code, 0, r.stderr);
  }
  for (const { tr } of all) assert.equal(await leftovers(tr.seed), []);
});

t.after(() => { console.log(`  ${LAB}: ${figures.join(' · ')} · file total ${((Date.now() - t0) / 1000).toFixed(1)}s`); });

t.run();
