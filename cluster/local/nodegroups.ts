// cluster/nodegroups.yaml → the list of nodes the local provider creates (validated against nodegroups.schema.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KlabError, ExitCode, fill } from '../../i18n/index.js';
import { packageRoot } from './tools.js';

export const NODEGROUP_LABEL = 'eks.amazonaws.com/nodegroup';

export interface NodeGroup {
  name: string;
  nodes: number;
  real?: number;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  capacity?: { cpu?: string; memory?: string; pods?: string; 'ephemeral-storage'?: string };
}

export interface PlannedNode {
  name: string;
  group: string;
  labels: Record<string, string>;
  taints: NonNullable<NodeGroup['taints']>;
  capacity: Record<string, string>;
  /** nodegroups.yaml asks for this node to be a real kubelet node */
  real: boolean;
}

export const defaultNodeGroupsFile = () => join(packageRoot(), 'cluster', 'nodegroups.yaml');

/** Read and validate node groups; bad input is a KlabError (exit 2) naming the file and the problem. */
export async function loadNodeGroups(file = defaultNodeGroupsFile()): Promise<NodeGroup[]> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KlabError(fill({ ko: '노드 그룹 파일 {file} 을(를) 읽을 수 없습니다: {err}', en: 'Cannot read node group file {file}: {err}' },
      { file, err: (e as Error).message.split('\n')[0] }), ExitCode.usage);
  }
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'cluster', 'nodegroups.schema.json'), 'utf8'));
  const { Ajv } = await import('ajv');
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (!validate(doc)) {
    const errs = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new KlabError(fill({ ko: '노드 그룹 파일 {file} 이(가) 올바르지 않습니다: {errs}', en: 'Node group file {file} is invalid: {errs}' }, { file, errs }), ExitCode.usage);
  }
  const groups = (doc as { groups: NodeGroup[] }).groups;
  const seen = new Set<string>();
  for (const g of groups) {
    if ((g.real ?? 0) > g.nodes) {
      throw new KlabError(fill({ ko: '노드 그룹 {name}: real({real})이 nodes({nodes})보다 큽니다 ({file}).', en: 'Node group {name}: real ({real}) is larger than nodes ({nodes}) ({file}).' },
        { name: g.name, real: g.real, nodes: g.nodes, file }), ExitCode.usage);
    }
    if (seen.has(g.name)) throw new KlabError(fill({ ko: '노드 그룹 {name} 이(가) 두 번 정의되어 있습니다 ({file}).', en: 'Node group {name} is defined twice ({file}).' }, { name: g.name, file }), ExitCode.usage);
    seen.add(g.name);
  }
  return groups;
}

/** Short, DNS-safe name for a group: its `node-group` label, else PROTO-INFERENCE-NG → inference. */
export function groupShortName(g: NodeGroup): string {
  const fromLabel = g.labels?.['node-group'];
  const base = fromLabel ?? g.name.toLowerCase().replace(/^proto-/, '').replace(/-ng$/, '');
  return base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'group';
}

/** Node names klab-<short>-<i>; the last `real` nodes of a group are the real ones. */
export function planNodes(groups: NodeGroup[]): PlannedNode[] {
  const out: PlannedNode[] = [];
  for (const g of groups) {
    const short = groupShortName(g);
    const real = g.real ?? 0;
    for (let i = 1; i <= g.nodes; i++) {
      const name = `klab-${short}-${i}`;
      out.push({
        name,
        group: g.name,
        labels: { ...(g.labels ?? {}), [NODEGROUP_LABEL]: g.name },
        taints: g.taints ?? [],
        capacity: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi', ...(g.capacity ?? {}) },
        real: i > g.nodes - real,
      });
    }
  }
  return out;
}
