// Lab i-l2 end to end through the CLI against the live cluster (its Argo Workflows and, for logs, its real node):
// start → checks fail with their diagnoses → each known mistake fails exactly the named checks → solve → full score
// → reset leaves nothing labelled klab.dev/lab=i-l2. Seeds change the template, the run-id and the code.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { trainee, type CheckJson } from './_labs.js';
import { cli } from '../unit/_cli.js';
import { testCluster, testKubeConfig } from './_env.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { codeFor, script } from '../../labs/i-l2/shared.js';
import { labSelector } from '../../labs/_engine/runtime.js';

const t = suite('lab i-l2');
const LAB = 'i-l2';
const caps = () => testCluster().capabilities;
const A = { group: 'argoproj.io', version: 'v1alpha1' };

async function params(seed: string) { return labParams(await loadLab(LAB), seed); }

/** The same trainee (same state: progress and answers) checked in Korean. */
function checkKo(tr: ReturnType<typeof trainee>): CheckJson {
  const r = cli(['check', LAB, '--json', '--kubeconfig', tr.info.kubeconfig, '--context', tr.info.context, '--lang', 'ko'], { XDG_STATE_HOME: tr.state, KLAB_TRAINEE: tr.seed });
  try { return JSON.parse(r.stdout) as CheckJson; } catch {
    throw new Error(`klab check --lang ko gave no JSON (exit ${r.code}): ${r.stderr.slice(-800)}`);
  }
}

async function labelled(seed: string): Promise<string[]> {
  const kc = await testKubeConfig();
  const sel = labSelector(LAB, seed);
  const ns = (await kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector: sel })).items.map((n) => `namespace/${n.metadata!.name}`);
  const tpl: any = await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({ ...A, plural: 'workflowtemplates', labelSelector: sel });
  return [...ns, ...tpl.items.map((x: any) => `workflowtemplate/${x.metadata.namespace}/${x.metadata.name}`)];
}

t.before(() => {
  assert.ok(caps().argo, 'the test cluster must have Argo Workflows (lab i-l2 uses the provider add-on)');
});

t('two seeds give different namespaces, run-ids and codes; the code is what busybox md5sum prints', async () => {
  const a = await params('kim'), b = await params('lee');
  assert.is.not(a.namespace, b.namespace);
  assert.is.not(a.runid + a.salt, b.runid + b.salt);
  assert.is.not(codeFor(a.runid, a.salt), codeFor(b.runid, b.salt));
  assert.match(a.runid, /^run-\d{4}$/);
  // The template's own command, with Argo's substitution done by hand, run by the host's busybox (same applets as the image).
  const sh = script(a.salt).replaceAll('{{inputs.parameters.run-id}}', a.runid);
  const r = spawnSync('/bin/busybox', ['sh', '-c', sh], { encoding: 'utf8' });
  if (r.status === 0) assert.match(r.stdout, `code: ${codeFor(a.runid, a.salt)}`);
  else assert.ok(r.error, 'busybox missing is the only excuse');
});

t('after start, the checks fail with the expected diagnoses (ko/en)', async () => {
  const tr = trainee('il2-setup');
  const p = await params(tr.seed);
  try {
    const s = tr.klab('start', LAB, '--no-guide');
    assert.is(s.code, 0, s.stderr + s.stdout);
    assert.match(s.stdout, p.namespace);
    const r = tr.checkJson(LAB);
    assert.is(r.code, 1, r.stderr);
    const by = Object.fromEntries(r.json!.checks.map((c) => [c.id, c]));
    assert.is(by.template.status, 'fail');
    assert.match(by.template.message, "Not answered yet (question 'template'");
    assert.is(by['from-template'].status, 'fail');
    assert.match(by['from-template'].message, `No workflow created from template ${p.template} in namespace ${p.namespace}`);
    assert.is(by['run-id'].status, 'fail');
    assert.match(by['run-id'].message, `There is no workflow in namespace ${p.namespace}`);
    if (caps().logs) {
      assert.is(by.code.status, 'fail');
      assert.match(by.code.message, "Not answered yet (question 'code')");
    } else {
      assert.is(by.code.status, 'skip');
      assert.match(by.code.message, 'Not counted as passed');
    }
    assert.is(r.json!.score, 0);
    assert.is(r.json!.maxScore, 35);
    const ko = checkKo(tr);
    const koBy = Object.fromEntries(ko.checks.map((c) => [c.id, c]));
    assert.match(koBy['run-id'].message, `네임스페이스 ${p.namespace} 에 워크플로가 하나도 없습니다`);
    assert.match(koBy['from-template'].message, `템플릿 ${p.template}에서 만든 워크플로`);
  } finally {
    assert.is(tr.klab('reset', LAB).code, 0);
  }
});

// Its mistakes (labs/<lab>/mistakes/) run in the generic harness: test/integration/lab-mistakes.test.ts.

t('solve → every check passes with the maximum score; reset leaves nothing labelled, twice', async () => {
  const tr = trainee('il2-solve');
  const p = await params(tr.seed);
  assert.is(tr.klab('start', LAB, '--no-guide').code, 0);
  try {
    const started = Date.now();
    const s = tr.klab('solve', LAB);
    assert.is(s.code, 0, s.stderr + s.stdout);
    console.log(`    i-l2 solve (submit → Succeeded → logs): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.match(s.stdout, `workflowtemplates -n ${p.namespace}`);
    assert.match(s.stdout, `klab answer i-l2 template ${p.template}`);
    const r = tr.checkJson(LAB);
    if (caps().logs) {
      assert.match(s.stdout, `klab answer i-l2 code ${codeFor(p.runid, p.salt)}`);
      assert.is(r.code, 0, r.stdout);
      assert.is(r.json!.score, r.json!.maxScore);
      assert.ok(r.json!.checks.every((c) => c.status === 'pass'));
    } else {
      assert.is(r.json!.checks.find((c) => c.id === 'code')!.status, 'skip');
      assert.is(r.json!.score, r.json!.maxScore - 10);
    }
    assert.ok((await labelled(tr.seed)).length > 0);
    assert.is(tr.klab('reset', LAB).code, 0);
    assert.equal(await labelled(tr.seed), [], 'reset leaves nothing labelled klab.dev/lab=i-l2');
    assert.is(tr.klab('reset', LAB).code, 0, 'reset is idempotent');
  } finally {
    tr.klab('reset', LAB);
  }
});

t.run();
