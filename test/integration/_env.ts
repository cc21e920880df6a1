// Integration tests get their cluster from test/run.ts (global setup) through KLAB_TEST_CLUSTER,
// a JSON ClusterInfo: {provider, kubeconfig, context, capabilities}.
import type { ClusterInfo } from '../../cluster/provider.js';

export function testCluster(): ClusterInfo {
  const raw = process.env.KLAB_TEST_CLUSTER;
  if (!raw) throw new Error('KLAB_TEST_CLUSTER is not set: run integration tests through `npm test` (test/run.ts)');
  return JSON.parse(raw) as ClusterInfo;
}

export async function testKubeConfig() {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const info = testCluster();
  const kc = new KubeConfig();
  kc.loadFromFile(info.kubeconfig);
  kc.setCurrentContext(info.context);
  return kc;
}
