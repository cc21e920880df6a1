// What i-h2's setup, solution, checks and tests share: the seeded Python program the trainee gets, and what it
// computes — recomputed here in TypeScript (klab never trusts a result the trainee's workflow reports), plus the
// template interface the steps state (gradesub's `klab grade --submission` relies on it: keep it stable).
import { mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { workRoot } from '../../cluster/paths.js';

/** The interface the step text states (template name, parameter, environment variable, output name). */
export const TEMPLATE = 'batch-score';
export const PARAM = 'batch-size';
export const ENV = 'BATCH_SIZE';
export const OUTPUT = 'result';
/** The default the step text suggests for the parameter (a run without -p uses it). */
export const DEFAULT_SIZE = '10';
export const LIMIT = 5000;
export const GROUP = 'PROTO-INFERENCE-NG';
export const GROUP_LABEL = 'eks.amazonaws.com/nodegroup';

export interface Program { seed: number; weights: number[]; failCode: number }
export const programOf = (p: Record<string, string>): Program => ({
  seed: Number(p.pseed), weights: [Number(p.w1), Number(p.w2), Number(p.w3)], failCode: Number(p.failcode),
});

/** The Python source the trainee runs (stdout: only the result; stderr: the log lines). */
export function programSource(pr: Program, trainee: string): string {
  return `# job.py — klab lab i-h2 (${trainee}). Scores a batch of generated samples.
# Input:  the environment variable ${ENV} (a whole number from 1 to ${LIMIT}).
# Output: the score, alone on stdout. Progress goes to stderr (the log).
import os
import sys

SEED = ${pr.seed}
WEIGHTS = [${pr.weights.join(', ')}]
LIMIT = ${LIMIT}


def main():
    raw = os.environ.get("${ENV}", "").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= LIMIT:
        print(f"error: ${ENV} must be a whole number from 1 to {LIMIT}, got {raw!r}", file=sys.stderr)
        sys.exit(${pr.failCode})
    n = int(raw)
    state, total, peak = SEED, 0, 0
    for i in range(n):
        state = state * 48271 % 2147483647
        value = WEIGHTS[i % len(WEIGHTS)] * (state % 1000)
        total += value
        peak = max(peak, value)
    print(f"scored {n} samples, peak {peak}", file=sys.stderr)
    print(total % 1000003)


main()
`;
}

/** What the program prints for input n: its result (stdout) and the peak (only in its log). */
export function compute(pr: Program, n: number): { result: string; peak: string } {
  let state = pr.seed, total = 0, peak = 0;
  for (let i = 0; i < n; i++) {
    state = (state * 48271) % 2147483647;
    const v = pr.weights[i % pr.weights.length]! * (state % 1000);
    total += v;
    if (v > peak) peak = v;
  }
  return { result: String(total % 1000003), peak: String(peak) };
}

/** Where the trainee finds the program: the lab's working folder, the `{workdir}` param (cluster/paths.ts workRoot). */
export const workDir = (env: NodeJS.ProcessEnv = process.env) => join(workRoot(env), 'i-h2');
export const programPath = (env: NodeJS.ProcessEnv = process.env) => join(workDir(env), 'job.py');

/** Write the program (a fresh start), or keep the trainee's copy (resuming: they may have edited it). */
export function writeProgram(pr: Program, trainee: string, keep: boolean): string {
  const file = programPath();
  if (keep && existsSync(file)) return file;
  mkdirSync(workDir(), { recursive: true });
  writeFileSync(file, programSource(pr, trainee));
  return file;
}
/** Reset removes the program klab wrote, not the folder: the trainee's own files there (a template YAML) stay. */
export function removeProgram(): void { rmSync(programPath(), { force: true }); }
export const readProgram = () => readFileSync(programPath(), 'utf8');

/**
 * The reference WorkflowTemplate: a steps template `main` calls the script step `score` (the program inline, its
 * input in BATCH_SIZE) and exposes the step's outputs.result as its output parameter `result` — the reference that
 * makes Argo record a script's result. `source` is the program text (indented here).
 */
export function templateYaml(p: Record<string, string>, source: string): string {
  const src = source.replace(/\n$/, '').split('\n').map((l) => (l ? `          ${l}` : '')).join('\n');
  return `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: ${p.template}
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: ${p.param}
        value: "${DEFAULT_SIZE}"
  nodeSelector:
    ${GROUP_LABEL}: ${GROUP}
  templates:
    - name: main
      steps:
        - - name: score
            template: score
      outputs:
        parameters:
          - name: ${OUTPUT}
            valueFrom:
              parameter: "{{steps.score.outputs.result}}"
    - name: score
      script:
        image: python:3.11-slim
        command: [python]
        env:
          - name: ${ENV}
            value: "{{workflow.parameters.${p.param}}}"
        source: |
${src}
`;
}
