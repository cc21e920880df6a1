// The one atomic write and the one lock (host/files.ts): exclusive create, a stale lock taken over, a live one not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryLock, writeAtomic } from '../../host/files.js';

const tmp = mkdtempSync(join(tmpdir(), 'klab-files-unit-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('writeAtomic: replaces, keeps the mode, leaves no temp file; exclusive never replaces', () => {
  const f = join(tmp, 'a', 'state.json');
  writeAtomic(f, 'one', { mode: 0o600 });
  writeAtomic(f, 'two', { mode: 0o600 });
  assert.is(readFileSync(f, 'utf8'), 'two');
  assert.is(statSync(f).mode & 0o777, 0o600);
  try { writeAtomic(f, 'three', { exclusive: true }); assert.unreachable('EEXIST expected'); } catch (e) {
    assert.is((e as NodeJS.ErrnoException).code, 'EEXIST');
  }
  assert.is(readFileSync(f, 'utf8'), 'two');
  assert.equal(readdirSync(join(tmp, 'a')), ['state.json']);
});

test('tryLock: a live owner keeps it (named), a dead owner\'s lock is taken over, release removes only ours', async () => {
  const f = join(tmp, 'x.lock');
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  try {
    writeFileSync(f, String(child.pid));
    const t0 = Date.now();
    const busy = tryLock(f, { waitMs: 200 });
    assert.is(busy.release, undefined);
    assert.is(busy.owner, child.pid);
    assert.ok(Date.now() - t0 >= 190, 'waited for the owner');
  } finally { child.kill('SIGKILL'); }
  await new Promise((r) => child.once('exit', r));
  const mine = tryLock(f);
  assert.ok(mine.release, 'the dead owner\'s lock is taken over');
  assert.is(readFileSync(f, 'utf8'), String(process.pid));
  mine.release!();
  assert.equal(readdirSync(tmp).filter((n) => n === 'x.lock'), []);
  const again = tryLock(f);
  writeFileSync(f, '999999999');
  again.release!();
  assert.is(readFileSync(f, 'utf8'), '999999999', 'a lock someone else holds now is not removed by our release');
});

test.run();
