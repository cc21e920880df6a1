// The trainee creates the namespace by hand (unlabelled), so reset deletes it by name, plus any namespace labelled
// klab.dev/lab=hello (the lab's objects are found by that label), and waits until they are gone.
import { LabCommandError, type LabRuntime } from '../_engine/runtime.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = rt.kc.makeApiClient(CoreV1Api);
  const labelled = (await core.listNamespace({ labelSelector: `klab.dev/lab=${rt.lab.def.id}` })).items.map((n) => n.metadata!.name!);
  const names = [...new Set([rt.namespace, ...labelled])];
  for (const name of names) {
    try { await core.deleteNamespace({ name }); } catch (e) { if ((e as { code?: number }).code !== 404) throw e; }
  }
  for (let i = 0; i < 240; i++) {
    const left: string[] = [];
    for (const name of names) {
      try { await core.readNamespace({ name }); left.push(name); } catch (e) { if ((e as { code?: number }).code !== 404) throw e; }
    }
    if (!left.length) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new LabCommandError(`namespace ${names.join(', ')} is still terminating after 120s`);
}
