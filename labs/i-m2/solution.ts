// The reference solution of i-m2, as a trainee would type it.
import { existsSync } from 'node:fs';
import type { LabRuntime } from '../_engine/runtime.js';
import { CONTROLLER, SERVER, CONFIGMAP, NODEGROUP_LABEL, localManifestPath } from './shared.js';

const pinPatch = (group: string) => JSON.stringify({ spec: { template: { spec: { nodeSelector: { [NODEGROUP_LABEL]: group } } } } });
const defaults = (group: string) => `spec:\n  nodeSelector:\n    ${NODEGROUP_LABEL}: ${group}\n`;
const testWorkflow = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: busybox:1.35
        command: [echo, hello from PROTO-INFERENCE-NG]
`;

/** What "Show the solution" prints, per step id. */
export const commands = (p: Record<string, string>) => {
  const n = `-n ${p.namespace}`;
  return {
    namespace: [`kubectl create namespace ${p.namespace}`],
    install: [`kubectl apply --server-side ${n} -f ${p.manifestUrl}   # local: -f <the path klab start printed>`],
    pin: [
      `kubectl ${n} patch deployment ${CONTROLLER} -p '${pinPatch(p.group)}'`,
      `kubectl ${n} patch deployment ${SERVER} -p '${pinPatch(p.group)}'`,
      `kubectl ${n} rollout status deployment/${CONTROLLER}`,
      `kubectl ${n} rollout status deployment/${SERVER}`,
    ],
    defaults: [`kubectl ${n} patch configmap ${CONFIGMAP} -p '${JSON.stringify({ data: { workflowDefaults: defaults(p.group) } })}'`],
    test: [
      `kubectl ${n} create role executor --verb=create,patch --resource=workflowtaskresults.argoproj.io`,
      `kubectl ${n} create rolebinding executor --role=executor --serviceaccount=${p.namespace}:default`,
      `kubectl create ${n} -f - <<'YAML'\n${testWorkflow}YAML`,
      `kubectl ${n} get pods -o wide -l workflows.argoproj.io/workflow`,
    ],
  };
};

export default async function solve(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const ns = rt.namespace;
  const k = (...a: string[]) => rt.kubectl('-n', ns, ...a);
  await rt.kubectl('create', 'namespace', ns);
  await rt.kubectl('label', 'namespace', ns, ...Object.entries(rt.labels).map(([k, v]) => `${k}=${v}`));
  const manifest = existsSync(localManifestPath()) ? localManifestPath() : p.manifestUrl;
  await rt.kubectl('apply', '--server-side', '-n', ns, '-f', manifest);
  await k('patch', 'deployment', CONTROLLER, '-p', pinPatch(p.group));
  await k('patch', 'deployment', SERVER, '-p', pinPatch(p.group));
  await k('rollout', 'status', `deployment/${CONTROLLER}`, '--timeout=180s');
  await k('rollout', 'status', `deployment/${SERVER}`, '--timeout=180s');
  await k('patch', 'configmap', CONFIGMAP, '-p', JSON.stringify({ data: { workflowDefaults: defaults(p.group) } }));
  await k('create', 'role', 'executor', '--verb=create,patch', '--resource=workflowtaskresults.argoproj.io');
  await k('create', 'rolebinding', 'executor', '--role=executor', `--serviceaccount=${ns}:default`);
  const created = (await rt.run('kubectl', [`--context=${rt.context}`, 'create', '-n', ns, '-f', '-', '-o', 'name'], { input: testWorkflow })).stdout.trim();
  await k('wait', `--for=jsonpath={.status.phase}=Succeeded`, created, '--timeout=180s');
  await k('get', 'pods', '-o', 'wide', '-l', 'workflows.argoproj.io/workflow');
}
