// `npm run bench:cluster`: figures for the local provider (printed, not asserted):
// build time (cold, if binaries are missing now; otherwise the recorded builds), warm `up` time with a breakdown,
// peak memory of the control plane after a small workload, `down` time, and that nothing is left running.
import { readFileSync } from 'node:fs';
import type { Progress } from '../../cluster/provider.js';
import { createProvider, buildLocal, assertNothingRunning } from '../../cluster/local.js';
import { missingTools, readBuildTimes } from '../../cluster/local/tools.js';
import { up, down, readState, runKubectl } from '../../cluster/local/cluster.js';

const quiet: Progress = { phase() {}, done() {}, info() {} };
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

function memKb(pid: number): { rss: number; hwm: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    return { rss: get('VmRSS'), hwm: get('VmHWM') };
  } catch { return { rss: 0, hwm: 0 }; }
}

async function main(): Promise<void> {
  const provider = createProvider({});
  if ((await provider.status()).running) {
    console.error('A local cluster is running; stop it first: klab cluster down --provider local');
    process.exitCode = 2;
    return;
  }
  console.log('# local provider benchmark (2 cores shared machine: figures vary)\n');

  const missing = missingTools();
  if (missing.length > 0) {
    const t = Date.now();
    await buildLocal(quiet);
    console.log(`build of ${missing.length} missing binaries: ${secs(Date.now() - t)}`);
  }
  const builds = readBuildTimes().filter((b) => !b.cached);
  if (builds.length) {
    console.log('recorded builds (binary, version, seconds, when):');
    for (const b of builds) console.log(`  ${b.name.padEnd(24)} ${b.version.padEnd(9)} ${String(b.seconds).padStart(7)} s  ${b.at}`);
  } else {
    console.log('build: all binaries were already cached and no build was recorded by this cache');
  }

  const t0 = Date.now();
  const r = await up(quiet);
  const upMs = Date.now() - t0;
  console.log(`\nwarm up: ${secs(upMs)} (all nodes Ready at ${r.timings.nodesReady} s)`);
  console.log('  breakdown (s since start): ' + Object.entries(r.timings).map(([k, v]) => `${k} ${v}`).join(', '));

  // A small workload so memory reflects use, not just idle start-up.
  const kc = r.info.kubeconfig;
  await runKubectl(['create', 'namespace', 'bench'], kc);
  await runKubectl(['-n', 'bench', 'create', 'deployment', 'web', '--image=busybox:1.35', '--replicas=20', '--', 'sleep', '3600'], kc);
  await runKubectl(['-n', 'bench', 'wait', '--for=condition=Available', 'deployment/web', '--timeout=120s'], kc);
  const state = readState()!;
  let totalRss = 0; let totalHwm = 0;
  console.log('\nmemory after a 20-replica Deployment (RSS now / peak RSS):');
  for (const p of state.procs) {
    const m = memKb(p.pid);
    totalRss += m.rss; totalHwm += m.hwm;
    console.log(`  ${p.name.padEnd(24)} ${mib(m.rss).padStart(8)} / ${mib(m.hwm).padStart(8)}`);
  }
  console.log(`  ${'total'.padEnd(24)} ${mib(totalRss).padStart(8)} / ${mib(totalHwm).padStart(8)} (sum of per-process peaks)`);

  const t1 = Date.now();
  await down(quiet);
  console.log(`\ndown: ${secs(Date.now() - t1)}`);
  assertNothingRunning();
  console.log('after down: no process of the local cluster is left');
}

main().catch((e) => {
  console.error(e?.text?.en ?? e);
  if (e?.detail) console.error(e.detail);
  process.exitCode = e?.exitCode ?? 1;
});
