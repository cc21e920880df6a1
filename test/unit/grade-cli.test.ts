// klab grade through the CLI, without a cluster: usage errors (ko/en, exit 2), a roster whose clusters are all
// unreachable (every trainee `error`, results still written and signed, exit 3), verify/tamper, merge.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, deadKubeconfig, tempDir, root } from './_cli.js';
import { helpText } from '../../scripts/help.js';

const state = tempDir('klab-grade-state-');
const env = { XDG_STATE_HOME: state };
const grade = (...a: string[]) => cli(['grade', ...a], env);

test('usage errors: no mode, --submission for a lab without submissions, roster with --context, bad flags — exit 2, both languages', () => {
  const none = grade('--lang', 'en');
  assert.is(none.code, 2);
  assert.match(none.stderr, 'klab grade --roster roster.yaml');
  for (const [lang, text] of [['en', "Lab 'hello' does not grade submissions"], ['ko', '제출물 채점을 하지 않습니다']]) {
    const s = grade('--submission', 'sub/', '--lab', 'hello', '--lang', lang);
    assert.is(s.code, 2, s.stderr);
    assert.match(s.stderr, text);
    assert.not.match(s.stderr, '    at ');
  }
  assert.is(grade('--roster', 'r.yaml', '--context', 'x', '--lang', 'en').code, 2);
  const c = grade('--lab', 'hello', '--concurrency', '0', '--lang', 'en');
  assert.is(c.code, 2);
  assert.match(c.stderr, "--concurrency '0'");
  const f = grade('--lab', 'hello', '--format', 'json,pdf', '--lang', 'en');
  assert.is(f.code, 2);
  assert.match(f.stderr, "--format 'pdf'");
  const l = grade('--lab', 'nope', '--lang', 'en');
  assert.is(l.code, 2);
  assert.match(l.stderr, "There is no lab 'nope'");
  assert.is(grade('frobnicate', '--lang', 'en').code, 2);
  assert.is(grade('verify', '--lang', 'en').code, 2);
});

test('a malformed roster: file:line and exit 2, nothing graded', () => {
  const dir = tempDir('klab-roster-');
  const file = join(dir, 'roster.yaml');
  writeFileSync(file, 'labs: [hello]\ntrainees:\n  - id: kim\n    kontext: x\n');
  const r = cli(['grade', '--roster', file, '--lang', 'en', '--out', join(dir, 'out')], env);
  assert.is(r.code, 2);
  assert.match(r.stderr, /roster\.yaml:4: unknown property 'kontext'/);
  assert.not.ok(existsSync(join(dir, 'out')));
});

test('roster on unreachable clusters: every trainee error (no points lost), all formats written, signed; exit 3', () => {
  const dir = tempDir('klab-roster-');
  const kc = deadKubeconfig();
  writeFileSync(join(dir, 'roster.yaml'), `labs: [hello]\nkubeconfig: ${kc}\ntrainees:\n  - { id: kim, name: 김민수 }\n  - { id: lee, seed: s-lee, context: dead }\n`);
  const out = join(dir, 'out');
  const r = cli(['grade', '--roster', join(dir, 'roster.yaml'), '--format', 'json,junit,csv,md,html', '--out', out, '--lang', 'en', '--concurrency', '2'], env);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stdout, /kim\s+김민수\s+error\s+error\s+error/);
  assert.match(r.stderr, '2 trainees: 0 graded · 0 partly graded · 2 errors');
  assert.match(r.stderr, 'lost no points');
  for (const f of ['results.json', 'results.junit.xml', 'results.csv', 'results.md', 'gradebook.html']) assert.ok(existsSync(join(out, f)), f);
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.equal(doc.trainees.map((t: { id: string; seed: string; status: string; score: number; ungradedPoints: number }) => [t.id, t.seed, t.status, t.score, t.ungradedPoints]), [['kim', 'kim', 'error', 0, 20], ['lee', 's-lee', 'error', 0, 20]]);
  assert.match(doc.trainees[0].error.en, 'ECONNREFUSED');
  assert.is(statSync(join(state, 'klab', 'grade.key')).mode & 0o777, 0o600);

  const ok = cli(['grade', 'verify', join(out, 'results.json'), '--lang', 'en'], env);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, 'signature OK');
  const tampered = join(dir, 'tampered.json');
  doc.trainees[1].ungradedPoints = 0;
  doc.trainees[1].score = 20;
  writeFileSync(tampered, JSON.stringify(doc, null, 2));
  const bad = cli(['grade', 'verify', join(out, 'results.json'), tampered, '--lang', 'en'], env);
  assert.is(bad.code, 1);
  assert.match(bad.stdout, 'signature OK');
  assert.match(bad.stderr, 'tampered.json: signature mismatch');
  const ko = cli(['grade', 'verify', tampered, '--lang', 'ko'], env);
  assert.match(ko.stderr, '서명이 맞지 않습니다');
  const otherKey = cli(['grade', 'verify', join(out, 'results.json'), '--lang', 'en'], { XDG_STATE_HOME: tempDir() });
  assert.is(otherKey.code, 2, 'no key at all: an input error');
  assert.match(otherKey.stderr, 'does not exist');
  const notJson = join(dir, 'roster.yaml');
  assert.is(cli(['grade', 'verify', notJson, '--lang', 'en'], env).code, 2);

  // merge: a shard with the same trainees twice is refused; a tampered shard is refused; two good shards merge
  const merged = join(dir, 'merged');
  const dup = cli(['grade', 'merge', join(out, 'results.json'), join(out, 'results.json'), '--out', merged, '--lang', 'en'], env);
  assert.is(dup.code, 2);
  assert.match(dup.stderr, "Trainee 'kim' is in both");
  assert.is(cli(['grade', 'merge', tampered, '--out', merged, '--lang', 'en'], env).code, 1);
  const shard = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.ok(shard.signature);
});

test('live mode: one trainee, --json prints the signed document; unreachable → exit 3', () => {
  const r = cli(['grade', '--lab', 'hello', '--kubeconfig', deadKubeconfig(), '--seed', 'kim', '--json', '--lang', 'en'], env);
  assert.is(r.code, 3, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.mode, 'live');
  assert.equal([doc.trainees[0].id, doc.trainees[0].seed, doc.trainees[0].status], ['kim', 'kim', 'error']);
  assert.is(doc.signature.alg, 'HMAC-SHA256');
});

test('progress on a terminal: done/total and who is being graded (driven in a pseudo-terminal)', () => {
  const dir = tempDir('klab-roster-');
  const kc = deadKubeconfig();
  writeFileSync(join(dir, 'roster.yaml'), `labs: [hello]\nkubeconfig: ${kc}\ntrainees:\n  - { id: kim }\n  - { id: lee }\n  - { id: park }\n`);
  const cmd = [process.execPath, join(root, 'dist/scripts/klab.js'), 'grade', '--roster', join(dir, 'roster.yaml'), '--out', join(dir, 'out'), '--concurrency', '1', '--lang', 'en']
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env, NO_COLOR: '1', TERM: 'xterm' } });
  assert.is(r.status, 3, r.stdout);
  for (const s of ['Grading 0/3 · now: kim', 'Grading 1/3 · now: lee', 'Grading 2/3 · now: park', 'Grading 3/3']) assert.match(r.stdout, s);
  assert.match(r.stdout, '\r\x1b[K', 'the progress line is rewritten in place');
});

test('help documents klab grade in both languages', () => {
  assert.match(helpText('en'), 'grade --roster');
  assert.match(helpText('ko'), 'grade --roster');
  assert.match(helpText('en'), 'grade verify');
});

test.run();
