// `npm test`: unit tests, then the integration suite against a live cluster brought up once (global setup) and torn
// down after. Prints uvu's output and ends with one line `N passed, N failed` (skipped counted apart).
//   --unit              unit tests only
//   KLAB_TEST_PROVIDER  local (default) | kind | existing (uses KLAB_TEST_KUBECONFIG / KLAB_TEST_CONTEXT)
//   KLAB_TEST_KEEP=1    leave the cluster running afterwards (for debugging)
//   KLAB_TEST_UNIT_JOBS, KLAB_TEST_INTEGRATION_JOBS  files run side by side (default 2 and 2; 1 = one at a time)
//   KLAB_TEST_EXAMPLE_CONCURRENCY  trainees of the generic harnesses at once (default 3)
//   KLAB_TEST_LABS=d1   the generic harnesses (mistakes, alternatives, guided): only these labs (comma-separated)
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tr } from '../i18n/index.js';
import { SKIP_MARK } from './skip.js';
import type { ClusterInfo, Progress, ProviderName } from '../cluster/provider.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const uvu = join(root, 'node_modules/uvu/bin.js');
const totals = { passed: 0, failed: 0, skipped: 0 };
/** Wall time per test file (or unit directory), printed in the summary. */
const times: { what: string; ms: number; passed: number; failed: number; skipped: number }[] = [];
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Run one uvu process; `buffered`: print its output in one piece when it ends (files running side by side). */
function runUvu(dir: string, env: NodeJS.ProcessEnv, pattern?: string, label = dir, buffered = false): Promise<void> {
  const t0 = Date.now();
  // This file's own counts (files side by side change `totals` meanwhile: never diff it).
  const mine = { passed: 0, failed: 0, skipped: 0 };
  return new Promise((done) => {
    const args = [uvu, dir, ...(pattern ? [pattern] : []), '--ignore', '^_'];
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { if (!buffered) process.stdout.write(d); out += d.toString(); });
    child.on('close', (code) => {
      if (buffered) process.stdout.write(`\n[${label}]\n${out}`);
      const num = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(strip(out))?.[1] ?? NaN);
      const total = num('Total'), skipped = num('Skipped');
      // Tests that reported a runtime skip (test/skip.ts) ran to their `return`: uvu counted them as passed.
      const marked = strip(out).split('\n').filter((l) => l.startsWith(SKIP_MARK)).length;
      const passed = num('Passed') - marked;
      mine.skipped += marked;
      if (Number.isNaN(total) || Number.isNaN(passed)) {
        // uvu died before its summary (a file threw at load): count it as a failure, never as nothing.
        console.log(`\n[run] ${dir}: uvu exited with ${code} before printing a summary — counted as 1 failure`);
        mine.failed += 1;
      } else {
        mine.passed += passed;
        mine.skipped += Number.isNaN(skipped) ? 0 : skipped;
        mine.failed += total - (passed + marked) - (Number.isNaN(skipped) ? 0 : skipped); // a marked skip was counted as passed by uvu
        if (code !== 0 && total === passed + marked) mine.failed += 1; // non-zero exit without a counted failure
      }
      totals.passed += mine.passed; totals.failed += mine.failed; totals.skipped += mine.skipped;
      times.push({ what: label, ms: Date.now() - t0, ...mine });
      done();
    });
  });
}

function plainProgress(): Progress {
  let t = Date.now(); let name = '';
  return {
    phase(text) { name = tr(text, 'en'); t = Date.now(); console.log(`[setup] ${name} …`); },
    done(note) { console.log(`[setup] ${name} done in ${((Date.now() - t) / 1000).toFixed(1)}s${note ? ` — ${tr(note, 'en')}` : ''}`); },
    info(text) { console.log(`[setup]   ${tr(text, 'en')}`); },
  };
}

