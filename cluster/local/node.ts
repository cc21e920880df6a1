// The real kubelet node of the `local` provider (issue 4). Placeholder: reports that no real node is available yet.
import type { Text } from '../../i18n/index.js';
import type { Progress } from '../provider.js';

export interface RealNodeContext {
  stateDir: string;        // the local provider's state dir (pids, logs, data)
  kubeconfig: string;      // admin kubeconfig (context below)
  context: string;
  apiServerUrl: string;    // reachable from pods on the real node (not 127.0.0.1)
  pkiDir: string;          // ca.crt, ca.key (to sign kubelet/kube-proxy certs), admin.crt/.key
  serviceCidr: string;     // e.g. 10.96.0.0/16
  clusterDns?: string;     // e.g. 10.96.0.10
  nodes: { name: string; group: string; labels: Record<string, string> }[];
  progress: Progress;
}

export async function realNodeAvailable(): Promise<{ ok: boolean; reason?: Text }> {
  return { ok: false, reason: { ko: '실제 노드(kubelet)는 아직 구현되지 않았습니다.', en: 'The real (kubelet) node is not implemented yet.' } };
}
export async function startRealNodes(_ctx: RealNodeContext): Promise<void> { /* nothing to start yet */ }
export async function stopRealNodes(_stateDir: string): Promise<void> { /* nothing started */ }
