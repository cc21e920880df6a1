// The reference solution of i-h2, as a trainee types it: the template (script step + a steps template that exposes
// its result) applied with kubectl, runs submitted with the argo CLI when there is one (kubectl create with
// workflowTemplateRef otherwise), the peak read from the log and the exit code from the failed run's status.
import type { LabRuntime } from '../_engine/runtime.js';
import { ProgressStore } from '../_engine/progress.js';
import { compute, programOf, programPath, readProgram, templateYaml, DEFAULT_SIZE } from './shared.js';
import { argoBinary } from './checks.js';
import { workflowFromTemplateYaml } from '../_engine/argo.js';

const workflowYaml = (p: Record<string, string>, size: string) => workflowFromTemplateYaml(p.template, { [p.param]: size });

/** What "Show the solution" prints, per step id. */
export const commands = (p: Record<string, string>) => ({
  template: [
    `cat ${p.workdir}/job.py`,
    `# ${p.template}.yaml: a script step "score" (image python:3.11-slim, command [python], env BATCH_SIZE={{workflow.parameters.${p.param}}}, source: the program),\n# called by a steps template "main" whose output parameter result = {{steps.score.outputs.result}};\n# spec.arguments.parameters ${p.param}=${DEFAULT_SIZE}; spec.nodeSelector eks.amazonaws.com/nodegroup: ${p.group}`,
    `argo lint ${p.template}.yaml`,
    `kubectl apply -n ${p.namespace} -f ${p.template}.yaml`,
  ],
  run: [`argo submit -n ${p.namespace} --from workflowtemplate/${p.template} -p ${p.param}=${p.size} --wait`, `argo get -n ${p.namespace} @latest`],
  follow: [`argo logs -n ${p.namespace} @latest`, `klab answer i-h2 peak <the value after "peak">`],
  fail: [`argo submit -n ${p.namespace} --from workflowtemplate/${p.template} -p ${p.param}=0 --wait`, `argo get -n ${p.namespace} @latest`, `klab answer i-h2 exit-code <the exit code>`],
});

/** The answers a trainee gives. */
export const answers = (p: Record<string, string>) => ({ peak: compute(programOf(p), Number(p.size)).peak, 'exit-code': p.failcode });

function answer(rt: LabRuntime, id: string, value: string): void {
  rt.log(`$ klab answer ${rt.lab.def.id} ${id} ${value}`);
  new ProgressStore().update(rt.context, rt.lab.def.id, rt.params.seed, (pr) => { pr.answers[id] = value; });
}

/** Submit a run and wait for it to end; returns its name. */
async function submit(rt: LabRuntime, size: string, phase: 'Succeeded' | 'Failed'): Promise<string> {
  const p = rt.params, ns = rt.namespace;
  const argo = argoBinary();
  let name: string;
  if (argo) {
    // `argo` as typed when it is on the runtime's PATH (local: klab's tools dir), else the path found.
    const binPath = (rt as { binPath?: string }).binPath;
    const onPath = [binPath, ...(process.env.PATH ?? '').split(':')].some((d) => d && argo === `${d}/argo`);
    const r = await rt.run(onPath ? 'argo' : argo, ['submit', '-n', ns, '--from', `workflowtemplate/${p.template}`, '-p', `${p.param}=${size}`, '-o', 'name'], {});
    name = r.stdout.trim().split('\n').pop()!.replace(/^.*\//, '');
  } else {
    name = (await rt.run('kubectl', [`--context=${rt.context}`, 'create', '-n', ns, '-f', '-', '-o', 'name'], { input: workflowYaml(p, size) })).stdout.trim().replace(/^.*\//, '');
  }
  await rt.kubectl('wait', '-n', ns, `--for=jsonpath={.status.phase}=${phase}`, `workflow/${name}`, '--timeout=180s');
  return name;
}

export default async function solve(rt: LabRuntime): Promise<void> {
  const p = rt.params, ns = rt.namespace;
  await rt.run('kubectl', [`--context=${rt.context}`, 'apply', '-n', ns, '-f', '-'], { input: templateYaml(p, readProgram()) });
  const ok = await submit(rt, p.size, 'Succeeded');
  if (rt.capabilities.logs) {
    const log = await rt.kubectl('logs', '-n', ns, '-l', `workflows.argoproj.io/workflow=${ok}`, '-c', 'main');
    const peak = /peak (\d+)/.exec(log)?.[1];
    if (!peak) throw new Error(`no "peak" in the log of ${ok}: ${log.trim().slice(0, 200)}`);
    answer(rt, 'peak', peak);
  }
  const failed = await submit(rt, '0', 'Failed');
  // What `argo get` shows as "Error (exit code N)": the failed step's outputs.exitCode in the Workflow's status.
  const wf = JSON.parse(await rt.kubectl('get', 'workflow', '-n', ns, failed, '-o', 'json')) as { status?: { nodes?: Record<string, { outputs?: { exitCode?: string } }> } };
  const code = Object.values(wf.status?.nodes ?? {}).map((n) => n.outputs?.exitCode).find((c) => c && c !== '0');
  if (!code) throw new Error(`no exit code in the status of ${failed}`);
  answer(rt, 'exit-code', code);
}
