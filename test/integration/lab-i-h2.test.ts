// Lab i-h2 end to end through the CLI against the live cluster (its Argo Workflows, the argo CLI klab built, and the
// real node where PROTO-INFERENCE-NG pods run the seeded Python program). One lab start for everything (lean):
// start → every check fails with its diagnosis → each known mistake (namespace emptied between them) fails exactly
// its named checks, in English and Korean → klab solve → full score → reset leaves nothing, the program is gone.
// The alternatives (other correct ways) run in lab-alternatives.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CoreV1Api } from '@kubernetes/client-node';
import { trainee, mistakes, applyCommands, type CheckJson } from './_labs.js';
import { cli } from '../unit/_cli.js';
import { testCluster, testKubeConfig } from './_env.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { substitute } from '../../labs/_engine/params.js';
import { answers } from '../../labs/i-h2/solution.js';
import { compute, programOf } from '../../labs/i-h2/shared.js';

const t = suite('lab i-h2');
const LAB = 'i-h2';
const caps = () => testCluster().capabilities;

function checkKo(tr: ReturnType<typeof trainee>): CheckJson {
  const r = cli(['check', LAB, '--json', '--kubeconfig', tr.info.kubeconfig, '--context', tr.info.context, '--lang', 'ko'], { XDG_STATE_HOME: tr.state, KLAB_TRAINEE: tr.seed });
  try { return JSON.parse(r.stdout) as CheckJson; } catch { throw new Error(`klab check --lang ko gave no JSON (exit ${r.code}): ${r.stderr.slice(-800)}`); }
}

function kubectl(...args: string[]): string {
  const info = testCluster();
  const r = spawnSync(join(info.binDir ?? '', 'kubectl'), args, { encoding: 'utf8', timeout: 120_000, env: { ...process.env, KUBECONFIG: info.kubeconfig } });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

t.before(() => {
  assert.ok(caps().argo && caps().realPods && caps().nodeGroups, 'the test cluster must run Argo, real pods and node groups');
});

t('start → diagnoses; every mistake fails exactly its checks (en/ko); solve → full score; reset clears all', async () => {
  const tr = trainee('ih2-all');
  const p = labParams(await loadLab(LAB), tr.seed);
  const workdir = join(tr.state, 'klab', 'labs', LAB);
  const vars = { ...p, workdir };
  const started = Date.now();
  try {
    const s = tr.klab('start', LAB, '--no-guide');
    assert.is(s.code, 0, s.stderr + s.stdout);
    assert.match(s.stdout, join(workdir, 'job.py'));
    assert.ok(existsSync(join(workdir, 'job.py')), 'the program is in the working folder');

    const r0 = tr.checkJson(LAB);
    assert.is(r0.code, 1, r0.stderr);
    const by0 = Object.fromEntries(r0.json!.checks.map((c) => [c.id, c]));
    for (const id of ['template', 'template-lint', 'template-placement']) assert.match(by0[id].message, `There is no WorkflowTemplate ${p.template} in namespace ${p.namespace}`, id);
    for (const id of ['run-succeeded', 'run-param', 'run-result', 'run-on-group', 'failed-run']) assert.match(by0[id].message, `No workflow created from template ${p.template}`, id);
    assert.match(by0.peak.message, "Not answered yet (question 'peak')");
    assert.is(r0.json!.score, 0);
    assert.is(r0.json!.maxScore, 75);
    console.log(`    i-h2 start + first check: ${((Date.now() - started) / 1000).toFixed(1)} s`);

    for (const m of mistakes(LAB)) {
      const t0 = Date.now();
      kubectl('delete', 'workflows,workflowtemplates', '--all', '-n', p.namespace, '--wait=true');
      try {
        applyCommands(m.commands, vars);
        for (const [q, v] of Object.entries(answers(p))) assert.is(tr.klab('answer', LAB, q, v).code, 0);
        const r = tr.checkJson(LAB);
        assert.is(r.code, 1, `${m.file}: ${r.stderr}`);
        for (const c of r.json!.checks) {
          if (c.id in m.expect.fail) {
            assert.is(c.status, 'fail', `${m.file}: ${c.id} must fail: ${c.message}`);
            assert.match(c.message, substitute(m.expect.fail[c.id].en, vars), `${m.file}: ${c.id} diagnosis — got: ${c.message}`);
          } else assert.is(c.status, 'pass', `${m.file}: ${c.id} must pass: ${c.message}`);
        }
        const ko = checkKo(tr);
        for (const [id, text] of Object.entries(m.expect.fail)) {
          assert.match(ko.checks.find((x) => x.id === id)!.message, substitute(text.ko, vars), `${m.file}: ${id} Korean diagnosis — got: ${ko.checks.find((x) => x.id === id)!.message}`);
        }
      } finally {
        if (m.file === 'wrong-namespace.yaml') kubectl('delete', 'workflowtemplate', p.template, '-n', 'default', '--ignore-not-found');
      }
      console.log(`    i-h2 mistake ${m.file}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }

    const t1 = Date.now();
    kubectl('delete', 'workflows,workflowtemplates', '--all', '-n', p.namespace, '--wait=true');
    const sv = tr.klab('solve', LAB);
    assert.is(sv.code, 0, sv.stderr + sv.stdout);
    assert.match(sv.stdout, `submit -n ${p.namespace} --from workflowtemplate/${p.template} -p ${p.param}=${p.size}`);
    assert.match(sv.stdout, `klab answer i-h2 peak ${compute(programOf(p), Number(p.size)).peak}`);
    assert.match(sv.stdout, `klab answer i-h2 exit-code ${p.failcode}`);
    const r = tr.checkJson(LAB);
    assert.is(r.code, 0, r.stdout);
    assert.is(r.json!.score, r.json!.maxScore);
    console.log(`    i-h2 solve + check: ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  } finally {
    assert.is(tr.klab('reset', LAB).code, 0);
  }
  const kc = await testKubeConfig();
  assert.equal((await kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector: `klab.dev/lab=${LAB}` })).items.map((n) => n.metadata!.name), [], 'reset leaves no lab namespace');
  assert.not.ok(existsSync(join(workdir, 'job.py')), 'reset removes the program');
  console.log(`    i-h2 in all: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

t.run();
