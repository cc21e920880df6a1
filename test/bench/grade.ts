// npm run bench:grade — 20 seeded trainees of lab `hello` on one cluster (solved, each known mistake, hand-made
// mistakes, untouched), graded by `klab grade --roster` sequentially (--concurrency 1) and with 4 and 8. Prints the
// wall time of each run (the whole process, and the grading alone as klab reports it), the speed-up over
// sequential, and the peak RSS of the grading process. Goal: ≥ 3× at concurrency 8. A benchmark, not a timed test.
//   cluster: KLAB_TEST_CLUSTER (JSON ClusterInfo), else KLAB_BENCH_KUBECONFIG (+ KLAB_BENCH_CONTEXT),
//            else the local provider's ~/.local/state/klab/local/kubeconfig
//   KLAB_BENCH_TRAINEES (default 20), KLAB_BENCH_LEVELS (default 1,4,8)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { substitute } from '../../labs/_engine/params.js';
import { commands as solutionByStep } from '../../labs/hello/solution.js';
const solution = (p: Record<string, string>): string[] => Object.values(solutionByStep(p)).flat();
import { benchKubectl, benchTarget } from './_cluster.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const N = Number(process.env.KLAB_BENCH_TRAINEES ?? 20);
const LEVELS = (process.env.KLAB_BENCH_LEVELS ?? '1,4,8').split(',').map(Number);

/** What each trainee did: the reference solution, a known mistake, or nothing. */
function plans(): ((p: Record<string, string>) => string[])[] {
  const dir = join(root, 'labs/hello/mistakes');
  const known = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => (parseYaml(readFileSync(join(dir, f), 'utf8')) as { commands: string[] }).commands);
  return [
    solution,
    ...known.map((c) => (p: Record<string, string>) => c.map((x) => substitute(x, p))),
    (p) => [`kubectl create namespace ${p.namespace}`],
    (p) => [`kubectl create namespace ${p.namespace}`, `kubectl -n ${p.namespace} create configmap greetings --from-literal=message=${p.word}`],
    () => [],
  ];
}

/** Run the grader as a child; sample its peak RSS (VmHWM) from /proc while it runs. */
function gradeOnce(roster: string, out: string, concurrency: number, state: string): Promise<{ wallMs: number; gradingS: number; peakKb: number; code: number }> {
  return new Promise((done) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(root, 'dist/scripts/klab.js'), 'grade', '--roster', roster, '--out', out, '--format', 'json', '--concurrency', String(concurrency), '--lang', 'en'], {
      env: { ...process.env, XDG_STATE_HOME: state, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let peakKb = 0, err = '';
    const sample = () => {
      try { peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0)); } catch { /* exited */ }
    };
    const timer = setInterval(sample, 20);
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); sample(); });
    child.on('close', (code) => {
      clearInterval(timer);
      const gradingS = Number(/errors \(([\d.]+)s\)/.exec(err)?.[1] ?? NaN);
      done({ wallMs: Number(process.hrtime.bigint() - t0) / 1e6, gradingS, peakKb, code: code ?? -1 });
    });
  });
}

async function main() {
  const t = benchTarget('bench:grade');
  const k = benchKubectl('bench:grade', 'to prepare the trainees');
  const lab = await loadLab('hello');
  const dir = mkdtempSync(join(tmpdir(), 'klab-bench-grade-'));
  const ids = Array.from({ length: N }, (_, i) => `bench${process.pid % 1000}-${String(i).padStart(2, '0')}`);
  const ps = plans();
  const env = { ...process.env, KUBECONFIG: t.kubeconfig };
  const kc = (cmd: string) => cmd.replace(/^kubectl /, `${k} ${t.context ? `--context ${t.context} ` : ''}`);
  const namespaces: string[] = [];
  try {
    console.log(`preparing ${N} trainees of lab hello …`);
    ids.forEach((id, i) => {
      const p = labParams(lab, id);
      namespaces.push(p.namespace);
      for (const c of ps[i % ps.length](p)) {
        const r = spawnSync('bash', ['-c', kc(c)], { env, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`${c}: ${r.stderr}`);
      }
    });
    const roster = join(dir, 'roster.yaml');
    writeFileSync(roster, ['labs: [hello]', `kubeconfig: ${t.kubeconfig}`, ...(t.context ? [`context: ${t.context}`] : []), 'trainees:', ...ids.map((id) => `  - id: ${id}`)].join('\n') + '\n');
    const rows: { c: number; wallMs: number; gradingS: number; peakKb: number }[] = [];
    for (const c of LEVELS) {
      const r = await gradeOnce(roster, join(dir, `out-${c}`), c, dir);
      if (r.code !== 0) throw new Error(`klab grade --concurrency ${c} exited with ${r.code}`);
      const doc = JSON.parse(readFileSync(join(dir, `out-${c}`, 'results.json'), 'utf8')) as { trainees: { status: string; score: number }[] };
      const scores = doc.trainees.map((x) => x.score).join(',');
      console.log(`concurrency ${c}: ${(r.wallMs / 1000).toFixed(1)}s wall, ${r.gradingS.toFixed(1)}s grading, peak RSS ${(r.peakKb / 1024).toFixed(0)} MiB; scores ${scores}`);
      rows.push({ c, ...r });
    }
    const base = rows[0];
    console.log('\nconcurrency  wall(s)  grading(s)  speed-up(wall)  speed-up(grading)  peak RSS (MiB)');
    for (const r of rows) {
      console.log(`${String(r.c).padStart(11)}  ${(r.wallMs / 1000).toFixed(1).padStart(7)}  ${r.gradingS.toFixed(1).padStart(10)}  ${(base.wallMs / r.wallMs).toFixed(2).padStart(14)}×  ${(base.gradingS / r.gradingS).toFixed(2).padStart(16)}×  ${(r.peakKb / 1024).toFixed(0).padStart(14)}`);
    }
    const at8 = rows.find((r) => r.c === 8);
    if (at8 && base.c === 1) console.log(`\ngoal ≥ 3× at concurrency 8: ${(base.wallMs / at8.wallMs).toFixed(2)}× (wall) — ${base.wallMs / at8.wallMs >= 3 ? 'met' : 'NOT met'}`);
  } finally {
    for (const ns of namespaces) spawnSync(k, [...(t.context ? ['--context', t.context] : []), 'delete', 'namespace', ns, '--ignore-not-found', '--wait=false'], { env, stdio: 'ignore' });
  }
}

await main();
