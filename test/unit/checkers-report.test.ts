import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toJson } from '../../checkers/report/json.js';
import { toJUnit } from '../../checkers/report/junit.js';
import { renderTerminal } from '../../checkers/report/terminal.js';
import { summarise } from '../../checkers/runner.js';
import type { CheckResult } from '../../checkers/types.js';

const T = (ko: string, en: string) => ({ ko, en });
const results: CheckResult[] = [
  { id: 'secret', title: T('시크릿', 'Secret'), step: 1, status: 'pass', points: 2, maxPoints: 2, required: true, message: T('좋음', 'fine'), evidence: [], verifiedBy: 'spec', durationMs: 12 },
  { id: 'token', title: T('토큰', 'Token'), step: 2, status: 'fail', points: 0, maxPoints: 3, required: true,
    message: T('TOKEN: 기대값 "가나다", 실제값 "가나다\\n" (끝에 줄바꿈)', 'TOKEN: expected "가나다", found "가나다\\n" (ends with a newline)'),
    hint: T('echo -n 을 쓰세요', 'Use echo -n'), evidence: [{ kind: 'field', title: T('환경', 'Environment'), lines: ['TOKEN: expected "가나다", found "가나다\\n" <&>'] }], verifiedBy: 'cluster', durationMs: 800 },
  { id: 'logs', title: T('로그', 'Logs'), step: 2, status: 'skip', points: 0, maxPoints: 1, required: false, message: T('건너뜀', 'skipped: no logs'), evidence: [], durationMs: 0 },
  { id: 'perm', title: T('권한', 'Perm'), status: 'error', points: 0, maxPoints: 1, required: false, message: T('권한 없음', "Permission denied (403): user x may not 'list' 'pods'"), evidence: [], durationMs: 5 },
];
const run = summarise(results, 'i-m1', 'kim');

test('summarise: score/max/steps/passed', () => {
  assert.is(run.score, 2);
  assert.is(run.maxScore, 7);
  assert.equal(run.steps, [{ step: 1, score: 2, maxScore: 2 }, { step: 2, score: 0, maxScore: 4 }]);
  assert.not.ok(run.passed);
  assert.not.ok(run.unreachable);
});

test('JSON report: versioned shape, strings in the chosen language', () => {
  const en = toJson(run, 'en');
  assert.is(en.schemaVersion, 1);
  assert.equal(Object.keys(en).sort(), ['checks', 'lab', 'lang', 'maxScore', 'passed', 'schemaVersion', 'score', 'seed', 'steps', 'unreachable'].sort());
  assert.is(en.lab, 'i-m1');
  assert.is(en.unreachable, false);
  const tok = en.checks.find((c) => c.id === 'token')!;
  for (const k of ['id', 'step', 'status', 'points', 'maxPoints', 'message', 'hint', 'evidence', 'verifiedBy']) assert.ok(k in tok, k);
  assert.is(tok.message, 'TOKEN: expected "가나다", found "가나다\\n" (ends with a newline)');
  assert.is(tok.hint, 'Use echo -n');
  assert.is(tok.evidence[0].title, 'Environment');
  assert.is(en.checks[0].verifiedBy, 'spec');
  assert.is(en.checks[0].hint, null);
  assert.is(en.checks[2].verifiedBy, null, 'a skip verified nothing');
  assert.is(en.checks[3].step, null);
  const ko = toJson(run, 'ko');
  assert.is(ko.checks[1].hint, 'echo -n 을 쓰세요');
  assert.is(ko.checks[1].title, '토큰');
  assert.equal(JSON.parse(JSON.stringify(en)), en);
  assert.not.ok('timedOut' in tok, 'a settled fail has no timedOut');
  const moving = toJson(summarise([{ ...results[1], timedOut: true }], 'i-m1', 'kim'), 'en');
  assert.is(moving.checks[0].timedOut, true, 'a fail at the timeout while still changing says so');
});

test('JUnit: one testcase per check; fail → <failure>, error → <error>, skip → <skipped>; escaped', () => {
  const x = toJUnit(run, 'en');
  assert.match(x, '<?xml version="1.0" encoding="UTF-8"?>');
  assert.is((x.match(/<testcase /g) ?? []).length, 4);
  assert.match(x, /<testsuites name="klab i-m1" tests="4" failures="1" errors="1" skipped="1"/);
  assert.match(x, /<failure message="TOKEN: expected &quot;가나다&quot;[^"]*" type="fail">/);
  assert.match(x, 'Hint: Use echo -n');
  assert.match(x, '&lt;&amp;&gt;');
  assert.match(x, /<error message="Permission denied \(403\)/);
  assert.match(x, '<skipped message="skipped: no logs"/>');
  assert.match(x, '<testsuite name="i-m1 step 2"');
  const ko = toJUnit(run, 'ko');
  assert.match(ko, '힌트: echo -n 을 쓰세요');
  // well-formed enough: every open testcase closes
  assert.is((x.match(/<testcase [^>]*[^/]>/g) ?? []).length, (x.match(/<\/testcase>/g) ?? []).length);
});

test('terminal: grouped by step, marks, diagnosis then hint, evidence indented; colour optional', () => {
  const plain = renderTerminal(run, { lang: 'en', color: false });
  assert.not.match(plain, '\x1b[');
  const lines = plain.split('\n');
  const s1 = lines.indexOf('Step 1  (2/2)');
  const s2 = lines.indexOf('Step 2  (0/4)');
  assert.ok(s1 >= 0 && s2 > s1, plain);
  assert.ok(lines.some((l) => l.startsWith('✓ secret')));
  const fail = lines.findIndex((l) => l.startsWith('✗ token'));
  assert.match(lines[fail + 1], 'TOKEN: expected');
  assert.match(lines[fail + 2], 'Hint: Use echo -n');
  assert.match(lines[fail + 4], /^ {8}TOKEN: expected/);
  assert.ok(lines.some((l) => l.startsWith('- logs')));
  assert.ok(lines.some((l) => l.startsWith('! perm')));
  assert.match(plain, 'Score: 2/7  NOT PASSED');
  assert.match(plain, '[verified from spec]');
  const ko = renderTerminal(run, { lang: 'ko', color: true });
  assert.match(ko, '\x1b[31m✗\x1b[0m');
  assert.match(ko, '힌트:');
  assert.match(ko, '단계 2');
});

test('unreachable run says so', () => {
  const u = summarise(results.map((r) => ({ ...r, status: 'error' as const, points: 0 })), 'i-m1', 'kim', true);
  assert.match(renderTerminal(u, { lang: 'en', color: false }), 'The cluster is unreachable');
  assert.is(toJson(u).unreachable, true);
});

test.run();
