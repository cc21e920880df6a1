// The workflow kind's pure parts on Workflow objects recorded from Argo v4.0.5 (lab i-h2 on the local cluster,
// test/unit/fixtures/workflows/i-h2-runs.json): the parameters a run had (passed or the template's default), its
// result (an output parameter `result` of a step fed by a script's outputs.result), and the failed step with its
// exit code. The expected values come from the lab's own computation for the recorded seed, not from the fixture.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './_cli.js';
import { workflowParameters, workflowResult, failedSteps, argoExecLine } from '../../checkers/workflow.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { compute, programOf, DEFAULT_SIZE } from '../../labs/i-h2/shared.js';

const rec = JSON.parse(readFileSync(join(root, 'test/unit/fixtures/workflows/i-h2-runs.json'), 'utf8')) as { seed: string; items: any[] };
const byParam = (v: string | undefined) => rec.items.find((w) => (w.spec.arguments?.parameters ?? []).find((p: any) => p.name === 'batch-size')?.value === v);

test('parameters: passed with -p (given) vs the template default (not given, even though Argo stores it merged)', async () => {
  const p = labParams(await loadLab('i-h2'), rec.seed);
  assert.equal(workflowParameters(byParam(p.size)), { 'batch-size': { value: p.size, given: true } });
  assert.equal(workflowParameters(byParam('0')), { 'batch-size': { value: '0', given: true } });
  assert.equal(workflowParameters(byParam(undefined)), { 'batch-size': { value: DEFAULT_SIZE, given: false } });
  // A Workflow written out in full (no template reference): its own arguments are what it was given.
  assert.equal(workflowParameters({ spec: { arguments: { parameters: [{ name: 'x', value: 3 }] } } }), { x: { value: '3', given: true } });
  assert.equal(workflowParameters({}), {});
});

test('result: the steps template\'s output parameter (Argo leaves status.outputs empty here) equals what the program computes', async () => {
  const p = labParams(await loadLab('i-h2'), rec.seed);
  const ok = byParam(p.size);
  assert.equal(ok.status.outputs ?? {}, {}, 'the recorded run has no workflow-level outputs: the step node carries them');
  const r = workflowResult(ok)!;
  assert.is(r.value, compute(programOf(p), Number(p.size)).result);
  assert.match(r.from, 'outputs.parameters.result');
  assert.is(workflowResult(byParam(undefined))!.value, compute(programOf(p), Number(DEFAULT_SIZE)).result);
  // The failed run: Argo records result "" on the failed script step; no output parameter was produced.
  assert.is(workflowResult(byParam('0'))?.value ?? '', '');
  // Without the output parameter, a script step's outputs.result is the result.
  const onlyScript = structuredClone(ok);
  for (const n of Object.values(onlyScript.status.nodes) as any[]) if (n.outputs) delete n.outputs.parameters;
  assert.match(workflowResult(onlyScript)!.from, 'outputs.result');
  assert.is(workflowResult(onlyScript)!.value.trim(), compute(programOf(p), Number(p.size)).result);
  assert.is(workflowResult({ status: { nodes: {} } }), undefined);
});

test('failed steps: the script step, its template and the seeded exit code; none in a succeeded run', async () => {
  const p = labParams(await loadLab('i-h2'), rec.seed);
  const f = failedSteps(byParam('0'));
  assert.is(f.length, 1);
  assert.is(f[0]!.name, 'score');
  assert.is(f[0]!.template, 'score');
  assert.is(f[0]!.exitCode, p.failcode);
  assert.match(f[0]!.message!, `exit code ${p.failcode}`);
  assert.equal(failedSteps(byParam(p.size)), []);
});

test("the step's last words skip argoexec's own log lines", () => {
  assert.ok(argoExecLine('Error: exit status 28'));
  assert.ok(argoExecLine('time=2026-12-02T04:30:03.064Z level=INFO msg="sub-process exited" error=<nil> argo=true'));
  assert.not.ok(argoExecLine("error: BATCH_SIZE must be a whole number from 1 to 5000, got ''"));
  assert.not.ok(argoExecLine('scored 10 samples, peak 7024'));
});

test.run();
