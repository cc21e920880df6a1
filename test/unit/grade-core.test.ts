// The grading core on recorded RunResults (no cluster): roster validation, what counts, concurrency, isolation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KlabError } from '../../i18n/index.js';
import { parseRoster, readRoster } from '../../grade/roster.js';
import { gradeAll, gradeTrainee, pool, countedChecks } from '../../grade/grade.js';
import { gradeMessages } from '../../grade/messages.js';
import { labIds } from '../../labs/_engine/load.js';
import { tempDir } from './_cli.js';
import { entry, fakeGrader, helloSpec, recorded } from './_grade.js';

const LABS = labIds();

async function rosterError(src: string): Promise<string> {
  try { await parseRoster(src, 'roster.yaml', LABS); } catch (e) {
    assert.instance(e, KlabError);
    assert.is((e as KlabError).exitCode, 2);
    return (e as KlabError).text.en + '\n' + (e as KlabError).text.ko;
  }
  assert.unreachable('the roster should have been refused');
  return '';
}

test('roster: defaults (name and seed = id), paths relative to the roster, timeout', async () => {
  const r = await parseRoster(`labs: [hello]
kubeconfig: kc/base.yaml
timeout: 30
trainees:
  - id: kim
    name: 김민수
    context: kim-ctx
    namespaces: { hello: hello-kim }
  - { id: lee, seed: s-lee, kubeconfig: /abs/kc }
`, '/srv/class/roster.yaml', LABS);
  assert.is(r.timeoutMs, 30_000);
  assert.equal(r.labs, ['hello']);
  assert.equal(r.trainees[0], { id: 'kim', name: '김민수', seed: 'kim', kubeconfig: '/srv/class/kc/base.yaml', context: 'kim-ctx', namespaces: { hello: 'hello-kim' }, answers: {} });
  assert.equal([r.trainees[1].name, r.trainees[1].seed, r.trainees[1].kubeconfig, r.trainees[1].context], ['lee', 's-lee', '/abs/kc', undefined]);
});

test('roster: each problem as file:line in both languages', async () => {
  const typo = await rosterError(`trainees:\n  - id: kim\n  - id: lee\n    contxt: x\n`);
  assert.match(typo, "roster.yaml:4: unknown property 'contxt' (a typo?)");
  assert.match(typo, "roster.yaml:4: 알 수 없는 항목 'contxt'");
  assert.match(await rosterError(`labs: [hello]\n`), "roster.yaml:1: required property 'trainees' is missing");
  assert.match(await rosterError(`trainees:\n  - id: "bad id!"\n`), /roster\.yaml:2: \/trainees\/0\/id: does not match/);
  assert.match(await rosterError(`timeout: 0\ntrainees:\n  - id: a\n`), 'roster.yaml:1: /timeout: must be at least 1');
  assert.match(await rosterError(`trainees:\n  - id: kim\n  - id: lee\n  - id: kim\n`), "roster.yaml:4: trainee id 'kim' appears twice (first on line 2)");
  assert.match(await rosterError(`labs: [hello, nope]\ntrainees:\n  - id: a\n`), "roster.yaml:1: there is no lab 'nope'");
  assert.match(await rosterError(`trainees:\n  - id: a\n    namespaces:\n      nolab: x\n`), "roster.yaml:4: there is no lab 'nolab'");
  assert.match(await rosterError(`trainees:\n  - id: a\n   name: [\n`), /roster\.yaml:\d+: YAML syntax error/);
  assert.match(await rosterError(`trainees:\n  - id: a\n    id: b\n`), /roster\.yaml:3: YAML syntax error/);
});

test('roster: a folder or a missing file is a clear input error', async () => {
  const dir = tempDir('klab-roster-');
  mkdirSync(join(dir, 'r.yaml'));
  for (const [file, text] of [[join(dir, 'r.yaml'), 'is a folder, not a file'], [join(dir, 'none.yaml'), 'ENOENT']]) {
    try { await readRoster(file, LABS); assert.unreachable(); } catch (e) {
      assert.instance(e, KlabError);
      assert.is((e as KlabError).exitCode, 2);
      assert.match((e as KlabError).text.en, text);
    }
  }
  writeFileSync(join(dir, 'ok.yaml'), 'trainees: [{id: a}]\n');
  assert.is((await readRoster(join(dir, 'ok.yaml'), LABS)).trainees.length, 1);
});

test('counted: a skip caused by a failed required check costs points; one caused by an error does not', async () => {
  const spec = await helloSpec();
  const untouched = countedChecks(recorded.untouched('a'), spec.requires);
  assert.equal(untouched.map((c) => [c.id, c.status, c.counted]), [['namespace-exists', 'fail', true], ['greeting-configmap', 'skip', true]]);
  const run = recorded.untouched('a');
  run.checks[0] = { ...run.checks[0], status: 'error' };
  const afterError = countedChecks(run, spec.requires);
  assert.equal(afterError.map((c) => c.counted), [false, false]);
  assert.equal(countedChecks(recorded.forbidden('a'), spec.requires).map((c) => c.counted), [true, false]);
});

