// Lab i-h2 without a cluster: the seeded program really computes what klab expects (python3 runs it), seeds differ,
// and the template rules (parameter default, output declared) on the reference template and its known variants.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { compute, programOf, programSource, templateYaml, DEFAULT_SIZE } from '../../labs/i-h2/shared.js';
import { outputDeclared, parameterDefault, placementProblems } from '../../labs/i-h2/checks.js';
import { skipTest } from '../skip.js';

const params = async (seed: string) => labParams(await loadLab('i-h2'), seed);
const python = () => { const r = spawnSync('python3', ['--version']); return r.status === 0 ? 'python3' : undefined; };

function runProgram(p: Record<string, string>, size: string) {
  const dir = mkdtempSync(join(tmpdir(), 'klab-ih2-'));
  const file = join(dir, 'job.py');
  writeFileSync(file, programSource(programOf(p), p.seed));
  return spawnSync(python()!, [file], { encoding: 'utf8', env: { ...process.env, BATCH_SIZE: size } });
}

test('two seeds give different programs, inputs, results and exit codes', async () => {
  const a = await params('kim'), b = await params('lee');
  assert.is.not(a.namespace, b.namespace);
  assert.is.not(programSource(programOf(a), 'x'), programSource(programOf(b), 'x'));
  assert.is.not(compute(programOf(a), Number(a.size)).result, compute(programOf(b), Number(b.size)).result);
  assert.ok(Number(a.failcode) >= 3 && Number(a.failcode) <= 63);
});

test('python3 running the seeded program prints exactly what klab computes (result on stdout, peak in the log)', async () => {
  if (!python()) return skipTest('python3 is not installed');
  for (const seed of ['kim', 'lee', 'park']) {
    const p = await params(seed);
    for (const size of [p.size, DEFAULT_SIZE, '1']) {
      const r = runProgram(p, size);
      assert.is(r.status, 0, r.stderr);
      const want = compute(programOf(p), Number(size));
      assert.is(r.stdout, `${want.result}\n`, `${seed} size ${size}: stdout is the result alone`);
      assert.match(r.stderr, `scored ${size} samples, peak ${want.peak}`);
    }
    for (const bad of ['0', '5001', 'abc', '']) {
      const r = runProgram(p, bad);
      assert.is(r.status, Number(p.failcode), `${seed}: BATCH_SIZE=${JSON.stringify(bad)} exits with the seeded code`);
      assert.match(r.stderr, 'error: BATCH_SIZE must be a whole number from 1 to 5000');
      assert.is(r.stdout, '');
    }
  }
});

test('the reference template declares the parameter with a default and a referenced script result', async () => {
  const p = await params('kim');
  const t = parseYaml(templateYaml(p, programSource(programOf(p), p.seed)));
  assert.equal(parameterDefault(t.spec, 'batch-size'), { declared: true, value: DEFAULT_SIZE });
  assert.is(outputDeclared(t.spec), 'parameter', 'main declares the output parameter result (fed by the script result)');
  assert.match(t.spec.templates[1].script.source, `SEED = ${p.pseed}`);
  // Variants: a lone script (nothing references its result), an output parameter from a file, a DAG expression.
  const lone = { entrypoint: 'score', templates: [t.spec.templates[1]] };
  assert.is(outputDeclared(lone), 'unreferenced-script');
  assert.is(outputDeclared({ templates: [{ name: 'c', container: { image: 'python:3.11-slim' }, outputs: { parameters: [{ name: 'result', valueFrom: { path: '/tmp/r' } }] } }] }), 'parameter');
  assert.is(outputDeclared({ templates: [{ name: 'c', container: { image: 'python:3.11-slim' } }] }), 'none');
  assert.is(outputDeclared({ templates: [{ name: 'd', dag: { tasks: [] }, outputs: { parameters: [{ name: 'r', valueFrom: { expression: "tasks['score'].outputs.result" } }] } }, { name: 's', script: { source: 'x' } }] }), 'script-result');
  // The parameter as the entrypoint's input (with a default) counts too; without a value it has no default.
  assert.equal(parameterDefault({ entrypoint: 'm', templates: [{ name: 'm', inputs: { parameters: [{ name: 'batch-size', value: '5' }] } }] }, 'batch-size'), { declared: true, value: '5' });
  assert.equal(parameterDefault({ arguments: { parameters: [{ name: 'batch-size' }] } }, 'batch-size'), { declared: true, value: undefined });
  assert.equal(parameterDefault({}, 'batch-size'), { declared: false, value: undefined });
});

test('placement: only PROTO-INFERENCE-NG nodes allowed — none, another group, no node, template over workflow', () => {
  const node = (name: string, group: string, extra: Record<string, string> = {}) => ({ name, labels: { 'eks.amazonaws.com/nodegroup': group, ...extra }, simulated: false, ready: true, taints: [] });
  const nodes = [node('inf-1', 'PROTO-INFERENCE-NG', { 'klab.dev/real-node': 'true' }), node('inf-2', 'PROTO-INFERENCE-NG'), node('gen-1', 'PROTO-GENERAL-NG')];
  const step = (extra: object = {}) => ({ name: 'score', script: { image: 'python:3.11-slim', source: 'x' }, ...extra });
  const en = (spec: object) => placementProblems(spec, nodes).map((t) => t.en);
  assert.equal(en({ nodeSelector: { 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG' }, templates: [{ name: 'main', steps: [] }, step()] }), []);
  assert.match(en({ templates: [step()] })[0]!, 'Step template score has neither a nodeSelector nor a required node affinity');
  assert.match(en({ templates: [step({ nodeSelector: { 'eks.amazonaws.com/nodegroup': 'PROTO-GENERAL-NG' } })] })[0]!, 'allow only nodes outside PROTO-INFERENCE-NG (PROTO-GENERAL-NG)');
  assert.match(en({ templates: [step({ nodeSelector: { 'kubernetes.io/os': 'windows' } })] })[0]!, 'No node matches step template score');
  // The template's own selector replaces the workflow's: a wrong workflow-level one does not matter then.
  assert.equal(en({ nodeSelector: { 'eks.amazonaws.com/nodegroup': 'PROTO-GENERAL-NG' }, templates: [step({ nodeSelector: { 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG' } })] }), []);
  const affinity = (op: string, values: string[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'eks.amazonaws.com/nodegroup', operator: op, values }] }] } } });
  assert.equal(en({ affinity: affinity('In', ['PROTO-INFERENCE-NG']), templates: [step()] }), []);
  assert.match(en({ affinity: affinity('NotIn', ['PROTO-X']), templates: [step()] })[0]!, 'also allow nodes outside PROTO-INFERENCE-NG');
  assert.match(en({ templates: [{ name: 'main', steps: [] }] })[0]!, 'No template makes a pod');
});

test.run();
