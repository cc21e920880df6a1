// klab grade --roster on the test cluster: eight seeded trainees of lab `hello`, each in their own namespace —
// solved, every known mistake from labs/hello/mistakes, three hand-made mistakes, untouched, a namespace given in
// the roster, and one whose context is unreachable. Exact score per trainee and status per check; the results are
// signed and every format is written; the unreachable trainee is `error` and loses no points (exit 3); without it, 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { testCluster } from './_env.js';
import { applyCommands, mistakes } from './_labs.js';
import { cli, deadKubeconfig, tempDir } from '../unit/_cli.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { substitute } from '../../labs/_engine/params.js';
import { commands as solutionByStep } from '../../labs/hello/solution.js';
const solution = (p: Record<string, string>): string[] => Object.values(solutionByStep(p)).flat();
import type { GradeDoc } from '../../grade/types.js';

const t = suite('klab grade --roster (hello)');
type St = 'pass' | 'fail' | 'skip' | 'error';
interface Trainee {
  id: string; setup: (p: Record<string, string>) => string[]; namespace?: string; dead?: boolean;
  expect: { status: 'graded' | 'error'; score: number; ungraded: number; checks: Record<string, St>; message?: Record<string, string> };
}

const run = `${process.pid}`.slice(-4);
const helloLab = await loadLab('hello');
const trainees: Trainee[] = [
  { id: `g${run}-solved`, setup: solution, expect: { status: 'graded', score: 20, ungraded: 0, checks: { 'namespace-exists': 'pass', 'greeting-configmap': 'pass' } } },
  ...mistakes('hello').map((m): Trainee => {
    const id = `g${run}-${m.file.replace(/\.yaml$/, '')}`;
    // A failing check costs its 10 points, and so does a check it gates (skipped): `requires` in lab.yaml.
    const status = (c: string): St => (m.expect.fail[c] ? 'fail' : m.expect.skip?.includes(c) ? 'skip' : 'pass');
    const p = labParams(helloLab, id);
    return {
      id, setup: () => m.commands,
      expect: {
        status: 'graded', score: 20 - 10 * (Object.keys(m.expect.fail).length + (m.expect.skip?.length ?? 0)), ungraded: 0,
        checks: { 'namespace-exists': status('namespace-exists'), 'greeting-configmap': status('greeting-configmap') },
        message: Object.fromEntries(Object.entries(m.expect.fail).map(([c, text]) => [c, substitute(text.en, p)])),
      },
    };
  }),
  { id: `g${run}-ns-only`, setup: (p) => [`kubectl create namespace ${p.namespace}`],
    expect: { status: 'graded', score: 10, ungraded: 0, checks: { 'namespace-exists': 'pass', 'greeting-configmap': 'fail' }, message: { 'greeting-configmap': 'There is no ConfigMap greeting' } } },
  { id: `g${run}-wrong-name`, setup: (p) => [`kubectl create namespace ${p.namespace}`, `kubectl -n ${p.namespace} create configmap greetings --from-literal=message=${p.word}`],
    expect: { status: 'graded', score: 10, ungraded: 0, checks: { 'namespace-exists': 'pass', 'greeting-configmap': 'fail' }, message: { 'greeting-configmap': 'ConfigMaps in this namespace: greetings' } } },
  { id: `g${run}-wrong-key`, setup: (p) => [`kubectl create namespace ${p.namespace}`, `kubectl -n ${p.namespace} create configmap greeting --from-literal=msg=${p.word}`],
    expect: { status: 'graded', score: 10, ungraded: 0, checks: { 'namespace-exists': 'pass', 'greeting-configmap': 'fail' }, message: { 'greeting-configmap': 'has no key message (keys: msg)' } } },
  { id: `g${run}-untouched`, setup: () => [],
    expect: { status: 'graded', score: 0, ungraded: 0, checks: { 'namespace-exists': 'fail', 'greeting-configmap': 'skip' }, message: { 'namespace-exists': 'does not exist' } } },
  { id: `g${run}-own-ns`, namespace: `grade-own-${run}`, setup: solution,
    expect: { status: 'graded', score: 20, ungraded: 0, checks: { 'namespace-exists': 'pass', 'greeting-configmap': 'pass' } } },
  { id: `g${run}-unreachable`, dead: true, setup: () => [],
    expect: { status: 'error', score: 0, ungraded: 20, checks: {} } },
];