test('trainee results: scores, partial credit, ungraded points, error never points lost', async () => {
  const spec = await helloSpec();
  const { grader } = fakeGrader({ s: { kind: 'solved' }, w: { kind: 'wrong-value' }, u: { kind: 'untouched' }, f: { kind: 'forbidden' }, x: { kind: 'unreachable' }, t: { kind: 'throw' } });
  const o = { labs: [spec], grader, concurrency: 2, timeoutMs: 5000, version: '9.9.9' };
  const doc = await gradeAll(['s', 'w', 'u', 'f', 'x', 't'].map((id) => entry(id)), o, 'roster');
  const row = (id: string) => doc.trainees.find((t) => t.id === id)!;
  assert.equal(doc.trainees.map((t) => [t.id, t.status, t.score, t.maxScore, t.ungradedPoints]), [
    ['s', 'graded', 20, 20, 0], ['w', 'graded', 10, 20, 0], ['u', 'graded', 0, 20, 0],
    ['f', 'partial', 10, 20, 10], ['x', 'error', 0, 20, 20], ['t', 'error', 0, 20, 20],
  ]);
  assert.match(row('x').error!.en, 'Cannot reach the cluster');
  assert.ok(row('x').labs[0].unreachable);
  assert.match(row('t').error!.en, 'Internal klab error');
  assert.match(row('t').error!.en, 'boom');
  assert.not.match(row('t').error!.en, '    at ', 'never a stack trace');
  const w = row('w');
  assert.is(w.seed, 'w');
  assert.is(w.context, 'ctx-w');
  assert.is(w.klabVersion, '9.9.9');
  assert.ok(Date.parse(w.startedAt) <= Date.parse(w.finishedAt));
  const bad = w.labs[0].checks.find((c) => c.status === 'fail')!;
  assert.equal(bad.evidence[0].lines, ['data.message: "hola\\n"', 'events: none']);
  assert.is(w.labs[0].namespace, (await import('../../labs/_engine/load.js')).labParams(spec.lab, 'w').namespace);
  assert.equal(doc.labs, [{ id: 'hello', title: spec.lab.def.title, maxScore: 20 }]);
});

test('a lab where nothing could be judged makes the trainee error, with the reason of its first error', async () => {
  const spec = await helloSpec();
  const grader = async () => [{ ...recorded.forbidden('a'), checks: recorded.forbidden('a').checks.map((c) => ({ ...c, status: 'error' as const, points: 0, message: { ko: '금지됨', en: `Forbidden (403): ${c.id}` } })) }];
  const r = await gradeTrainee(entry('a'), { labs: [spec], grader, concurrency: 1, timeoutMs: 1000 });
  assert.is(r.status, 'error');
  assert.is(r.labs[0].status, 'error');
  assert.is(r.ungradedPoints, 20);
  assert.is(r.error!.en, 'Forbidden (403): namespace-exists');
});

test('concurrency: N trainees, at most C at once, every one graded once, order kept', async () => {
  const spec = await helloSpec();
  for (const c of [1, 3, 8]) {
    const ids = Array.from({ length: 12 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const { grader, stats } = fakeGrader(Object.fromEntries(ids.map((id, i) => [id, { kind: 'solved' as const, delayMs: 10 + (i % 3) * 7 }])));
    const seen: number[] = [];
    const doc = await gradeAll(ids.map((id) => entry(id)), { labs: [spec], grader, concurrency: c, timeoutMs: 5000, onDone: (_t, done) => seen.push(done) }, 'roster');
    assert.is(stats.maxRunning, c, `concurrency ${c}`);
    assert.equal([...stats.calls].sort(), ids);
    assert.equal(doc.trainees.map((t) => t.id), ids);
    assert.equal(seen, ids.map((_, i) => i + 1));
  }
});

test('isolation: one trainee throwing or hanging past the timeout is an error for that one only', async () => {
  const spec = await helloSpec();
  const { grader } = fakeGrader({ a: { kind: 'solved' }, b: { kind: 'hang' }, c: { kind: 'throw' }, d: { kind: 'wrong-value' } });
  const t0 = Date.now();
  const doc = await gradeAll(['a', 'b', 'c', 'd'].map((id) => entry(id)), { labs: [spec], grader, concurrency: 4, timeoutMs: 150 }, 'roster');
  assert.ok(Date.now() - t0 < 2000, 'the hanging trainee does not hold the others past its timeout');
  assert.equal(doc.trainees.map((t) => [t.id, t.status, t.score]), [['a', 'graded', 20], ['b', 'error', 0], ['c', 'error', 0], ['d', 'graded', 10]]);
  assert.match(doc.trainees[1].error!.en, 'did not finish within 0s'.replace('0s', `${Math.round(150 / 1000)}s`));
});

test('pool: empty input, limit above the item count', async () => {
  assert.equal(await pool([], 4, async (x: number) => x), []);
  assert.equal(await pool([1, 2], 10, async (x) => x * 2), [2, 4]);
  const r = await gradeTrainee(entry('z'), { labs: [await helloSpec()], grader: fakeGrader({ z: { kind: 'solved' } }).grader, concurrency: 1, timeoutMs: 1000 });
  assert.is(r.status, 'graded');
});

test('grade catalogue: both languages, same placeholders, no Korean in English', () => {
  const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
  const problems: string[] = [];
  for (const [k, t] of Object.entries(gradeMessages) as [string, { ko: string; en: string }][]) {
    if (!t.ko.trim() || !t.en.trim()) problems.push(`${k}: empty`);
    if (vars(t.ko) !== vars(t.en)) problems.push(`${k}: placeholders differ`);
    if (/[가-힣]/.test(t.en)) problems.push(`${k}: Korean in en`);
  }
  assert.equal(problems, []);
});

test.run();
