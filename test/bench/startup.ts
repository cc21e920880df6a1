// npm run bench:startup — median wall time of `klab --help` and `klab list` against a bare `node -e 0`, as ratios.
// Goal: `klab --help` under 3× `node -e 0`. Prints figures; never fails a build.
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const klab = join(root, 'dist/scripts/klab.js');
const runs = Number(process.env.BENCH_RUNS ?? 21);

function median(cmd: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, cmd, { stdio: 'ignore', env: { ...process.env, LANG: 'en_US.UTF-8' } });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}`);
    if (i >= 2) times.push(ms); // two warm-up runs
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const base = median(['-e', '0']);
const help = median([klab, '--help']);
const list = median([klab, 'list']);
console.log(`node ${process.version}, ${runs} runs each (median)`);
console.log(`node -e 0      ${base.toFixed(1)} ms`);
console.log(`klab --help    ${help.toFixed(1)} ms   ${(help / base).toFixed(2)}× node  (goal < 3×)`);
console.log(`klab list      ${list.toFixed(1)} ms   ${(list / base).toFixed(2)}× node`);
