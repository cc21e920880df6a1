// The node groups every provider builds (cluster/nodegroups.yaml), shaped like the trainees' EKS cluster: the one
// type, the one loader and the one node plan that kind, local, existing, doctor and the checkers use.
//
// The loader checks the file against nodegroups.schema.json, then what the schema cannot say: `real` ≤ `nodes`,
// unique names, and the rules kubelet applies to --node-labels and --register-with-taints (kind and the local real
// node pass labels and taints to kubelet, which would only refuse them when the node starts — too late to be useful).
// Every problem is reported as `file:line: message` in Korean and English, exit 2.
import { readFileSync } from 'node:fs';
import { KlabError, ExitCode, fill, type Text } from '../i18n/index.js';
import { fileProblemsError, type FileProblem, type SchemaError } from '../i18n/messages.js';
import { parseYamlFile, pointerSegment } from '../i18n/yaml-file.js';
import { packagePath } from './paths.js';

/** The label EKS puts on every node of a managed node group; every klab node carries it too. */
export const NODEGROUP_LABEL = 'eks.amazonaws.com/nodegroup';

export interface Taint { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }

export interface NodeGroup {
  name: string;
  /** how many nodes the group has (0: none, e.g. a control-plane-only kind cluster) */
  nodes: number;
  /** how many of them the local provider runs as real kubelet nodes (the rest are kwok-simulated) */
  real?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  capacity?: { cpu?: string; memory?: string; pods?: string; 'ephemeral-storage'?: string };
}

export interface PlannedNode {
  /** klab-<short>-<i> (the local provider's node name; kind names its own) */
  name: string;
  group: string;
  /** the group's labels plus NODEGROUP_LABEL=<group> */
  labels: Record<string, string>;
  taints: Taint[];
  capacity: Record<string, string>;
  /** nodegroups.yaml asks for this node to be a real kubelet node */
  real: boolean;
}

export const defaultNodeGroupsFile = () => packagePath('cluster', 'nodegroups.yaml');

// ---- label and taint rules (k8s.io/apimachinery validation; kubelet's node-restriction namespaces) ----

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Labels kubelet may set on its own Node in the kubernetes.io / k8s.io namespaces (k8s.io/kubelet pkg/apis IsKubeletLabel). */
const kubeletAllowed = new Set([
  'kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type', 'kubernetes.io/os', 'kubernetes.io/arch',
  'beta.kubernetes.io/os', 'beta.kubernetes.io/arch',
]);
const kubeletAllowedNamespaces = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const T = {
  prefix: { ko: '{what} {key}: 접두사는 DNS 서브도메인이어야 합니다', en: '{what} {key}: the prefix must be a DNS subdomain' },
  name: { ko: '{what} {key}: 이름은 1~63자의 영숫자와 - _ . 이고 영숫자로 시작하고 끝나야 합니다', en: '{what} {key}: the name must be 1-63 characters [A-Za-z0-9-_.], starting and ending alphanumeric' },
  value: { ko: '{what} {key}={value}: 값은 63자 이하의 영숫자와 - _ . 이고 영숫자로 시작하고 끝나야 합니다', en: '{what} {key}={value}: the value must be at most 63 characters [A-Za-z0-9-_.], starting and ending alphanumeric' },
  kubeletNs: { ko: '라벨 {key}: kubelet 은 kubernetes.io·k8s.io 네임스페이스의 --node-labels 를 거부합니다 (node-restriction). 다른 접두사를 쓰세요', en: 'label {key}: kubelet refuses --node-labels in the kubernetes.io/k8s.io namespaces (node-restriction); use another prefix' },
  taintTwice: { ko: '테인트 {key}:{effect} 가 두 번 있습니다', en: 'taint {key}:{effect} is given twice' },
  real: { ko: '노드 그룹 {name}: real({real})이 nodes({nodes})보다 큽니다', en: 'node group {name}: real ({real}) is larger than nodes ({nodes})' },
  twice: { ko: '노드 그룹 {name} 이(가) 두 번 정의되어 있습니다', en: 'node group {name} is defined twice' },
  unreadable: { ko: '노드 그룹 파일 {file} 을(를) 읽을 수 없습니다: {err}', en: 'Cannot read the node-group file {file}: {err}' },
} satisfies Record<string, Text>;
const what = { label: { ko: '라벨', en: 'label' }, taint: { ko: '테인트', en: 'taint' } };

