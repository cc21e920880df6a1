// The example lab end to end through the CLI: start → check (fails, with diagnoses) → known mistake → solve → pass
// → reset (nothing left, idempotent). Seeds change the answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { trainee } from './_labs.js';
import { testKubeConfig } from './_env.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { josa } from '../../i18n/index.js';

const t = suite('hello lab');

async function namespaceExists(name: string): Promise<boolean> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = (await testKubeConfig()).makeApiClient(CoreV1Api);
  try { await core.readNamespace({ name }); return true; } catch (e) { if ((e as { code?: number }).code === 404) return false; throw e; }
}

t('two seeds give different namespaces and greetings', async () => {
  const lab = await loadLab('hello');
  const a = labParams(lab, 'kim'), b = labParams(lab, 'lee');
  assert.is.not(a.namespace, b.namespace);
  assert.match(a.namespace, /^hello-[a-z0-9]{5}$/);
});

t('after start, the checks fail with the expected diagnoses (exit 1)', async () => {
  const tr = trainee('hello-setup');
  const p = labParams(await loadLab('hello'), tr.seed);
  const s = tr.klab('start', 'hello', '--no-guide');
  assert.is(s.code, 0, s.stderr);
  assert.match(s.stdout, p.namespace);
  const r = tr.checkJson('hello');
  assert.is(r.code, 1, r.stderr);
  assert.ok(r.json);
  assert.is(r.json!.seed, 'hello-setup');
  const ns = r.json!.checks.find((c) => c.id === 'namespace-exists')!;
  assert.is(ns.status, 'fail');
  assert.match(ns.message, `Namespace ${p.namespace} does not exist`);
  const cm = r.json!.checks.find((c) => c.id === 'greeting-configmap')!;
  assert.is(cm.status, 'skip', 'gated by namespace-exists');
  assert.match(cm.message, 'namespace-exists');
  assert.is(r.json!.score, 0);
  assert.is(r.json!.maxScore, 20);
  // Korean diagnosis
  const ko = trainee('hello-setup', 'ko').checkJson('hello');
  assert.match(ko.json!.checks[0].message, `네임스페이스 ${p.namespace}${josa(p.namespace, '이/가')} 없습니다`);
});

// Its mistakes (labs/<lab>/mistakes/) run in the generic harness: test/integration/lab-mistakes.test.ts.

t('solve → check passes with the maximum score (exit 0); reset removes everything, twice', async () => {
  const tr = trainee('hello-solve');
  const p = labParams(await loadLab('hello'), tr.seed);
  assert.is(tr.klab('start', 'hello', '--no-guide').code, 0);
  const s = tr.klab('solve', 'hello');
  assert.is(s.code, 0, s.stderr + s.stdout);
  assert.match(s.stdout, `$ kubectl --context=`);
  assert.match(s.stdout, `create namespace ${p.namespace}`);
  const r = tr.checkJson('hello');
  assert.is(r.code, 0, r.stdout);
  assert.is(r.json!.score, r.json!.maxScore);
  assert.ok(r.json!.checks.every((c) => c.status === 'pass'));
  const st = JSON.parse(tr.klab('status', '--json').stdout) as { lab: string; stepsDone: number; solved: boolean }[];
  assert.equal(st.map((x) => [x.lab, x.stepsDone, x.solved]), [['hello', 2, true]]);
  assert.ok(await namespaceExists(p.namespace));
  assert.is(tr.klab('reset', 'hello').code, 0);
  assert.not.ok(await namespaceExists(p.namespace), 'reset deletes the namespace');
  const again = tr.klab('reset', 'hello');
  assert.is(again.code, 0, 'reset is idempotent: ' + again.stderr);
});

t('check --step runs only that step', () => {
  const tr = trainee('hello-step');
  const r = tr.checkJson('hello', '--step', '1');
  assert.equal(r.json!.checks.map((c) => c.id), ['namespace-exists']);
  const bad = tr.klab('check', 'hello', '--step', '9');
  assert.is(bad.code, 2);
  assert.match(bad.stderr, 'steps 1 to 2');
});

t.run();
