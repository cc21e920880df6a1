// s1's LoadBalancer step has the trainee apply a MetalLB IPAddressPool and L2Advertisement named after the lab
// namespace in metallb-system, outside the namespace klab deletes: remove this trainee's pair (a kept pool would keep
// its address, and a second trainee given the same address would make MetalLB refuse the overlap). Clusters without
// MetalLB (EKS) have no such kinds: nothing to do.
import type { LabRuntime } from '../_engine/runtime.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  const { CustomObjectsApi } = await import('@kubernetes/client-node');
  const api = rt.kc.makeApiClient(CustomObjectsApi);
  for (const plural of ['l2advertisements', 'ipaddresspools']) {
    try {
      await api.deleteNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: 'metallb-system', plural, name: rt.namespace });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}
