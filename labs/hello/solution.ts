// The reference solution, as a trainee would type it.
import type { LabRuntime } from '../_engine/runtime.js';

/** What "Show the solution" prints, per step id. */
export const commands = (p: Record<string, string>) => ({
  namespace: [`kubectl create namespace ${p.namespace}`],
  configmap: [`kubectl -n ${p.namespace} create configmap greeting --from-literal=message=${p.word}`],
});

export default async function solve(rt: LabRuntime): Promise<void> {
  await rt.kubectl('create', 'namespace', rt.namespace);
  await rt.kubectl('label', 'namespace', rt.namespace, ...Object.entries(rt.labels).map(([k, v]) => `${k}=${v}`));
  await rt.kubectl('-n', rt.namespace, 'create', 'configmap', 'greeting', `--from-literal=message=${rt.params.word}`);
}
