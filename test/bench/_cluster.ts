// What the cluster benchmarks share: which cluster to measure, and a kubectl to prepare it with.
//   KLAB_TEST_CLUSTER (JSON ClusterInfo), else KLAB_BENCH_KUBECONFIG (+ KLAB_BENCH_CONTEXT),
//   else the local provider's ~/.local/state/klab/local/kubeconfig
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function benchTarget(bench: string): { kubeconfig: string; context: string } {
  if (process.env.KLAB_TEST_CLUSTER) { const i = JSON.parse(process.env.KLAB_TEST_CLUSTER); return { kubeconfig: i.kubeconfig, context: i.context }; }
  if (process.env.KLAB_BENCH_KUBECONFIG) return { kubeconfig: process.env.KLAB_BENCH_KUBECONFIG, context: process.env.KLAB_BENCH_CONTEXT ?? '' };
  const kc = join(homedir(), '.local/state/klab/local/kubeconfig');
  if (existsSync(kc)) return { kubeconfig: kc, context: 'klab-local' };
  console.error(`${bench} needs a running cluster: \`klab cluster up --provider local\`, or set KLAB_BENCH_KUBECONFIG.`);
  process.exit(2);
}

export function benchKubectl(bench: string, why: string): string {
  const dir = join(homedir(), '.cache/klab/bin');
  const cached = existsSync(dir) ? readdirSync(dir).filter((f) => /^kubectl-v[\d.]+$/.test(f)).sort().pop() : undefined;
  if (cached) return join(dir, cached);
  if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0) return 'kubectl';
  console.error(`${bench} needs kubectl ${why}.`);
  process.exit(2);
}
