// Generates the kind cluster config from cluster/nodegroups.yaml (issue 7).
// Pure functions: no Docker, no files written. kind itself validates the output in the unit tests
// (cluster/kind/validate, a tiny Go program around kind's own config loader).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { KlabError, ExitCode, fill } from '../../i18n/index.js';
import { kindNodeImage, registry, hostPorts } from '../addons.js';

export const clusterName = 'klab';
export const nodeGroupLabel = 'eks.amazonaws.com/nodegroup';
/** Every node kind creates for klab carries this label: `klab cluster down` refuses to delete a `klab` cluster without it. */
export const markerLabel = 'klab.dev/managed';
export const ingressReadyLabel = 'ingress-ready';

export interface NodeGroup {
  name: string;
  nodes: number;
  real?: number;
  labels: Record<string, string>;
  capacity?: Record<string, string>;
}

/** Path of the repo's nodegroups.yaml, found from this module's location (src and dist layouts). */
export function defaultNodeGroupsPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // cluster/kind/config.ts → cluster/nodegroups.yaml ; dist/cluster/kind/config.js → cluster/nodegroups.yaml
  const candidates = [path.resolve(here, '..', 'nodegroups.yaml'), path.resolve(here, '..', '..', '..', 'cluster', 'nodegroups.yaml')];
  for (const c of candidates) {
    try { readFileSync(c); return c; } catch { /* next */ }
  }
  return candidates[1]!;
}

/** Parse and check a node-groups document. Errors name the file and the field, exit 2. */
export async function parseNodeGroups(text: string, file = 'nodegroups.yaml'): Promise<NodeGroup[]> {
  const YAML = await import('yaml');
  let doc: unknown;
  try { doc = YAML.parse(text); } catch (e) {
    throw new KlabError(fill({ ko: '{file}: YAML을 읽을 수 없습니다: {err}', en: '{file}: not valid YAML: {err}' }, { file, err: (e as Error).message }), ExitCode.usage);
  }
  const bad = (what: string) => new KlabError(fill({ ko: '{file}: {what}', en: '{file}: {what}' }, { file, what }), ExitCode.usage);
  const groups = (doc as { groups?: unknown })?.groups;
  if (!Array.isArray(groups) || groups.length === 0) throw bad('groups: a non-empty list is required / groups 목록이 필요합니다');
  const seen = new Set<string>();
  return groups.map((g: any, i: number) => {
    const at = `groups[${i}]`;
    if (!g || typeof g.name !== 'string' || !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(g.name)) {
      throw bad(`${at}.name: must be a valid label value (letters, digits, - _ .; at most 63) / 라벨 값으로 쓸 수 있는 이름이어야 합니다`);
    }
    if (seen.has(g.name)) throw bad(`${at}.name: duplicate group ${g.name} / 중복된 그룹`);
    seen.add(g.name);
    if (!Number.isInteger(g.nodes) || g.nodes < 0 || g.nodes > 20) throw bad(`${at}.nodes: an integer 0..20 / 0..20 사이 정수`);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(g.labels ?? {})) labels[k] = String(v);
    return { name: g.name, nodes: g.nodes, real: g.real, labels, capacity: g.capacity } as NodeGroup;
  });
}

export async function loadNodeGroups(file = defaultNodeGroupsPath()): Promise<NodeGroup[]> {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new KlabError(fill({ ko: '노드 그룹 파일을 읽을 수 없습니다: {file}', en: 'Cannot read the node-group file: {file}' }, { file }), ExitCode.usage, String(e));
  }
  return parseNodeGroups(text, file);
}

// ---- label rules (kind does not check labels; kubeadm/kubelet do, at node start, which is too late) ----

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

/** Problems with one node label, in English (used in KlabError details and by the Go validator's twin check). */
export function labelProblems(key: string, value: string): string[] {
  const out: string[] = [];
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0 && (prefix.length === 0 || prefix.length > 253 || !dns1123Subdomain.test(prefix))) out.push(`label ${key}: prefix must be a DNS subdomain`);
  if (name.length === 0 || name.length > 63 || !qualifiedName.test(name)) out.push(`label ${key}: name must be 1-63 characters [A-Za-z0-9-_.], starting and ending alphanumeric`);
  if (value.length > 63 || !labelValue.test(value)) out.push(`label ${key}=${value}: value must be at most 63 characters [A-Za-z0-9-_.], starting and ending alphanumeric`);
  const inK8sNs = prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io') || prefix === 'k8s.io' || prefix.endsWith('.k8s.io');
  const allowed = kubeletAllowed.has(key) || kubeletAllowedNamespaces.some((ns) => prefix === ns || prefix.endsWith('.' + ns));
  if (inK8sNs && !allowed) out.push(`label ${key}: kubelet refuses --node-labels in the kubernetes.io/k8s.io namespaces (node-restriction); use another prefix`);
  return out;
}

