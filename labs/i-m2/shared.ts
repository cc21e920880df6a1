// What i-m2's setup, solution, checks and reset share: the node group, and the release manifest for clusters without
// internet access (the `local` provider), rendered from the Argo Workflows Go module exactly as upstream's Makefile
// renders namespace-install.yaml for a release (kustomize build of manifests/namespace-install, `:latest` → the
// version), with one documented local-only difference (see header). Its images (workflow-controller, argocli) are
// built offline by cluster/images/build.ts and served by the local registry, so the installed Argo really runs on the
// real node — where pods that select PROTO-INFERENCE-NG land (decision 0015).
import { mkdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { stateDir } from '../../cluster/paths.js';
import type { LabRuntime } from '../_engine/runtime.js';

export { NODEGROUP_LABEL } from '../../cluster/nodegroups.js';
export const CONTROLLER = 'workflow-controller';
export const SERVER = 'argo-server';
export const CONFIGMAP = 'workflow-controller-configmap';
export const PRIORITY_CLASS = 'workflow-controller';

/** Where setup writes the local manifest (the trainee's klab state dir). */
export function localManifestPath(): string {
  return join(stateDir(), 'labs', 'i-m2', 'namespace-install.yaml');
}

export function removeLocalManifest(): void {
  const f = localManifestPath();
  if (existsSync(f)) rmSync(f);
}

const header = (version: string) => `# This is an auto-generated file. DO NOT EDIT
# klab: Argo Workflows ${version} namespace-install.yaml, rendered like the release asset
# (kubectl kustomize --load-restrictor=LoadRestrictionsNone manifests/namespace-install | sed 's/:latest/:${version}/')
# from the Go module github.com/argoproj/argo-workflows/v4@${version}, because this cluster has no internet access.
# One difference from the release file, for this local cluster only: no CustomResourceDefinitions (the cluster
# already has Argo's CRDs, the same version, installed by klab).
`;

/** Render the local manifest with `kubectl kustomize` (the cluster's kubectl) and write it; returns its path. */
export async function renderLocalManifest(rt: LabRuntime, version: string): Promise<string> {
  const { argoInstallManifest, ARGO_VERSION } = await import('../../cluster/local/tools.js');
  if (version !== ARGO_VERSION) throw new Error(`lab i-m2 pins Argo ${version} but the local provider builds ${ARGO_VERSION}: update labs/i-m2 (lab.yaml params, checks)`);
  const dir = await argoInstallManifest('namespace-install');
  const out = (await rt.run('kubectl', ['kustomize', '--load-restrictor=LoadRestrictionsNone', dir], { quiet: true })).stdout;
  const docs: string[] = [];
  // Split first (the CRDs are ~11 MB of YAML): only the small documents are parsed.
  for (const raw of out.split(/^---$/m)) {
    if (/^kind: CustomResourceDefinition$/m.test(raw) && /^apiVersion: apiextensions\.k8s\.io\//m.test(raw)) continue;
    const doc = parseAllDocuments(raw.replace(/:latest\b/g, `:${version}`))[0];
    const obj = doc?.toJS() as any;
    if (!obj?.kind) continue;
    docs.push(stringify(obj));
  }
  const file = localManifestPath();
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, header(version) + docs.join('---\n'));
  return file;
}
