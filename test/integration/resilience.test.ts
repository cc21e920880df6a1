// Faults survived (issue 13), on the live local cluster: a frozen etcd or API server in the middle of `klab check`, a
// `klab start` killed with SIGKILL during setup and started again, two `klab start` of the same lab at once. klab
// must end within its bounds, never print a stack trace, and never report `fail` where the cluster could not answer:
// a check either gives the verdict it gives on a healthy cluster, or `error`.
// Components are frozen with SIGSTOP and always thawed with SIGCONT (never killed): the suite's cluster stays usable.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { trainee, type CheckJson } from './_labs.js';
import { testCluster } from './_env.js';
import { klabJs, root } from '../unit/_cli.js';
import { skipTest } from '../skip.js';

const t = suite('resilience: faults survived');
const isLocal = () => testCluster().provider === 'local';

/** The pid of a local-cluster component, by its cached binary's name (kube-apiserver-v1.35.4, etcd-v3.6.16 …). */
async function pidOf(component: string): Promise<number> {
  const procs = await import('../../host/procs.js');
  const hit = procs.processesMentioning(`/${component}-v`).find((p) => p.cmd.split(' ')[0].includes(`/${component}-v`));
  if (!hit) throw new Error(`no running ${component}`);
  return hit.pid;
}

/** `klab check` as a child process, with its wall time. */
function checkAsync(tr: ReturnType<typeof trainee>, lab: string): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((done) => {
    const p = spawn(process.execPath, [klabJs, 'check', lab, '--json', '--kubeconfig', tr.info.kubeconfig, '--context', tr.info.context, '--lang', 'en'],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: tr.state, KLAB_TRAINEE: tr.seed } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => done({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** Every check either has its healthy-cluster verdict or is `error` — never a `fail` the healthy cluster does not give. */
function onlyTruthOrError(got: CheckJson, healthy: CheckJson): void {
  const base = new Map(healthy.checks.map((c) => [c.id, c.status]));
  for (const c of got.checks) {
    if (c.status === 'error') continue;
    assert.is(c.status, base.get(c.id), `${c.id}: ${c.status} while the cluster was frozen, ${base.get(c.id)} when healthy — ${c.message}`);
  }
}

for (const component of ['etcd', 'kube-apiserver']) {
  t(`${component} frozen for 5 s in the middle of klab check: bounded, no stack trace, truth or error`, async () => {
    if (!isLocal()) return skipTest('component faults need the local provider');
    const tr = trainee(`fault-${component}`);
    assert.is(tr.klab('start', 'hello', '--no-guide').code, 0);
    try {
      const healthy = tr.checkJson('hello');
      assert.ok(healthy.json, healthy.stderr);
      const pid = await pidOf(component);
      const run = checkAsync(tr, 'hello');
      await new Promise((r) => setTimeout(r, 300));
      process.kill(pid, 'SIGSTOP');
      let thawed = false;
      const thaw = setTimeout(() => { process.kill(pid, 'SIGCONT'); thawed = true; }, 5000);
      try {
        const r = await run;
        assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
        // The probe deadline (3 s) plus the checks' own timeout (8 s) plus start-up: never an open-ended wait.
        assert.ok(r.ms < 25_000, `klab check took ${r.ms} ms`);
        assert.ok([1, 3].includes(r.code), `exit ${r.code}: ${r.stderr}`);
        const json = JSON.parse(r.stdout) as CheckJson | { error: { code: string } };
        if ('checks' in json) onlyTruthOrError(json, healthy.json!);
        else assert.is(json.error.code, 'unreachable', 'a failure before any check is the cluster\'s, exit 3');
        console.log(`  ${component} frozen: exit ${r.code} after ${r.ms} ms (${'checks' in json ? json.checks.map((c) => `${c.id}=${c.status}`).join(', ') : json.error.code})`);
      } finally {
        clearTimeout(thaw);
        if (!thawed) process.kill(pid, 'SIGCONT');
      }
      // Thawed: the same verdict as before the fault.
      const after = tr.checkJson('hello');
      assert.equal(after.json!.checks.map((c) => c.status), healthy.json!.checks.map((c) => c.status));
    } finally {
      tr.klab('reset', 'hello');
    }
  });
}

t('klab start killed (SIGKILL) during setup, then started again: the lab is whole', async () => {
  const tr = trainee('fault-kill-start');
  const t0 = Date.now();
  const p = spawn(process.execPath, [klabJs, 'start', 'i-m1', '--no-guide', '--kubeconfig', tr.info.kubeconfig, '--context', tr.info.context, '--lang', 'en'],
    { cwd: root, env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: tr.state, KLAB_TRAINEE: tr.seed }, stdio: 'ignore' });
  const closed = new Promise((r) => p.on('close', r)); // listen now: setup may finish before the kill
  await new Promise((r) => setTimeout(r, 1500));
  p.kill('SIGKILL');
  await closed;
  try {
    const again = tr.klab('start', 'i-m1', '--no-guide');
    assert.is(again.code, 0, again.stderr + again.stdout);
    assert.not.match(again.stderr, /\n\s+at /);
    const r = tr.checkJson('i-m1');
    assert.is(r.code, 1, r.stderr);
    // The starting state is complete: nothing is `error`, and the pods fail for the lab's reason.
    for (const c of r.json!.checks) assert.is.not(c.status, 'error', `${c.id}: ${c.message}`);
    assert.match(r.json!.checks.find((c) => c.id === 'env-token')!.message, 'CreateContainerConfigError');
    console.log(`  killed after ${Date.now() - t0} ms; start again and check: ok`);
  } finally {
    assert.is(tr.klab('reset', 'i-m1').code, 0);
  }
});

t('two klab start of the same lab at once: both end cleanly, the lab is set up once', async () => {
  const tr = trainee('fault-two-starts');
  const start = () => new Promise<{ code: number; stderr: string }>((done) => {
    const p = spawn(process.execPath, [klabJs, 'start', 'hello', '--no-guide', '--kubeconfig', tr.info.kubeconfig, '--context', tr.info.context, '--lang', 'en'],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: tr.state, KLAB_TRAINEE: tr.seed } });
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => done({ code: code ?? -1, stderr }));
  });
  try {
    const [a, b] = await Promise.all([start(), start()]);
    for (const r of [a, b]) {
      assert.ok([0, 2].includes(r.code), `exit ${r.code}: ${r.stderr}`);
      assert.not.match(r.stderr, /\n\s+at /);
    }
    assert.ok(a.code === 0 || b.code === 0, 'at least one start succeeds');
    const progress = JSON.parse(readFileSync(`${tr.state}/klab/progress.json`, 'utf8'));
    assert.ok(JSON.stringify(progress).includes('hello'), 'progress recorded, not lost');
    const r = tr.checkJson('hello');
    assert.is(r.code, 1, r.stderr);
    for (const c of r.json!.checks) assert.is.not(c.status, 'error', `${c.id}: ${c.message}`);
  } finally {
    assert.is(tr.klab('reset', 'hello').code, 0);
  }
});

t.run();
