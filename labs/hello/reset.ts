// The trainee creates the namespace by hand (unlabelled), so reset deletes it by name too and waits until it is gone.
import { LabCommandError, type LabRuntime } from '../_engine/runtime.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = rt.kc.makeApiClient(CoreV1Api);
  try { await core.deleteNamespace({ name: rt.namespace }); } catch (e) { if ((e as { code?: number }).code !== 404) throw e; return; }
  for (let i = 0; i < 240; i++) {
    try { await core.readNamespace({ name: rt.namespace }); } catch (e) { if ((e as { code?: number }).code === 404) return; throw e; }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new LabCommandError(`namespace ${rt.namespace} is still terminating after 120s`);
}