async function integration(pattern?: string): Promise<void> {
  const provider = (process.env.KLAB_TEST_PROVIDER ?? 'local') as ProviderName;
  const t0 = Date.now();
  let info: ClusterInfo | undefined;
  const { getProvider } = await import('../cluster/index.js');
  const p = await getProvider(provider, { kubeconfig: process.env.KLAB_TEST_KUBECONFIG, context: process.env.KLAB_TEST_CONTEXT, yes: true });
  try {
    const avail = await p.available();
    if (!avail.ok && provider === 'kind') {
      // Not this machine's provider: say so, count nothing (neither a pass nor a fake failure).
      console.log(`[setup] integration suite NOT RUN on kind: ${tr(avail.reason ?? { ko: '', en: 'kind is not available' }, 'en')}`);
      return;
    }
    if (!avail.ok) throw new Error(tr(avail.reason ?? { ko: '', en: 'not available' }, 'en'));
    if (provider === 'local') {
      const local = (await import('../cluster/local.js')) as unknown as { buildLocal(p: Progress): Promise<void> };
      await local.buildLocal(plainProgress());
    }
    info = await p.up({ progress: plainProgress(), yes: true });
    const { dockerHost, lbRange } = await p.locate();
    if (dockerHost) info = { ...info, dockerHost };
    if (lbRange) info = { ...info, lbRange };
    console.log(`[setup] cluster ${info.provider}/${info.context} up after ${((Date.now() - t0) / 1000).toFixed(1)}s; capabilities ${JSON.stringify(info.capabilities)}`);
  } catch (e) {
    console.log(`[setup] FAILED to bring up the ${provider} cluster: ${(e as { text?: { en: string } }).text?.en ?? (e as Error).message}`);
    if ((e as Error).stack) console.log((e as Error).stack);
    totals.failed += 1;
  }
  if (info) {
    const env = { ...process.env, KLAB_TEST_CLUSTER: JSON.stringify(info), PATH: info.binDir ? `${info.binDir}:${process.env.PATH}` : process.env.PATH, ...(info.dockerHost ? { DOCKER_HOST: info.dockerHost } : {}) };
    // One process per file: a file that throws while loading, or changes its environment, cannot hide the others.
    const dir = join(root, 'dist/test/integration');
    const files = readdirSync(dir).filter((f) => f.endsWith('.test.js') && (!pattern || new RegExp(pattern).test(f))).sort();
    const run1 = (f: string, buffered = false) => runUvu('dist/test/integration', env, `^${f.replace(/[.]/g, '\\.')}$`, f.replace(/\.js$/, '.ts'), buffered);
    // Most of an integration file's time is waiting for the cluster (load ≈ 1 on 2 cores), so files that cannot
    // disturb each other run side by side (KLAB_TEST_INTEGRATION_JOBS, default 2): each trainee works in namespaces
    // of its own seed, and `klab reset` removes only its own seed's (decision 0029). The others run alone, after:
    // they stop or freeze cluster components (resilience, real-node, local-cluster). lab-i-m2 (which also runs i-m2's
    // generic harnesses: _labs.ts CLUSTER_WIDE_LABS) pauses klab's own Argo while a trainee's Argo runs.
    const alone = /^(kind-cluster|local-cluster|real-node|resilience)\.test\.js$/;
    // lab-i-m2 pauses klab's Argo: it runs beside the files that never use Argo (listed here; a file not listed is
    // taken to use it and runs before), which takes its minutes out of the alone phase.
    const argoPauser = /^lab-i-m2\.test\.js$/;
    const argoFree = /^(checkers-(env-in-pod|helm-release|node-placement|resources|workloads)|grade-roster|guided-session|hello-lab|lab-(d1|i-h1|i-l1|i-m1|s1)|resume-pty)\.test\.js$/;
    const jobs = Math.max(1, Number(process.env.KLAB_TEST_INTEGRATION_JOBS ?? 2));
    // The longest files first, so the side-by-side jobs end together (longest-first scheduling).
    const longest = ['lab-mistakes', 'guided-labs', 'lab-alternatives', 'lab-d1'];
    const rank = (f: string) => { const i = longest.indexOf(f.replace(/\.test\.js$/, '')); return i < 0 ? longest.length : i; };
    const byRank = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);
    const sideBySide = async (list: string[]) => {
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(jobs, list.length) }, async () => {
        while (next < list.length) await run1(list[next++]!, jobs > 1);
      }));
    };
    const pauser = files.filter((f) => argoPauser.test(f));
    const free = files.filter((f) => argoFree.test(f) && !alone.test(f)).sort(byRank);
    // 1. Files that use klab's Argo (or may), side by side.
    await sideBySide(files.filter((f) => !alone.test(f) && !argoPauser.test(f) && !argoFree.test(f)).sort(byRank));
    // 2. lab-i-m2 in one job, the Argo-free files in the others (all of them side by side when it is not run).
    if (pauser.length && jobs > 1) {
      let next = 0;
      await Promise.all([
        (async () => { for (const f of pauser) await run1(f, true); })(),
        ...Array.from({ length: Math.min(jobs - 1, free.length) }, async () => { while (next < free.length) await run1(free[next++]!, true); }),
      ]);
    } else {
      for (const f of pauser) await run1(f);
      await sideBySide(free);
    }
    // 3. Files that stop or freeze cluster components, one at a time.
    for (const f of files.filter((x) => alone.test(x))) await run1(f);
  }
  // The pty tests' tmux server (test/integration/_pty.ts TMUX_SOCKET), with any session a failed test left behind.
  spawnSync('tmux', ['-L', 'klab-test', 'kill-server'], { stdio: 'ignore' });
  if (process.env.KLAB_TEST_KEEP === '1') { console.log('[teardown] KLAB_TEST_KEEP=1: cluster left running'); return; }
  if (provider !== 'existing') {
    try {
      await p.down({ progress: plainProgress() });
      if (provider === 'local') {
        const local = (await import('../cluster/local.js')) as unknown as { assertNothingRunning?: () => Promise<void> };
        if (local.assertNothingRunning) {
          await local.assertNothingRunning();
          console.log('[teardown] ✓ cluster down leaves no process behind');
          totals.passed += 1;
        }
      }
    } catch (e) {
      console.log(`[teardown] FAILED: ${(e as { text?: { en: string } }).text?.en ?? (e as Error).message}`);
      totals.failed += 1;
    }
  }
}

