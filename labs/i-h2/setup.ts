// i-h2 starting state: the lab namespace, the executor RBAC Argo's pods need there (argoexec reports each step's
// outputs as a WorkflowTaskResult with the pod's service account), and the seeded program job.py in the lab's working
// folder (printed). The trainee writes the WorkflowTemplate. On `local`, pods that select PROTO-INFERENCE-NG land on
// the real node (the group's simulated node is tainted: cluster/local/kwok.ts), so the program really runs.
import type { LabRuntime } from '../_engine/runtime.js';
import { programOf, writeProgram } from './shared.js';
import { argoExecutorRbac } from '../_engine/argo.js';
import { josa } from '../../i18n/index.js';

export default async function setup(rt: LabRuntime): Promise<void> {
  const ns = rt.namespace;
  await rt.ensureNamespace();
  await rt.prepare(argoExecutorRbac(ns));
  // Resuming keeps the trainee's copy of the program (they may have edited it while experimenting).
  const file = writeProgram(programOf(rt.params), rt.params.seed, rt.resuming);
  rt.log(rt.resuming
    ? { ko: `네임스페이스 ${ns}${josa(ns, '와/과')} 프로그램을 그대로 둡니다. 실행할 프로그램:\n  ${file}`, en: `Kept namespace ${ns} and your program. The program to run:\n  ${file}` }
    : { ko: `네임스페이스 ${ns}${josa(ns, '을/를')} 준비했습니다 (워크플로 파드용 RBAC 포함). 실행할 프로그램:\n  ${file}`, en: `Prepared namespace ${ns} (with the RBAC workflow pods need). The program to run:\n  ${file}` });
}
