// Argo Rollouts on the local cluster, for the labs that ask for it (lab.yaml `addons: [rollouts]`, decision 0035):
// the controller and the `kubectl argo rollouts` plugin built from the argo-rollouts Go module (cluster/local/rollouts,
// same version for both), the CRDs applied from that module in the module cache (never copied into the repo), and the
// controller run as a host process (leader election off) like klab's workflow-controller. Other labs never pay for it:
// nothing here runs unless a lab asks.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../provider.js';
import { fill } from '../../i18n/index.js';
import { buildTools, goModuleDir, rolloutsTools, toolPath, ROLLOUTS_VERSION } from './tools.js';
import { isAlive, pickPort, type ProcRecord } from '../../host/procs.js';
import { httpGet, trace, waitReady } from './probe.js';
import { waitEstablished } from './argo.js';

export const ROLLOUTS_CONTROLLER = 'rollouts-controller';
export const ROLLOUTS_MODULE = 'github.com/argoproj/argo-rollouts';

/** The CRD files of the release (manifests/crds, the same files the release's install.yaml carries) in the module cache. */
export async function rolloutsCrdFiles(): Promise<string[]> {
  const dir = join(await goModuleDir(ROLLOUTS_MODULE, ROLLOUTS_VERSION, 'rollouts'), 'manifests', 'crds');
  return readdirSync(dir).filter((f) => f.endsWith('-crd.yaml')).sort().map((f) => join(dir, f));
}

export interface EnsureRolloutsOptions {
  progress: Progress;
  /** The admin kubeconfig: the controller acts cluster-wide, as upstream's ClusterRole lets it. */
  kubeconfig: string;
  /** The controller's process, if one was started earlier. */
  running?: ProcRecord;
  launch: (bin: string, args: string[], env: NodeJS.ProcessEnv) => ProcRecord;
  kubectl: (args: string[], kubeconfig: string) => Promise<string>;
}

/**
 * Build (once, cached) the controller and the plugin, apply the CRDs, start the controller unless it runs, and wait
 * until it is healthy. Returns the new process, or undefined when the one given as `running` is still alive.
 */
export async function ensureRollouts(o: EnsureRolloutsOptions): Promise<ProcRecord | undefined> {
  if (o.running && isAlive(o.running)) return undefined;
  await buildTools(o.progress, rolloutsTools);
  o.progress.phase(fill({ ko: 'Argo Rollouts {v} 설치 (CRD, rollouts-controller)', en: 'Installing Argo Rollouts {v} (CRDs, rollouts-controller)' }, { v: ROLLOUTS_VERSION }));
  const crds = await rolloutsCrdFiles();
  // kubectl, not client-node: client-node's typed serializer drops the CRDs' x-kubernetes-* schema fields.
  await o.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=klab', ...crds.flatMap((f) => ['-f', f])], o.kubeconfig);
  await waitEstablished(o.kubeconfig, ['rollouts.argoproj.io']);
  // Free ports (upstream's fixed 8080/8090 may be taken on a trainee's machine).
  const healthz = await pickPort();
  const metrics = await pickPort(undefined, new Set([healthz]));
  trace(`rollouts: starting controller (healthz ${healthz})`);
  const rec = o.launch(toolPath('rollouts-controller'), [
    `--kubeconfig=${o.kubeconfig}`, '--leader-elect=false', `--healthzPort=${healthz}`, `--metricsPort=${metrics}`, '--loglevel=info',
  ], process.env);
  await waitReady(rec, async () => (await httpGet(`http://127.0.0.1:${healthz}/healthz`))?.status === 200, 60_000);
  o.progress.done();
  return rec;
}
