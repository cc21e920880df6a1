// kwok: the simulated nodes. kwok manages only nodes carrying the annotation below (never --manage-all-nodes), so a
// real kubelet node that joins the same cluster is left alone.
// Its Stage configuration is assembled from the stage files shipped in the kwok Go module (same version as the
// binary), with one change: pods owned by Argo Workflows complete like pods owned by Jobs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { V1Node } from '@kubernetes/client-node';
import { goModuleDir, KWOK_VERSION } from './tools.js';
import type { PlannedNode } from '../nodegroups.js';

export const KWOK_ANNOTATION = 'kwok.x-k8s.io/node';
export const KWOK_ANNOTATION_VALUE = 'fake';
export const KWOK_SELECTOR = `${KWOK_ANNOTATION}=${KWOK_ANNOTATION_VALUE}`;

/**
 * The taint a simulated node carries when its node group also has a real node (decision 0015): pods that select the
 * group (nodeSelector or affinity) then land on the real node, where their containers really run — an Argo controller,
 * a workflow step, a pod whose env or logs a check reads — instead of on a kwok node that only pretends to run them.
 * Groups without a real node stay untainted, so simulated placement still works for them. kwok's own convention.
 */
export const SIMULATED_TAINT = { key: KWOK_ANNOTATION, value: KWOK_ANNOTATION_VALUE, effect: 'NoSchedule' as const };

/** The planned simulated nodes with SIMULATED_TAINT added where their group has a real node among `real`. */
export function taintBesideReal<T extends { group: string; taints: { key: string; value?: string; effect: string }[] }>(simulated: T[], real: { group: string }[]): T[] {
  const withReal = new Set(real.map((n) => n.group));
  return simulated.map((n) => (withReal.has(n.group) && !n.taints.some((t) => t.key === SIMULATED_TAINT.key) ? { ...n, taints: [...n.taints, SIMULATED_TAINT] } : n));
}

/** Upstream stage files used (paths inside sigs.k8s.io/kwok): node init + lease heartbeat, "fast" pod lifecycle. */
export const stageFiles = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
];

/** Owner kinds whose pods run to completion (Succeeded) instead of staying Running. */
export const completingOwnerKinds = ['Job', 'Workflow'];

interface MatchExpression { key: string; operator: string; values?: string[] }
interface StageDoc { kind: string; metadata: { name: string }; spec: { selector?: { matchExpressions?: MatchExpression[] } } }

/** Patch the upstream stages: pod-complete also matches pods owned by Workflows. */
export function patchStages(docs: StageDoc[]): StageDoc[] {
  for (const d of docs) {
    if (d.kind !== 'Stage' || d.metadata.name !== 'pod-complete') continue;
    const owner = d.spec.selector?.matchExpressions?.find((e) => e.key === '.metadata.ownerReferences.[].kind');
    if (!owner) throw new Error('kwok pod-complete stage has no ownerReferences selector: the upstream file changed');
    owner.values = [...new Set([...(owner.values ?? []), ...completingOwnerKinds])];
  }
  return docs;
}

/** Write kwok's --config file (all Stage documents). */
export async function writeKwokConfig(file: string): Promise<void> {
  const dir = await goModuleDir('sigs.k8s.io/kwok', KWOK_VERSION, 'kwok');
  const docs = stageFiles.map((f) => parse(readFileSync(join(dir, f), 'utf8')) as StageDoc);
  writeFileSync(file, patchStages(docs).map((d) => stringify(d)).join('---\n'));
}

/**
 * kwok's own server doubles as the simulated nodes' kubelet endpoint (node IP + port below), served over TLS so the
 * API server's logs/exec requests for simulated pods get a quick answer instead of reaching a real kubelet.
 */
export function kwokArgs(o: { kubeconfig: string; config: string; nodeIP: string; port: number; tlsCert?: string; tlsKey?: string }): string[] {
  return [
    `--kubeconfig=${o.kubeconfig}`,
    `--config=${o.config}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_SELECTOR}`,
    '--node-lease-duration-seconds=40',
    `--server-address=${o.nodeIP}:${o.port}`,
    `--node-ip=${o.nodeIP}`,
    `--node-port=${o.port}`,
    ...(o.tlsCert && o.tlsKey ? [`--tls-cert-file=${o.tlsCert}`, `--tls-private-key-file=${o.tlsKey}`] : []),
    '--cidr=10.244.128.0/17',
  ];
}

/** The Node object for a simulated node: labels as on EKS, capacity from nodegroups.yaml, status filled in by kwok. */
export function kwokNode(p: PlannedNode): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: p.name,
      annotations: { [KWOK_ANNOTATION]: KWOK_ANNOTATION_VALUE, 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': p.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kwok',
        'type': 'kwok',
        ...p.labels,
      },
    },
    spec: { taints: p.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) },
    status: {
      capacity: p.capacity,
      allocatable: p.capacity,
      nodeInfo: {
        architecture: 'amd64', operatingSystem: 'linux', osImage: 'kwok simulated node', kernelVersion: `kwok-${KWOK_VERSION}`,
        kubeletVersion: `kwok-${KWOK_VERSION}`, kubeProxyVersion: `kwok-${KWOK_VERSION}`, containerRuntimeVersion: `kwok-${KWOK_VERSION}`,
        bootID: '', machineID: '', systemUUID: '',
      },
    },
  };
}
