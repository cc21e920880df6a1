// i-h2 reset: the program in the lab's working folder, and this trainee's template where it does not belong (applied
// without -n it lands in `default`: recognised as theirs by their program's seeded constants inside it). klab reset
// then deletes the labelled lab namespace, with the template and workflows in it.
import type { LabRuntime } from '../_engine/runtime.js';
import { programOf, removeProgram } from './shared.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  removeProgram();
  const { CustomObjectsApi } = await import('@kubernetes/client-node');
  const api = rt.kc.makeApiClient(CustomObjectsApi);
  const A = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflowtemplates' };
  const mark = `SEED = ${programOf(rt.params).seed}`;
  let items: any[] = [];
  try {
    items = ((await api.listClusterCustomObject({ ...A, fieldSelector: `metadata.name=${rt.params.template}` })) as { items?: any[] }).items ?? [];
  } catch { return; } // no Argo CRDs, or not allowed to list every namespace (EKS RBAC): nothing more to do
  for (const t of items) {
    const ns = t.metadata?.namespace;
    if (!ns || ns === rt.namespace || !JSON.stringify(t.spec ?? {}).includes(mark)) continue;
    rt.log({ ko: `다른 네임스페이스에 있는 템플릿 ${ns}/${t.metadata.name} 도 지웁니다 (여러분의 프로그램이 들어 있음).`, en: `Also deleting template ${ns}/${t.metadata.name} (it holds your program).` });
    try { await api.deleteNamespacedCustomObject({ ...A, namespace: ns, name: t.metadata.name }); } catch (e) { if ((e as { code?: number }).code !== 404) throw e; }
  }
}
