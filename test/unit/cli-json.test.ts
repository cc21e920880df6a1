// The --json shapes instructors and scripts rely on, and the unreachable-cluster contract (every check error, exit 3).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, deadKubeconfig } from './_cli.js';

test('list --json: id, level, title {ko,en}, steps', () => {
  const r = cli(['list', '--json']);
  assert.is(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.ok(rows.length >= 1);
  for (const row of rows) {
    assert.type(row.id, 'string');
    assert.ok(['low', 'mid', 'high'].includes(row.level as string));
    const title = row.title as { ko: string; en: string };
    assert.type(title.ko, 'string');
    assert.type(title.en, 'string');
    assert.type(row.steps, 'number');
  }
});

test('status --json with no progress is an empty list', () => {
  const r = cli(['status', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), []);
});

test('check against a cluster that refuses connections: every check error, exit 3, JSON shape kept', () => {
  const r = cli(['--lang', 'en', 'check', 'hello', '--json', '--kubeconfig', deadKubeconfig()]);
  assert.is(r.code, 3, r.stderr);
  const j = JSON.parse(r.stdout) as { lab: string; seed: string; passed: boolean; score: number; maxScore: number; unreachable: boolean; checks: { id: string; status: string; points: number; maxPoints: number; message: string; hint?: string }[] };
  assert.is(j.lab, 'hello');
  assert.type(j.seed, 'string');
  assert.is(j.passed, false);
  assert.is(j.score, 0);
  assert.is(j.maxScore, 20);
  assert.is(j.unreachable, true);
  assert.is(j.checks.length, 2);
  for (const c of j.checks) {
    assert.is(c.status, 'error', 'never fail: the trainee did nothing wrong');
    assert.is(c.points, 0);
    assert.is(c.maxPoints, 10);
    assert.match(c.message, /Cannot reach the cluster|ECONNREFUSED/);
  }
});

test('check in Korean against an unreachable cluster says so and that it is not the trainee\'s fault', () => {
  const r = cli(['--lang', 'ko', 'check', 'hello', '--kubeconfig', deadKubeconfig()]);
  assert.is(r.code, 3);
  assert.match(r.stderr + r.stdout, '클러스터에 연결할 수 없습니다');
  assert.match(r.stdout, '실습자의 잘못이 아닙니다');
  assert.not.match(r.stderr, /\n\s+at /);
});

test('unknown lab → exit 2 naming the labs that exist', () => {
  const r = cli(['--lang', 'en', 'check', 'nope', '--kubeconfig', deadKubeconfig()]);
  assert.is(r.code, 2);
  assert.match(r.stderr, "There is no lab 'nope'. Labs: ");
  assert.match(r.stderr, 'hello');
});

test('a missing lab argument and a missing cluster subcommand are usage errors', () => {
  assert.is(cli(['check']).code, 2);
  const c = cli(['--lang', 'ko', 'cluster']);
  assert.is(c.code, 2);
  assert.match(c.stderr, 'klab cluster up|down|status|build');
});

test('--help and --version exit 0; an unknown command exits 2', () => {
  assert.is(cli(['--help']).code, 0);
  assert.match(cli(['--version']).stdout, /^klab \d+\.\d+\.\d+/);
  assert.is(cli(['frobnicate']).code, 2);
});

test.run();
