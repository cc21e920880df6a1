// The reference solution of i-l2, as a trainee with only kubectl would type it (no argo CLI on the machine).
// The answers it reads from the cluster are recorded through the runtime, as `klab answer` records them.
import { LabCommandError, type LabRuntime } from '../_engine/runtime.js';
import { PARAM, codeFor } from './shared.js';
import { workflowFromTemplateYaml } from '../_engine/argo.js';

const workflowYaml = (p: Record<string, string>) => workflowFromTemplateYaml(p.template, { [PARAM]: p.runid });

/** What "Show the solution" prints, per step id. */
export const commands = (p: Record<string, string>) => ({
  'list-templates': [`kubectl get workflowtemplates -n ${p.namespace}`, `klab answer i-l2 template ${p.template}`],
  submit: [
    `kubectl get workflowtemplate ${p.template} -n ${p.namespace} -o yaml`,
    `kubectl create -n ${p.namespace} -f - <<'YAML'\n${workflowYaml(p)}YAML`,
    `kubectl wait -n ${p.namespace} --for=jsonpath='{.status.phase}'=Succeeded workflow/<name printed above> --timeout=180s`,
  ],
  logs: [
    `kubectl logs -n ${p.namespace} -l workflows.argoproj.io/workflow=<name> -c main`,
    `klab answer i-l2 code <the value after "code:">`,
  ],
});

/** The answers a trainee gives; `code` is what the template's script prints for the seeded run-id. */
export const answers = (p: Record<string, string>) => ({ template: p.template, code: codeFor(p.runid, p.salt) });

export default async function solve(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const ns = rt.namespace;
  const list = await rt.kubectl('get', 'workflowtemplates', '-n', ns, '-o', 'name');
  const template = list.trim().split('\n')[0]?.replace(/^.*\//, '');
  if (!template) throw new LabCommandError(`no WorkflowTemplate in ${ns}: run klab start i-l2 first`);
  await rt.answer('template', template);
  const created = (await rt.run('kubectl', [`--context=${rt.context}`, 'create', '-n', ns, '-f', '-', '-o', 'name'], { input: workflowYaml({ ...p, template }) })).stdout.trim();
  const name = created.replace(/^.*\//, '');
  await rt.kubectl('wait', '-n', ns, `--for=jsonpath={.status.phase}=Succeeded`, `workflow/${name}`, '--timeout=180s');
  if (!rt.capabilities.logs) {
    rt.log({ ko: '이 클러스터에서는 로그를 읽을 수 없어 code 질문은 건너뜁니다.', en: 'This cluster cannot read logs: skipping the code question.' });
    return;
  }
  const log = await rt.kubectl('logs', '-n', ns, '-l', `workflows.argoproj.io/workflow=${name}`, '-c', 'main');
  const code = /code:\s*(\S+)/.exec(log)?.[1];
  if (!code) throw new LabCommandError(`no "code:" line in the log of ${name}: ${log.trim().slice(0, 200)}`);
  await rt.answer('code', code);
}
