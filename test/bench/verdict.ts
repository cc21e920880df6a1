// npm run bench:verdict — for every lab: the wall time of a whole `klab check` process until its verdict, right
// after `klab start` (nothing done: every check should fail *settled*, at once) and after `klab solve` (the cluster
// has settled: every check passes as soon as it is seen). Prints the per-check breakdown of the slowest checks.
// Goal (issue 11): < 3 s in both cases for every lab. A benchmark, not a timed test.
//   cluster: KLAB_TEST_CLUSTER (JSON ClusterInfo, as npm test sets it), else the local provider's state
//   KLAB_BENCH_LABS=hello,i-l1 limits the labs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const klab = join(root, 'dist/scripts/klab.js');

function target(): { kubeconfig: string; context: string; binDir?: string } {
  if (process.env.KLAB_TEST_CLUSTER) return JSON.parse(process.env.KLAB_TEST_CLUSTER);
  const kc = join(homedir(), '.local/state/klab/local/kubeconfig');
  if (existsSync(kc)) return { kubeconfig: kc, context: 'klab-local', binDir: join(homedir(), '.local/state/klab/local/bin') };
  console.error('bench:verdict needs a running cluster: `klab cluster up --provider local` (or run it from npm test\'s environment).');
  process.exit(2);
}

const t = target();
const state = mkdtempSync(join(tmpdir(), 'klab-verdict-'));
const env = { ...process.env, XDG_STATE_HOME: state, KLAB_TRAINEE: 'bench-verdict', PATH: t.binDir ? `${t.binDir}:${process.env.PATH}` : process.env.PATH };
const flags = ['--kubeconfig', t.kubeconfig, '--context', t.context, '--lang', 'en'];
const run = (args: string[]) => spawnSync(process.execPath, [klab, ...args, ...flags], { env, encoding: 'utf8', maxBuffer: 64 << 20 });

interface Check { id: string; status: string; durationMs: number }
function timedCheck(lab: string): { s: number; verdict: string; checks: Check[] } {
  const t0 = process.hrtime.bigint();
  const r = run(['check', lab, '--json']);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  let checks: Check[] = [];
  try { checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks; } catch { /* printed below */ }
  const counts = ['pass', 'fail', 'skip', 'error'].map((st) => `${checks.filter((c) => c.status === st).length} ${st}`).join(', ');
  return { s, verdict: `exit ${r.status}: ${counts}`, checks };
}

const labs = readdirSync(join(root, 'labs')).filter((d) => !d.startsWith('_') && existsSync(join(root, 'labs', d, 'lab.yaml')))
  .filter((d) => !process.env.KLAB_BENCH_LABS || process.env.KLAB_BENCH_LABS.split(',').includes(d)).sort();
const rows: string[] = [];
try {
  for (const lab of labs) {
    const st = run(['start', lab, '--no-guide']);
    if (st.status !== 0) { rows.push(`${lab.padEnd(8)} start failed (exit ${st.status}): ${st.stderr.split('\n')[0]}`); continue; }
    const before = timedCheck(lab);
    const sol = run(['solve', lab]);
    const after = sol.status === 0 ? timedCheck(lab) : undefined;
    const slow = (c: Check[]) => [...c].sort((a, b) => b.durationMs - a.durationMs).slice(0, 3).map((x) => `${x.id} ${x.status} ${(x.durationMs / 1000).toFixed(1)}s`).join(', ');
    rows.push(`${lab.padEnd(8)} after start ${before.s.toFixed(2).padStart(6)}s (${before.verdict}; slowest: ${slow(before.checks)})`);
    rows.push(`${''.padEnd(8)} after solve ${after ? after.s.toFixed(2).padStart(6) + 's (' + after.verdict + '; slowest: ' + slow(after.checks) + ')' : `solve failed (exit ${sol.status})`}`);
    run(['reset', lab]);
  }
} finally {
  rmSync(state, { recursive: true, force: true });
}
console.log('bench:verdict — wall time of `klab check <lab>` (a new process) until its verdict; goal < 3 s');
for (const r of rows) console.log(r);
