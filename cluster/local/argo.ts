// Argo Workflows on the local cluster: the CRDs from the argo-workflows Go module (the same version as the built
// workflow-controller; applied from the module cache, never copied into the repo) and the workflow-controller as a
// host process (leader election off), configured by its ConfigMap in namespace `argo`.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KlabError, ExitCode, fill } from '../../i18n/index.js';
import { goModuleDir, toolPath, ARGO_VERSION } from './tools.js';
import { isAlive, logTail, portFree, type ProcRecord } from '../../host/procs.js';
import { httpGet, trace, waitReady } from './probe.js';
import { poll } from '../../host/wait.js';

export const WORKFLOW_CONTROLLER = 'workflow-controller';
export const ARGO_NAMESPACE = 'argo';
export const ARGO_CONFIGMAP = 'workflow-controller-configmap';
export const ARGO_EXECUTOR_IMAGE = `quay.io/argoproj/argoexec:${ARGO_VERSION}`;

/** The CRD files (minimal schema, as in Argo's own install manifests) inside the module cache. */
export async function argoCrdFiles(): Promise<string[]> {
  const dir = join(await goModuleDir('github.com/argoproj/argo-workflows/v4', ARGO_VERSION, 'argo'), 'manifests', 'base', 'crds', 'minimal');
  return readdirSync(dir).filter((f) => /^argoproj\.io_.*\.yaml$/.test(f)).sort().map((f) => join(dir, f));
}

/** Namespace, controller ConfigMap (metrics off: no fixed ports taken) and the executor's RBAC. */
export function argoSetupObjects(): object[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGO_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'klab' } } },
    {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: ARGO_CONFIGMAP, namespace: ARGO_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'klab' } },
      data: { metricsConfig: 'enabled: false\n', telemetryConfig: 'enabled: false\n' },
    },
    // argoexec (on a real node) reports results as WorkflowTaskResults with the pod's service account.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name: 'klab-argo-executor', labels: { 'app.kubernetes.io/managed-by': 'klab' } },
      rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
      metadata: { name: 'klab-argo-executor', labels: { 'app.kubernetes.io/managed-by': 'klab' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'klab-argo-executor' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts' }],
    },
  ];
}

export interface InstallArgoOptions {
  kubeconfig: string;
  controllerKubeconfig: string;
  dataDir: string;
  launch: (bin: string, args: string[], env: NodeJS.ProcessEnv) => ProcRecord;
  kubectl: (args: string[], kubeconfig: string) => Promise<string>;
}

/** Wait until the CRDs are served (condition Established), at most 60 s (Argo's, and Argo Rollouts' in rollouts.ts). */
export async function waitEstablished(kubeconfig: string, names: string[]): Promise<void> {
  const { KubeConfig, ApiextensionsV1Api } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const pending = new Set(names);
  const r = await poll(async () => {
    for (const n of [...pending]) {
      const crd = await api.readCustomResourceDefinition({ name: n }).catch(() => undefined);
      if (crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) pending.delete(n);
    }
    return pending.size;
  }, (left) => left === 0, { timeoutMs: 60_000, everyMs: 200 });
  if (!r.done) {
    throw new KlabError(fill({ ko: 'CRD {n}{n:이/가} 60초 안에 준비되지 않았습니다.', en: 'The CRDs {n} were not established within 60s.' }, { n: [...pending].join(', ') }), ExitCode.unreachable);
  }
}

export async function installArgo(o: InstallArgoOptions): Promise<ProcRecord> {
  trace('argo: locating CRDs');
  const crds = await argoCrdFiles();
  trace('argo: applying CRDs');
  const setup = join(o.dataDir, 'argo-setup.yaml');
  writeFileSync(setup, argoSetupObjects().map((x) => stringify(x)).join('---\n'));
  // kubectl, not client-node: client-node's typed serializer drops the CRDs' x-kubernetes-* schema fields.
  await o.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=klab', ...[...crds, setup].flatMap((f) => ['-f', f])], o.kubeconfig);
  trace('argo: waiting for CRDs');
  await waitEstablished(o.kubeconfig, ['workflows.argoproj.io', 'workflowtemplates.argoproj.io', 'workflowtaskresults.argoproj.io']);

  return startController(o);
}

/**
 * Start the cluster-wide workflow-controller host process and wait until it is ready (its /healthz on the fixed
 * upstream port 6060; if another program holds that port, until it logs that it started or has stayed up 5 s).
 * Used by `up` and to resume the controller after a lab paused it (setSharedArgo in cluster.ts, decision 0015).
 */
export async function startController(o: Pick<InstallArgoOptions, 'controllerKubeconfig' | 'launch'>): Promise<ProcRecord> {
  trace('argo: starting workflow-controller');
  const healthPortFree = await portFree(6060);
  const rec = o.launch(toolPath('workflow-controller'), [
    `--kubeconfig=${o.controllerKubeconfig}`, `--namespace=${ARGO_NAMESPACE}`, `--configmap=${ARGO_CONFIGMAP}`,
    `--executor-image=${ARGO_EXECUTOR_IMAGE}`, '--executor-image-pull-policy=IfNotPresent', '--loglevel=info', '--workflow-workers=4',
  ], { ...process.env, LEADER_ELECTION_DISABLE: 'true' });
  const since = Date.now();
  await waitReady(rec, async () => {
    if (healthPortFree) {
      if ((await httpGet('http://127.0.0.1:6060/healthz'))?.status !== 200) return false;
      trace('argo: healthz ok');
      return true;
    }
    if (!logTail(rec.log, 400).includes('Starting Workflow Controller') && Date.now() - since <= 5000) return false;
    trace('argo: controller started (log)');
    return true;
  }, 60_000);
  return rec;
}

