// The host plumbing room: running a tool (zx), its timeout and missing-tool answers, the log it tees to, pid-file
// daemons, and the one wait (deadline, backoff, last observation).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, missingExecutables, startDaemon, stopDaemon, daemonPid, alive } from '../../host/procs.js';
import { poll, waitFor } from '../../host/wait.js';

const tmp = mkdtempSync(join(tmpdir(), 'klab-host-unit-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('run: output, exit code, input, arguments with spaces and quotes, log file', async () => {
  const log = join(tmp, 'run.log');
  const r = await run('sh', ['-c', 'cat; echo "$1"; echo err >&2; exit 3', 'sh', `it's a $x`], { input: 'in\n', logFile: log });
  assert.equal([r.code, r.stdout, r.stderr.trim(), r.notFound, r.timedOut], [3, `in\nit's a $x\n`, 'err', false, false]);
  assert.match(readFileSync(log, 'utf8'), /=== .* sh -c[\s\S]*in\n[\s\S]*err/);
});

test('run: a missing tool and a timeout are answers, not exceptions', async () => {
  const nf = await run('klab-no-such-tool', ['x']);
  assert.ok(nf.notFound);
  assert.is(nf.code, 127);
  const t0 = Date.now();
  const to = await run('sleep', ['5'], { timeoutMs: 300 });
  assert.ok(to.timedOut, JSON.stringify(to));
  assert.ok(Date.now() - t0 < 3000);
});

test('missingExecutables: names on PATH and absolute paths', () => {
  assert.equal(missingExecutables(['sh', '/bin/sh', 'klab-no-such-tool', '/nonexistent/x']), ['klab-no-such-tool', '/nonexistent/x']);
});

test('a pid-file daemon is found while it runs and gone after stopDaemon', async () => {
  const d = { name: 'sleeper', pidFile: join(tmp, 'run', 'sleeper.pid'), logFile: join(tmp, 'logs', 'sleeper.log') };
  const pid = startDaemon(d, '/bin/sleep', ['300']);
  assert.is(daemonPid(d.pidFile, 'sleep'), pid);
  assert.is(daemonPid(d.pidFile, 'containerd'), undefined, 'another program under that pid is not ours');
  assert.ok(await stopDaemon(d.pidFile, 2000));
  assert.not.ok(alive(pid));
  assert.not.ok(existsSync(d.pidFile));
});

test('poll: stops at the first done observation; otherwise returns the last one at the deadline', async () => {
  let n = 0;
  const ok = await poll(() => ++n, (v) => v >= 3, { timeoutMs: 5000, everyMs: 10 });
  assert.equal([ok.done, ok.last, ok.observations], [true, 3, 3]);
  const t0 = Date.now();
  const late = await poll(() => 'still moving', () => false, { timeoutMs: 200, everyMs: 20, factor: 2 });
  assert.equal([late.done, late.last], [false, 'still moving']);
  assert.ok(Date.now() - t0 < 1000, 'never sleeps past the deadline');
  assert.ok(late.observations >= 3 && late.observations <= 6, `backoff: ${late.observations} observations`);
});

test('poll: an observation that throws is "not yet", and the last error is kept', async () => {
  let n = 0;
  const r = await poll(() => { if (++n < 3) throw new Error('boom'); return n; }, (v) => v === 3, { timeoutMs: 2000, everyMs: 5 });
  assert.ok(r.done);
  const bad = await poll(() => { throw new Error('always'); }, () => true, { timeoutMs: 50, everyMs: 10 });
  assert.not.ok(bad.done);
  assert.match(String(bad.error), /always/);
  assert.is(await waitFor(() => false, { timeoutMs: 30, everyMs: 10 }), undefined);
  assert.is(await waitFor(() => 'x', { timeoutMs: 30 }), 'x');
});

test('maxRssBytes: a tool that keeps allocating is killed above the limit (memoryExceeded, not a timeout); one under it runs to the end', async () => {
  const t0 = Date.now();
  const hog = await run(process.execPath, ['-e', 'const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));'], { maxRssBytes: 160 << 20, timeoutMs: 30_000 });
  assert.ok(hog.memoryExceeded, JSON.stringify(hog).slice(0, 300));
  assert.is(hog.timedOut, false);
  assert.is.not(hog.code, 0);
  assert.ok(Date.now() - t0 < 20_000, 'stopped long before the timeout');
  const ok = await run(process.execPath, ['-e', 'process.stdout.write(String(process.env.GOMEMLIMIT))'], { maxRssBytes: 400 << 20 });
  assert.is(ok.code, 0);
  assert.not.ok(ok.memoryExceeded);
  assert.is(ok.stdout, String(Math.floor((400 << 20) * 0.8)), 'Go tools get the soft limit too');
});

test.run();
