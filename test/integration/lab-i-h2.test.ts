// Lab i-h2 end to end through the CLI against the live cluster (its Argo Workflows, the argo CLI klab built, and the
// real node where PROTO-INFERENCE-NG pods run the seeded Python program). One lab start for everything (lean):
// start → every check fails with its diagnosis → the template applied to `default` is said to be there → klab solve →
// full score → reset leaves nothing: no lab namespace, no program, no template in `default`. The mistakes and the
// alternatives run in the generic harnesses (lab-mistakes.test.ts, lab-alternatives.test.ts).
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
import { compute, programOf } from '../../labs/i-h2/shared.js';
import { labSelector } from '../../labs/_engine/runtime.js';

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

t('start → diagnoses; a misplaced template is found; solve → full score; reset clears all, the misplaced template too', async () => {
  const tr = trainee('ih2-all');
  const p = labParams(await loadLab(LAB), tr.seed, testCluster(), { ...process.env, ...tr.env });
  const workdir = p.workdir;
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

    // The template applied without -n (wrong-namespace mistake; the generic harness lab-mistakes checks its diagnoses):
    // reset must remove it from `default` too, recognised by this trainee's program inside it.
    const wrongNs = mistakes(LAB).find((m) => m.file === 'wrong-namespace.yaml')!;
    applyCommands(wrongNs.commands, vars);
    const misplaced = tr.checkJson(LAB).json!.checks.find((c) => c.id === 'template')!;
    assert.match(misplaced.message, 'A template of that name is in another namespace: default');
    assert.match(checkKo(tr).checks.find((c) => c.id === 'template')!.message, '같은 이름의 템플릿이 다른 네임스페이스에 있습니다: default');

    const t1 = Date.now();
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
  assert.equal((await kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector: labSelector(LAB, tr.seed) })).items.map((n) => n.metadata!.name), [], 'reset leaves no lab namespace');
  assert.not.ok(existsSync(join(workdir, 'job.py')), 'reset removes the program');
  assert.not.match(kubectl('get', 'workflowtemplates', '-n', 'default', '-o', 'name'), `/${p.template}`, 'reset removes the trainee\'s template from default');
  console.log(`    i-h2 in all: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

t.run();
