// Submission folders for lab i-h2 (klab grade --submission DIR --lab i-h2), written for a seed: the reference
// WorkflowTemplate with that seed's program (shared.ts templateYaml), or a hostile variant — a privileged step with a
// hostPath volume in the template (Pod Security refuses its pod when it runs), or a cluster-scoped
// ClusterRoleBinding to cluster-admin beside it (RBAC refuses it at apply). Used by the unit (static) and the
// integration (live) submission tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadLab, labParams } from '../../labs/_engine/load.js';
import { programOf, programSource, templateYaml } from '../../labs/i-h2/shared.js';

export type Ih2Variant = 'good' | 'privileged-hostpath' | 'cluster-admin';

export async function ih2Submission(dir: string, seed: string, variant: Ih2Variant): Promise<Record<string, string>> {
  const p = labParams(await loadLab('i-h2'), seed);
  mkdirSync(dir, { recursive: true });
  const t = parse(templateYaml(p, programSource(programOf(p), seed))) as { spec: { templates: { name: string; script?: Record<string, unknown> }[]; volumes?: unknown[] } };
  if (variant === 'privileged-hostpath') {
    const score = t.spec.templates.find((x) => x.name === 'score')!;
    score.script!.securityContext = { privileged: true };
    score.script!.volumeMounts = [{ name: 'host', mountPath: '/host' }];
    t.spec.volumes = [{ name: 'host', hostPath: { path: '/' } }];
  }
  writeFileSync(join(dir, 'template.yaml'), stringify(t));
  if (variant === 'cluster-admin') {
    writeFileSync(join(dir, 'takeover.yaml'), stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `ih2-${p.suffix}-takeover` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
    }));
  }
  return p;
}
