// i-l1 also changed the trainee's kubeconfig (the context's default namespace). Put that back when it still points at
// the lab namespace; the namespace itself (labelled) is deleted by klab afterwards.
import type { LabRuntime } from '../_engine/runtime.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  const ns = rt.kc.getContextObject(rt.context)?.namespace;
  if (ns !== rt.namespace) return;
  await rt.run('kubectl', ['config', 'unset', `contexts.${rt.context}.namespace`], { allowFail: true });
}