function keyValueProblems(kind: 'label' | 'taint', key: string, value: string): Text[] {
  const out: Text[] = [];
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const w = (t: Text) => ({ ko: fill(t, { what: what[kind].ko, key, value }).ko, en: fill(t, { what: what[kind].en, key, value }).en });
  if (slash >= 0 && (prefix.length === 0 || prefix.length > 253 || !dns1123Subdomain.test(prefix))) out.push(w(T.prefix));
  if (name.length === 0 || name.length > 63 || !qualifiedName.test(name)) out.push(w(T.name));
  if (value.length > 63 || !labelValue.test(value)) out.push(w(T.value));
  return out;
}

/** Problems kubelet (and the API server) would have with one node label; empty when it is fine. */
export function labelProblems(key: string, value: string): Text[] {
  const out = keyValueProblems('label', key, value);
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  const inK8sNs = prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io') || prefix === 'k8s.io' || prefix.endsWith('.k8s.io');
  const allowed = kubeletAllowed.has(key) || kubeletAllowedNamespaces.some((ns) => prefix === ns || prefix.endsWith('.' + ns));
  if (inK8sNs && !allowed) out.push(fill(T.kubeletNs, { key }));
  return out;
}

/** Problems the API server would have with one taint (key: a qualified name, value: a label value). */
export function taintProblems(t: Taint): Text[] {
  return keyValueProblems('taint', t.key, t.value ?? '');
}

// ---- the loader ----

type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

let validator: Validator | undefined;
async function validate(data: unknown): Promise<SchemaError[]> {
  if (!validator) {
    const { validatorFor } = await import('../checkers/validators.js');
    validator = validatorFor('nodegroups', JSON.parse(readFileSync(packagePath('cluster', 'nodegroups.schema.json'), 'utf8'))) as Validator;
  }
  return validator(data) ? [] : validator.errors ?? [];
}

/** Parse and check a node-groups document; every problem is a `file:line: message` line of one KlabError (exit 2). */
export async function parseNodeGroups(text: string, file = 'nodegroups.yaml'): Promise<NodeGroup[]> {
  const { data, lineOf } = await parseYamlFile<{ groups: NodeGroup[] }>(text, file, validate);
  const problems: FileProblem[] = [];
  // What the schema cannot say.
  const { groups } = data;
  const names = new Set<string>();
  groups.forEach((g, i) => {
    const at = (p: string, message: Text) => problems.push({ file, line: lineOf(`/groups/${i}${p}`), message });
    if ((g.real ?? 0) > g.nodes) at('/real', fill(T.real, { name: g.name, real: g.real, nodes: g.nodes }));
    if (names.has(g.name)) at('/name', fill(T.twice, { name: g.name }));
    names.add(g.name);
    for (const [k, v] of Object.entries(g.labels ?? {})) for (const m of labelProblems(k, v)) at(`/labels/${pointerSegment(k)}`, m);
    const taints = new Set<string>();
    (g.taints ?? []).forEach((t, ti) => {
      for (const m of taintProblems(t)) at(`/taints/${ti}`, m);
      if (taints.has(`${t.key}:${t.effect}`)) at(`/taints/${ti}`, fill(T.taintTwice, { key: t.key, effect: t.effect }));
      taints.add(`${t.key}:${t.effect}`);
    });
  });
  if (problems.length) throw fileProblemsError(problems);
  return groups;
}

/** Read and check the node-group file (default: the package's cluster/nodegroups.yaml). */
export async function loadNodeGroups(file = defaultNodeGroupsFile()): Promise<NodeGroup[]> {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new KlabError(fill(T.unreadable, { file, err: (e as NodeJS.ErrnoException).code ?? String(e) }), ExitCode.usage);
  }
  return parseNodeGroups(text, file);
}

// ---- the node plan ----

/** Short, DNS-safe name for a group: its `node-group` label, else PROTO-INFERENCE-NG → inference. */
export function groupShortName(g: NodeGroup): string {
  const fromLabel = g.labels?.['node-group'];
  const base = fromLabel ?? g.name.toLowerCase().replace(/^proto-/, '').replace(/-ng$/, '');
  return base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'group';
}

/** Every node of every group, in file order: names klab-<short>-<i>; the last `real` nodes of a group are the real ones. */
export function planNodes(groups: NodeGroup[]): PlannedNode[] {
  const out: PlannedNode[] = [];
  for (const g of groups) {
    const short = groupShortName(g);
    const real = g.real ?? 0;
    for (let i = 1; i <= g.nodes; i++) {
      out.push({
        name: `klab-${short}-${i}`,
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

/** kubelet's --register-with-taints value: key=value:Effect,… (empty string for none). */
export const taintsFlag = (taints: Taint[]) => taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(',');
