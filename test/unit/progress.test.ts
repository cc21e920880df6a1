// The progress store: atomic writes, corrupt/foreign files set aside (never a crash), concurrent writers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ProgressStore, PROGRESS_VERSION } from '../../labs/_engine/progress.js';
import { tempDir, root, cli } from './_cli.js';

test('update creates, persists and never leaves temp or lock files', () => {
  const dir = tempDir();
  const s = new ProgressStore(dir);
  s.update('ctx', 'hello', 'seed1', (p) => { p.passedSteps.push(1); p.answers.q = 'a'; });
  const again = new ProgressStore(dir).get('ctx', 'hello');
  assert.ok(again);
  assert.equal(again!.passedSteps, [1]);
  assert.is(again!.seed, 'seed1');
  assert.is(again!.answers.q, 'a');
  assert.equal(readdirSync(dir), ['progress.json']);
  assert.is(JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')).version, PROGRESS_VERSION);
});

test('keyed by context and lab', () => {
  const s = new ProgressStore(tempDir());
  s.update('kind-klab', 'i-m1', 's', (p) => { p.currentStep = 3; });
  s.update('klab-local', 'i-m1', 's', (p) => { p.currentStep = 2; });
  assert.is(s.get('kind-klab', 'i-m1')!.currentStep, 3);
  assert.is(s.get('klab-local', 'i-m1')!.currentStep, 2);
  assert.is(s.get('kind-klab', 'i-m2'), undefined);
});

test('a corrupt file is set aside and reported, not a crash', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'progress.json'), '{"version":1,"labs":{"x": tru');
  const s = new ProgressStore(dir);
  assert.is(s.all().length, 0);
  assert.is(s.warnings.length, 1);
  assert.match(s.warnings[0].en, 'corrupt');
  assert.match(s.warnings[0].ko, '손상');
  assert.ok(readdirSync(dir).some((f) => f.startsWith('progress.json.bad-')));
  s.update('c', 'l', 's', () => {});
  assert.is(new ProgressStore(dir).all().length, 1);
});

test('a file of another version is set aside with its version named', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'progress.json'), JSON.stringify({ version: 99, labs: {} }));
  const s = new ProgressStore(dir);
  s.all();
  assert.match(s.warnings[0].en, 'version 99');
});

test('the CLI reports a corrupt progress file and goes on (exit 0)', () => {
  const state = tempDir();
  mkdirSync(join(state, 'klab'));
  writeFileSync(join(state, 'klab', 'progress.json'), 'garbage');
  const r = cli(['--lang', 'ko', 'status'], { XDG_STATE_HOME: state });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, '진행 파일이 손상되어');
  assert.match(r.stdout, '아직 시작한 실습이 없습니다');
});

test('concurrent writers from separate processes lose no update', async () => {
  const dir = tempDir();
  const script = `import { ProgressStore } from ${JSON.stringify(join(root, 'dist/labs/_engine/progress.js'))};
    const s = new ProgressStore(${JSON.stringify(dir)});
    for (let i = 0; i < 10; i++) s.update('ctx', 'lab', 'seed', (p) => { p.passedChecks.push(process.pid + '-' + i); });`;
  const procs = Array.from({ length: 6 }, () => new Promise<number>((res) => {
    spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).on('close', (c) => res(c ?? -1));
  }));
  assert.equal(await Promise.all(procs), [0, 0, 0, 0, 0, 0]);
  const p = new ProgressStore(dir).get('ctx', 'lab')!;
  assert.is(p.passedChecks.length, 60);
  assert.equal(readdirSync(dir), ['progress.json']);
});

test.run();
