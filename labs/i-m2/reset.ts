// The trainee creates the namespace (unlabelled) and applies a manifest that also makes a cluster-scoped
// PriorityClass. Reset deletes the namespace by name and waits until it is gone, deletes the PriorityClass unless
// something outside this lab still uses it (on kind, the provider's own Argo add-on does), and the local manifest.
// Argo's CRDs are left alone: they belong to the cluster's Argo (same version), not to this lab. klab's own Argo
// controller, paused by setup, runs again.
import { LabCommandError, type LabRuntime } from '../_engine/runtime.js';
import { PRIORITY_CLASS, removeLocalManifest } from './shared.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  const { CoreV1Api, AppsV1Api, SchedulingV1Api } = await import('@kubernetes/client-node');
  const core = rt.kc.makeApiClient(CoreV1Api);
  const gone = (e: unknown) => (e as { code?: number }).code === 404;
  try { await core.deleteNamespace({ name: rt.namespace }); } catch (e) { if (!gone(e)) throw e; }
  for (let i = 0; ; i++) {
    try { await core.readNamespace({ name: rt.namespace }); } catch (e) { if (gone(e)) break; throw e; }
    if (i > 240) throw new LabCommandError(`namespace ${rt.namespace} is still terminating after 120s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const apps = rt.kc.makeApiClient(AppsV1Api);
  const users = (await apps.listDeploymentForAllNamespaces()).items.filter((d) => d.spec?.template?.spec?.priorityClassName === PRIORITY_CLASS);
  if (!users.length) {
    try { await rt.kc.makeApiClient(SchedulingV1Api).deletePriorityClass({ name: PRIORITY_CLASS }); } catch (e) { if (!gone(e)) throw e; }
  }
  removeLocalManifest();
  await rt.sharedArgo(true);
}
