// The trainee creates the namespace by hand (unlabelled), so reset deletes it by name too and waits until it is gone.
import { deleteNamespaces, type LabRuntime } from '../_engine/runtime.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  await deleteNamespaces(rt.kc, [rt.namespace]);
}