const namespaces: string[] = [];
const dir = tempDir('klab-grade-it-');
const env = { XDG_STATE_HOME: dir };

function roster(list: Trainee[]): string {
  const info = testCluster();
  const dead = deadKubeconfig();
  const lines = ['labs: [hello]', 'timeout: 120', 'trainees:'];
  for (const x of list) {
    lines.push(`  - id: ${x.id}`, `    name: "실습자 ${x.id}"`);
    lines.push(x.dead ? `    kubeconfig: ${dead}` : `    kubeconfig: ${info.kubeconfig}\n    context: ${info.context}`);
    if (x.namespace) lines.push(`    namespaces: { hello: ${x.namespace} }`);
  }
  const file = join(dir, `roster-${list.length}.yaml`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

t.before(async () => {
  const lab = await loadLab('hello');
  for (const x of trainees) {
    if (x.dead) continue;
    const p = labParams(lab, x.id);
    if (x.namespace) p.namespace = x.namespace;
    namespaces.push(p.namespace);
    applyCommands(x.setup(p), p);
  }
});

t.after(() => {
  const info = testCluster();
  for (const ns of namespaces) spawnSync('kubectl', ['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'], { env: { ...process.env, KUBECONFIG: info.kubeconfig } });
});

t('exact scores per trainee and status per check; the unreachable trainee is error, not zero; signed; all formats', () => {
  assert.ok(trainees.length >= 8);
  const out = join(dir, 'out');
  const r = cli(['grade', '--roster', roster(trainees), '--format', 'json,junit,csv,md,html', '--out', out, '--concurrency', '3', '--lang', 'en'], env);
  assert.is(r.code, 3, `one trainee is unreachable → exit 3\n${r.stderr}`);
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
  assert.equal(doc.trainees.map((x) => x.id), trainees.map((x) => x.id), 'roster order');
  for (const x of trainees) {
    const got = doc.trainees.find((y) => y.id === x.id)!;
    assert.is(got.status, x.expect.status, `${x.id} status`);
    assert.is(got.score, x.expect.score, `${x.id} score`);
    assert.is(got.maxScore, 20, `${x.id} max`);
    assert.is(got.ungradedPoints, x.expect.ungraded, `${x.id} ungraded points`);
    assert.is(got.seed, x.id);
    const checks = Object.fromEntries(got.labs[0].checks.map((c) => [c.id, c.status]));
    if (!x.dead) assert.equal(checks, x.expect.checks, `${x.id} checks`);
    for (const [id, text] of Object.entries(x.expect.message ?? {})) assert.match(got.labs[0].checks.find((c) => c.id === id)!.message.en, text, `${x.id} ${id} diagnosis`);
    if (x.namespace) assert.is(got.labs[0].namespace, x.namespace);
    if (x.dead) assert.match(got.error!.en, 'ECONNREFUSED');
  }
  const csv = readFileSync(join(out, 'results.csv'), 'utf8');
  assert.ok(csv.includes(`${trainees[0].id},실습자 ${trainees[0].id},${trainees[0].id},graded,20,20,20\r\n`));
  assert.ok(csv.includes(`${trainees.at(-1)!.id},실습자 ${trainees.at(-1)!.id},${trainees.at(-1)!.id},error,,,20\r\n`));
  for (const f of ['results.junit.xml', 'results.md', 'gradebook.html']) assert.ok(existsSync(join(out, f)), f);
  const v = cli(['grade', 'verify', join(out, 'results.json'), '--lang', 'en'], env);
  assert.is(v.code, 0, v.stderr);
});

t('the same roster without the unreachable trainee: exit 0, whatever the scores', () => {
  const r = cli(['grade', '--roster', roster(trainees.filter((x) => !x.dead)), '--out', join(dir, 'out2'), '--lang', 'en'], env);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, `${trainees.length - 1} trainees: ${trainees.length - 1} graded · 0 partly graded · 0 errors`);
});

t('live mode: one trainee by --context and --seed prints the lab report and grades like the roster', () => {
  const info = testCluster();
  const r = cli(['grade', '--lab', 'hello', '--kubeconfig', info.kubeconfig, '--context', info.context, '--seed', trainees[1].id, '--json', '--lang', 'en'], env);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as GradeDoc;
  assert.is(doc.trainees[0].score, trainees[1].expect.score);
  assert.is(doc.trainees[0].context, info.context);
});

t.run();
