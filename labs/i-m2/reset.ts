// The trainee creates the namespace (unlabelled) and applies a manifest that also makes a cluster-scoped
// PriorityClass. Reset deletes the namespace by name and waits until it is gone, deletes the PriorityClass unless
// something outside this lab still uses it (on kind, the provider's own Argo add-on does), and the local manifest.
// Argo's CRDs are left alone: they belong to the cluster's Argo (same version), not to this lab. klab's own Argo
// controller, paused by setup, runs again when no other trainee's i-m2 holds it paused.
import { deleteNamespaces, type LabRuntime } from '../_engine/runtime.js';
import { PRIORITY_CLASS, removeLocalManifest } from './shared.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  const { AppsV1Api, SchedulingV1Api } = await import('@kubernetes/client-node');
  const gone = (e: unknown) => (e as { code?: number }).code === 404;
  await deleteNamespaces(rt.kc, [rt.namespace]);
  const apps = rt.kc.makeApiClient(AppsV1Api);
  const users = (await apps.listDeploymentForAllNamespaces()).items.filter((d) => d.spec?.template?.spec?.priorityClassName === PRIORITY_CLASS);
  if (!users.length) {
    try { await rt.kc.makeApiClient(SchedulingV1Api).deletePriorityClass({ name: PRIORITY_CLASS }); } catch (e) { if (!gone(e)) throw e; }
  }
  removeLocalManifest();
  // This trainee's hold on the pause goes; klab's own Argo runs again once no other trainee (another seed's i-m2,
  // between its start and its reset) holds it (decision 0029).
  await rt.sharedArgo(true);
}