// ---- the config ----

export interface KindConfigOptions {
  name?: string;
  image?: string;
  registryPort?: number;
  httpPort?: number;
  httpsPort?: number;
  nodePortFirst?: number;
  nodePortCount?: number;
  /** bind host ports on this address (default 127.0.0.1: not reachable from the network) */
  listenAddress?: string;
}

export interface KindNode {
  role: 'control-plane' | 'worker';
  image: string;
  labels: Record<string, string>;
  extraPortMappings?: { containerPort: number; hostPort: number; listenAddress: string; protocol: 'TCP' }[];
}

export interface KindCluster {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  nodes: KindNode[];
  containerdConfigPatches: string[];
}

/** Which worker belongs to which group, in kind's node order (kind names them <name>-worker, <name>-worker2, …). */
export function workerPlan(groups: NodeGroup[]): { group: string; labels: Record<string, string> }[] {
  const out: { group: string; labels: Record<string, string> }[] = [];
  for (const g of groups) {
    for (let i = 0; i < g.nodes; i++) out.push({ group: g.name, labels: { ...g.labels, [nodeGroupLabel]: g.name, [markerLabel]: 'true' } });
  }
  return out;
}

export function kindConfig(groups: NodeGroup[], o: KindConfigOptions = {}): KindCluster {
  const image = o.image ?? process.env.KLAB_KIND_NODE_IMAGE ?? kindNodeImage.ref;
  const listenAddress = o.listenAddress ?? '127.0.0.1';
  const first = o.nodePortFirst ?? hostPorts.nodePortFirst;
  const count = o.nodePortCount ?? hostPorts.nodePortCount;
  const problems: string[] = [];
  for (const g of groups) for (const [k, v] of Object.entries({ ...g.labels, [nodeGroupLabel]: g.name })) problems.push(...labelProblems(k, v).map((p) => `${g.name}: ${p}`));
  if (problems.length) {
    throw new KlabError(fill({ ko: '노드 그룹 라벨을 kind/kubelet이 받아들이지 않습니다:\n{p}', en: 'kind/kubelet would refuse these node-group labels:\n{p}' }, { p: problems.join('\n') }), ExitCode.usage);
  }
  const ports: NonNullable<KindNode['extraPortMappings']> = [
    { containerPort: 80, hostPort: o.httpPort ?? hostPorts.http, listenAddress, protocol: 'TCP' },
    { containerPort: 443, hostPort: o.httpsPort ?? hostPorts.https, listenAddress, protocol: 'TCP' },
  ];
  for (let p = first; p < first + count; p++) ports.push({ containerPort: p, hostPort: p, listenAddress, protocol: 'TCP' });
  const nodes: KindNode[] = [
    // The control plane receives the host ports; Traefik runs there (nodeSelector ingress-ready=true).
    { role: 'control-plane', image, labels: { [ingressReadyLabel]: 'true', [markerLabel]: 'true' }, extraPortMappings: ports },
    ...workerPlan(groups).map((w) => ({ role: 'worker' as const, image, labels: w.labels })),
  ];
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: o.name ?? clusterName,
    nodes,
    // kind's local-registry guide: let containerd read per-registry hosts.toml files from certs.d
    // (klab writes /etc/containerd/certs.d/localhost:<port>/hosts.toml on every node after creation).
    containerdConfigPatches: [`[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${registry.certsDir}"`],
  };
}

export async function kindConfigYaml(groups: NodeGroup[], o: KindConfigOptions = {}): Promise<string> {
  const YAML = await import('yaml');
  const cfg = kindConfig(groups, o);
  return `# Generated by klab from cluster/nodegroups.yaml. Do not edit: run \`klab cluster up --provider kind\`.\n${YAML.stringify(cfg, { lineWidth: 0 })}`;
}

/** The containerd hosts.toml klab writes into every node (kind's local-registry guide, step 3). */
export function registryHostsToml(port = registry.hostPort): { dir: string; content: string } {
  return { dir: `${registry.certsDir}/localhost:${port}`, content: `[host."http://${registry.containerName}:${registry.containerPort}"]\n` };
}

/** The KEP-1755 ConfigMap that documents the local registry (kind's local-registry guide, step 5). */
export function localRegistryHostingConfigMap(port = registry.hostPort) {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'local-registry-hosting', namespace: 'kube-public', labels: { 'app.kubernetes.io/managed-by': 'klab' } },
    data: { 'localRegistryHosting.v1': `host: "localhost:${port}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n` },
  };
}
