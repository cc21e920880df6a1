// Every lab in labs/, with no per-lab code: after `klab start`, each step's checks (`klab check <lab> --step N`) run
// without `error`; after `klab solve`, `klab start` again resumes without changing or deleting anything in the lab
// namespace (the solution stands in for the trainee's work), and then every step passes (a check may be skipped only
// because the cluster lacks a capability, never because something it requires failed). Without progress but with the
// namespace there, start keeps everything too.
import { suite } from 'uvu';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { trainee, type CheckJson } from './_labs.js';
import { testKubeConfig } from './_env.js';
import { labIds, loadLab, labParams, type Lab } from '../../labs/_engine/load.js';

const t = suite('every lab: per-step checks, solve, resume keeps the work');

/** What the trainee made in `ns`: Secrets, ConfigMaps, Deployments (pod template), WorkflowTemplates — by uid and content. */
async function snapshot(ns: string): Promise<Record<string, string>> {
  const kc = await testKubeConfig();
  const { CoreV1Api, AppsV1Api, CustomObjectsApi } = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(CoreV1Api), apps = kc.makeApiClient(AppsV1Api), custom = kc.makeApiClient(CustomObjectsApi);
  const out: Record<string, string> = {};
  const key = (kind: string, m: { name?: string; uid?: string } | undefined, body: unknown) => { out[`${kind}/${m?.name}`] = `${m?.uid} ${JSON.stringify(body)}`; };
  for (const s of (await core.listNamespacedSecret({ namespace: ns })).items) key('secret', s.metadata, s.data ?? {});
  for (const c of (await core.listNamespacedConfigMap({ namespace: ns })).items) key('configmap', c.metadata, c.data ?? {});
  for (const d of (await apps.listNamespacedDeployment({ namespace: ns })).items) key('deployment', d.metadata, d.spec?.template);
  try {
    const wt = await custom.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace: ns, plural: 'workflowtemplates' }) as { items: { metadata: { name: string; uid: string }; spec: unknown }[] };
    for (const w of wt.items) key('workflowtemplate', w.metadata, w.spec);
  } catch (e) { if ((e as { code?: number }).code !== 404) throw e; } // no Argo CRDs on this cluster
  return out;
}

function stepCheck(tr: ReturnType<typeof trainee>, lab: Lab, n: number): CheckJson {
  const r = tr.checkJson(lab.def.id, '--step', String(n));
  assert.ok(r.json, `${lab.def.id} --step ${n}: no JSON (exit ${r.code}): ${r.stderr}`);
  assert.ok(r.code === 0 || r.code === 1, `${lab.def.id} --step ${n}: exit ${r.code}: ${r.stderr}`);
  assert.equal(r.json!.checks.map((c) => c.id).sort(), lab.def.steps[n - 1].checks.map((c) => c.id).sort(), `${lab.def.id} --step ${n} reports that step's checks`);
  return r.json!;
}

for (const id of labIds()) {
  t(`${id}: per-step checks without error after start; solve; start again keeps everything; every step passes`, async () => {
    const lab = await loadLab(id);
    const tr = trainee(`loop-${id}`);
    const ns = labParams(lab, tr.seed).namespace;
    try {
      const s = tr.klab('start', id, '--no-guide');
      assert.is(s.code, 0, s.stderr + s.stdout);
      for (let n = 1; n <= lab.def.steps.length; n++) {
        const errors = stepCheck(tr, lab, n).checks.filter((c) => c.status === 'error');
        assert.equal(errors.map((c) => `${c.id}: ${c.message}`), [], `${id} step ${n}: no check is an error after setup`);
      }
      const solved = tr.klab('solve', id);
      assert.is(solved.code, 0, solved.stderr + solved.stdout);
      const before = await snapshot(ns);
      assert.ok(Object.keys(before).some((k) => !k.endsWith('/kube-root-ca.crt')), `${id}: the solution made something in ${ns}`);

      const again = tr.klab('start', id, '--no-guide');
      assert.is(again.code, 0, again.stderr + again.stdout);
      assert.match(again.stdout, `Resuming lab ${id}`);
      assert.equal(await snapshot(ns), before, `${id}: resuming changed or deleted the trainee's objects`);

      for (let n = 1; n <= lab.def.steps.length; n++) {
        for (const c of stepCheck(tr, lab, n).checks) {
          const capabilitySkip = c.status === 'skip' && !/requires .* to pass first/.test(c.message);
          assert.ok(c.status === 'pass' || capabilitySkip, `${id} step ${n} ${c.id} after solve + resume: ${c.status}: ${c.message}`);
        }
      }
      const status = JSON.parse(tr.klab('status', '--json').stdout) as { lab: string; passedSteps: number[]; score: number; maxScore: number }[];
      const row = status.find((r) => r.lab === id)!;
      assert.ok(row.score > 0 && row.score <= row.maxScore, `${id} status score ${row.score}/${row.maxScore}`);

      // Progress lost (or another context name): the namespace is there, so start keeps what is in it too.
      rmSync(join(tr.state, 'klab', 'progress.json'));
      const lost = tr.klab('start', id, '--no-guide');
      assert.is(lost.code, 0, lost.stderr + lost.stdout);
      assert.match(lost.stdout, `Namespace ${ns} already exists`);
      assert.equal(await snapshot(ns), before, `${id}: a start without progress changed or deleted the trainee's objects`);
    } finally {
      const r = tr.klab('reset', id);
      assert.is(r.code, 0, r.stderr);
    }
  });
}

t.run();
