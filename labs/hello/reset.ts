// The trainee creates the namespace by hand (unlabelled), so reset deletes it by name, plus any namespace labelled
// klab.dev/lab=hello (the lab's objects are found by that label), and waits until they are gone.
import { deleteNamespaces, type LabRuntime } from '../_engine/runtime.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const labelled = (await rt.kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector: `klab.dev/lab=${rt.lab.def.id}` })).items.map((n) => n.metadata!.name!);
  await deleteNamespaces(rt.kc, [...new Set([rt.namespace, ...labelled])]);
}