const argv = process.argv.slice(2);
const pattern = argv.find((a) => !a.startsWith('--'));
const started = Date.now();
// A whole run on `local` builds the cluster's binaries first: the unit files that render charts with helm then use
// klab's own build on a fresh machine too (they would skip without one). A failed build is reported by the
// integration setup, which tries again.
if (!argv.includes('--unit') && !argv.includes('--integration') && (process.env.KLAB_TEST_PROVIDER ?? 'local') === 'local') {
  try {
    const local = (await import('../cluster/local.js')) as unknown as { buildLocal(p: Progress): Promise<void> };
    await local.buildLocal(plainProgress());
  } catch (e) {
    console.log(`[setup] building the local cluster's binaries failed (tried again below): ${(e as { text?: { en: string } }).text?.en ?? (e as Error).message}`);
  }
}
if (!argv.includes('--integration')) {
  // One process per unit file too: each file's time is printed, and one file's crash cannot hide another's results.
  const dir = join(root, 'dist/test/unit');
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.js') && (!pattern || new RegExp(pattern).test(f))).sort();
  // Unit files need no cluster and are mostly CPU: KLAB_TEST_UNIT_JOBS (default 2) run side by side.
  const jobs = Math.max(1, Number(process.env.KLAB_TEST_UNIT_JOBS ?? 2));
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < files.length) {
      const f = files[next++]!;
      await runUvu('dist/test/unit', process.env, `^${f.replace(/[.]/g, '\\.')}$`, `unit/${f.replace(/\.js$/, '.ts')}`, jobs > 1);
    }
  }));
}
if (!argv.includes('--unit')) await integration(pattern);
console.log('\n[run] time per file:');
for (const t of times) console.log(`[run] ${(t.ms / 1000).toFixed(1).padStart(7)}s  ${t.what}  (${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''})`);
console.log(`[run] ${((Date.now() - started) / 1000).toFixed(1).padStart(7)}s  in all`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exitCode = totals.failed ? 1 : 0;
