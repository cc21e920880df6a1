// resource-match: a partial match of any object (arrays matched by element name, never by position; predicates as
// operators in YAML or functions in code), or `absent: true` for "must not exist".
import type { KubernetesObject } from '@kubernetes/client-node';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, ProbeResult } from './types.js';
import { registerKind, labelsSchema, labelMapProblems } from './registry.js';
import type { SpecOf } from './registry.js';
import { clients, isNotFound, toCheckError, labelSelectorOf } from './k8s.js';
import { partialMatch, mismatchText } from './match.js';
import { recentMotion, firstMotion } from './settle.js';

export interface ResourceRef { apiVersion: string; kind: string; name?: string; namespace?: string; labels?: Record<string, string> }

function unknownKind(e: unknown): boolean {
  // client-node: a kind missing from a known group, or a 404 while discovering an unknown group/version. Any other
  // discovery failure (no answer, refused, 5xx) is the cluster's problem, an `error`, never the trainee's `fail`.
  if (!(e instanceof Error)) return false;
  if (/Unrecognized API version and kind/.test(e.message)) return true;
  return /Failed to fetch resource metadata/.test(e.message) && isNotFound(e);
}

/** The objects a reference points at ([] when none); null when the cluster does not know the kind. */
export async function fetchObjects(ctx: CheckContext, ref: ResourceRef): Promise<KubernetesObject[] | null> {
  const c = clients(ctx.kc);
  const ns = ref.namespace ?? ctx.namespace;
  try {
    if (ref.name) {
      const o = await c.objects.read({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ns } });
      return [o];
    }
    const l = await c.objects.list(ref.apiVersion, ref.kind, ns, undefined, undefined, undefined, undefined, labelSelectorOf(ref.labels));
    return l.items;
  } catch (e) {
    if (unknownKind(e)) return null;
    if (isNotFound(e)) return [];
    throw toCheckError(e, ctx.kc, `get ${ref.kind}`);
  }
}

/** Kinds without a namespace (headers say `v1/Namespace x`, never `x/x`). The found object's metadata tells for others. */
const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'APIService', 'CSIDriver',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ClusterWorkflowTemplate', 'GatewayClass']);

function describe(ref: ResourceRef, ns: string): string {
  const where = ref.name ? `${ns}/${ref.name}` : `${ns} (${labelSelectorOf(ref.labels) ?? '*'})`;
  return `${ref.apiVersion}/${ref.kind} ${where}`;
}

const properties = {
  resource: {
    type: 'object', required: ['apiVersion', 'kind'], additionalProperties: false,
    properties: { apiVersion: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, namespace: { type: 'string', minLength: 1 }, labels: labelsSchema },
  },
  match: { type: 'object' },
  absent: { type: 'boolean' },
} as const;
/** The spec of a resource-match check, derived from its schema (tsc checks the probe against it). */
type ResourceMatchSpec = SpecOf<typeof properties, 'resource'>;

async function probe(spec: ResourceMatchSpec, ctx: CheckContext): Promise<ProbeResult> {
  const ref = spec.resource as ResourceRef;
  const ns = ref.namespace ?? ctx.namespace;
  const objs = await fetchObjects(ctx, ref);
  // cluster-scoped objects (Namespace, Node, ClusterRole…) come back without a namespace
  const head = describe(ref, CLUSTER_SCOPED.has(ref.kind) || (objs?.length && !objs[0].metadata?.namespace) ? '' : ns).replace(/ \//, ' ');
  if (objs === null) {
    if (spec.absent) return { ok: true, reasons: [fill({ ko: '{h}: 없음 (이 클러스터는 {k} 종류를 모릅니다)', en: '{h}: absent (the cluster does not know kind {k})' }, { h: head, k: ref.kind })] };
    return { ok: false, reasons: [fill({ ko: '{h}: 클러스터가 {k} 종류를 모릅니다 (apiVersion 오타이거나 CRD가 설치되지 않음).', en: '{h}: the cluster does not know kind {k} (a typo in apiVersion, or its CRD is not installed).' }, { h: head, k: ref.kind })] };
  }
  if (spec.absent) {
    if (!objs.length) return { ok: true, reasons: [fill({ ko: '{h}: 없음 ✓', en: '{h}: absent ✓' }, { h: head })] };
    const leaving = objs.find((o) => o.metadata?.deletionTimestamp);
    return {
      ok: false, observed: { names: objs.map((o) => o.metadata?.name) },
      settled: !leaving,
      waitingFor: leaving ? fill({ ko: '삭제 중인 {k} {n}', en: '{k} {n} being deleted' }, { k: ref.kind, n: leaving.metadata?.name ?? '' }) : undefined,
      reasons: [fill({ ko: '{h}: 없어야 하는데 있습니다 ({names}).', en: '{h}: must not exist, but it does ({names}).' }, { h: head, names: objs.map((o) => o.metadata?.name).join(', ') })],
      hints: [fill({ ko: '`kubectl delete {k} {n} -n {ns}`', en: '`kubectl delete {k} {n} -n {ns}`' }, { k: ref.kind.toLowerCase(), n: objs[0].metadata?.name ?? '', ns })],
    };
  }
  if (!objs.length) {
    return { ok: false, settled: true, observed: { found: 0 }, reasons: [fill({ ko: '{h}: 없습니다.', en: '{h}: not found.' }, { h: head })] };
  }
  const reasons: Text[] = [];
  const lines: string[] = [];
  for (const o of objs) {
    const ms = partialMatch(spec.match ?? {}, o);
    if (!ms.length) continue;
    const t = mismatchText(ms);
    const h = `${ref.apiVersion}/${ref.kind}/${o.metadata?.namespace ?? '-'}/${o.metadata?.name}`;
    reasons.push({ ko: `${h}\n${t.ko.map((l) => '  ' + l).join('\n')}`, en: `${h}\n${t.en.map((l) => '  ' + l).join('\n')}` });
    lines.push(h, ...t.en.map((l) => '  ' + l));
  }
  if (!reasons.length) return { ok: true, reasons: [fill({ ko: '{h}: {n}개 오브젝트가 일치합니다.', en: '{h}: {n} object(s) match.' }, { h: head, n: objs.length })], observed: { matched: objs.map((o) => o.metadata?.name) } };
  // Fields under status are written by controllers (moving); spec fields only change when someone writes the object.
  const motion = firstMotion(...objs.map((o) => recentMotion(ref.kind, o.metadata)));
  const watchesStatus = spec.match && typeof spec.match === 'object' && 'status' in spec.match;
  return {
    ok: false, reasons, evidence: [{ kind: 'field', title: { ko: '다른 필드', en: 'Fields that differ' }, lines }], observed: { objects: objs.map((o) => o.metadata?.name) },
    settled: !motion && !watchesStatus, waitingFor: motion ?? undefined,
  };
}

registerKind({
  kind: 'resource-match',
  description: { ko: '오브젝트의 부분 일치 (배열은 이름으로), 또는 absent', en: 'Partial match of an object (arrays by element name), or absent' },
  properties,
  required: ['resource'],
  extra: { anyOf: [{ required: ['match'] }, { required: ['absent'] }] },
  validate: (s) => (s.resource?.labels && typeof s.resource.labels === 'object' ? labelMapProblems(s.resource.labels, '/resource/labels') : []),
  title: (s) => fill(s.absent ? { ko: '{k} {n} 없음', en: '{k} {n} absent' } : { ko: '{k} {n} 일치', en: '{k} {n} matches' }, { k: s.resource?.kind ?? '', n: s.resource?.name ?? '' }),
  probe,
});
