// httproute-accepted: Gateway API HTTPRoutes taken by their Gateway's controller (decision 0032). For each named
// HTTPRoute, every parentRef must name a Gateway that exists, and the controller's status for that parent must say
// Accepted=True and ResolvedRefs=True. When it does not, the diagnosis gives the condition's reason and message (e.g.
// BackendNotFound: a backendRef to a Service or port that does not exist); when the controller wrote nothing, it says
// why it cannot have (no such Gateway, the Gateway's class has no controller, the Gateway or its listener not
// accepted — Traefik's PortUnavailable when a listener's port is no entry point's). The pure part (`routeProblems`) is
// unit-tested; whether the requests then reach the right backend is `http-route` with `gateway:`.
import { fill, type Text } from '../i18n/index.js';
import type { CheckContext, ProbeResult } from './types.js';
import { registerKind, type Spec } from './registry.js';
import { clients, getOrNull, read } from './k8s.js';
import { lastWrite } from './settle.js';
import { CONTROLLER_GRACE_MS, gatewayProblems, type GatewayObject } from './http-route.js';

const G = 'gateway.networking.k8s.io';
/** A parent without any status this long after the last change: the controller is not going to write one. */
export const PENDING_GRACE_MS = 20_000;

interface Condition { type?: string; status?: string; reason?: string; message?: string; observedGeneration?: number }
interface ParentRef { group?: string; kind?: string; name?: string; namespace?: string; sectionName?: string; port?: number }
export interface HTTPRouteObject {
  metadata?: { name?: string; namespace?: string; generation?: number; creationTimestamp?: Date | string; managedFields?: { time?: Date | string }[] };
  spec?: { parentRefs?: ParentRef[]; hostnames?: string[] };
  status?: { parents?: { parentRef?: ParentRef; controllerName?: string; conditions?: Condition[] }[] };
}

const refKey = (r: ParentRef | undefined, ns: string) => `${r?.namespace ?? ns}/${r?.name ?? ''}/${r?.sectionName ?? ''}`;

/**
 * What is wrong with one HTTPRoute, given the Gateways (by "namespace/name") that exist. Pure. `pending`: a parent
 * without a status from its controller (it may still come, if the objects changed just now).
 */
export function routeProblems(route: HTTPRouteObject, gateways: Map<string, GatewayObject>, classes: Map<string, boolean>): { problems: Text[]; pending: boolean } {
  const ns = route.metadata?.namespace ?? '';
  const name = route.metadata?.name ?? '';
  const problems: Text[] = [];
  let pending = false;
  const refs = route.spec?.parentRefs ?? [];
  if (!refs.length) {
    return { pending, problems: [fill({ ko: 'HTTPRoute {name}에 parentRefs가 없어 어느 Gateway에도 붙지 않습니다.', en: 'HTTPRoute {name} has no parentRefs, so it is attached to no Gateway.' }, { name })] };
  }
  for (const ref of refs) {
    if ((ref.kind ?? 'Gateway') !== 'Gateway' || (ref.group ?? G) !== G) {
      problems.push(fill({ ko: 'HTTPRoute {name}의 parentRef {k} {r}{r:은/는} Gateway가 아닙니다.', en: 'HTTPRoute {name}\'s parentRef {k} {r} is not a Gateway.' }, { name, k: ref.kind ?? '', r: ref.name ?? '' }));
      continue;
    }
    const gwNs = ref.namespace ?? ns;
    const gw = gateways.get(`${gwNs}/${ref.name}`);
    const st = (route.status?.parents ?? []).find((p) => refKey(p.parentRef, ns) === refKey(ref, ns));
    if (!gw) {
      const here = [...gateways.keys()].filter((k) => k.startsWith(`${gwNs}/`)).map((k) => k.slice(gwNs.length + 1));
      problems.push(fill({ ko: 'HTTPRoute {name}의 parentRef가 가리키는 Gateway {gns}/{g}{g:이/가} 없습니다 (있는 Gateway: {list}).', en: 'HTTPRoute {name}\'s parentRef names Gateway {gns}/{g}, which does not exist (Gateways here: {list}).' }, { name, gns: gwNs, g: ref.name ?? '', list: here.join(', ') || '-' }));
      continue;
    }
    if (!st) {
      const cls = gw.spec?.gatewayClassName ?? '';
      const gp = gatewayProblems(gw);
      if (classes.get(cls) === undefined) {
        problems.push(fill({ ko: 'Gateway {g}의 gatewayClassName "{c}"인 GatewayClass가 없어 어느 컨트롤러도 맡지 않습니다 (있는 클래스: {list}).', en: 'Gateway {g} asks for gatewayClassName "{c}", which no GatewayClass has, so no controller takes it (classes: {list}).' }, { g: ref.name ?? '', c: cls, list: [...classes.keys()].join(', ') || '-' }));
      } else if (gp.length) {
        problems.push(fill({ ko: 'Gateway {g}{g:이/가} 받아들여지지 않아 HTTPRoute {name}의 상태가 없습니다: {why}', en: 'Gateway {g} is not accepted, so HTTPRoute {name} has no status: {why}' }, { g: ref.name ?? '', name, why: gp.join('; ') }));
      } else {
        pending = true;
        problems.push(fill({ ko: 'HTTPRoute {name}에 Gateway {g}의 컨트롤러가 쓴 상태(status.parents)가 아직 없습니다.', en: 'HTTPRoute {name} has no status (status.parents) from Gateway {g}\'s controller yet.' }, { name, g: ref.name ?? '' }));
      }
      continue;
    }
    let failed = false;
    for (const type of ['Accepted', 'ResolvedRefs']) {
      const c = st.conditions?.find((x) => x.type === type);
      if (c?.status === 'True') continue;
      if (!c) { pending = true; }
      failed = true;
      problems.push(fill({ ko: 'HTTPRoute {name} → Gateway {g}: {t} {s} ({r}){m}', en: 'HTTPRoute {name} → Gateway {g}: {t} {s} ({r}){m}' },
        { name, g: ref.name ?? '', t: type, s: c?.status ?? '-', r: c?.reason ?? '?', m: c?.message ? ` — ${c.message}` : '' }));
    }
    // A route not accepted because of its Gateway (no listener it can attach to): say what the Gateway says.
    const gp = failed ? gatewayProblems(gw) : [];
    if (gp.length) problems.push(fill({ ko: 'Gateway {g}의 상태: {why}', en: 'Gateway {g} says: {why}' }, { g: ref.name ?? '', why: gp.join('; ') }));
  }
  return { problems, pending };
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const ns: string = spec.namespace ?? ctx.namespace;
  const c = clients(ctx.kc);
  const list = <T>(plural: string, what: string) => read(ctx.kc, () => c.custom.listNamespacedCustomObject({ group: G, version: 'v1', namespace: ns, plural }) as Promise<{ items?: T[] }>, what);
  const [routes, gws, classList] = await Promise.all([
    list<HTTPRouteObject>('httproutes', `list httproutes in ${ns}`),
    list<GatewayObject>('gateways', `list gateways in ${ns}`),
    read(ctx.kc, () => c.custom.listClusterCustomObject({ group: G, version: 'v1', plural: 'gatewayclasses' }) as Promise<{ items?: { metadata?: { name?: string } }[] }>, 'list gatewayclasses'),
  ]);
  const gateways = new Map((gws.items ?? []).map((g) => [`${g.metadata?.namespace ?? ns}/${g.metadata?.name}`, g]));
  // A parentRef to another namespace's Gateway: read it too.
  for (const r of routes.items ?? []) {
    for (const p of r.spec?.parentRefs ?? []) {
      if (p.namespace && p.namespace !== ns && p.name && !gateways.has(`${p.namespace}/${p.name}`)) {
        const g = await getOrNull(ctx.kc, () => c.custom.getNamespacedCustomObject({ group: G, version: 'v1', namespace: p.namespace!, plural: 'gateways', name: p.name! }) as Promise<GatewayObject>, `get gateway ${p.namespace}/${p.name}`);
        if (g) gateways.set(`${p.namespace}/${p.name}`, g);
      }
    }
  }
  const classes = new Map((classList.items ?? []).map((k) => [k.metadata?.name ?? '', true]));
  const bad: Text[] = [];
  const good: Text[] = [];
  let pending = false;
  let changedAt = Math.max(0, ...[...gateways.values()].map((g) => lastWrite(g.metadata as never)).filter((t) => !Number.isNaN(t)));
  for (const name of spec.routes as string[]) {
    const route = (routes.items ?? []).find((r) => r.metadata?.name === name);
    if (!route) {
      bad.push(fill({ ko: 'HTTPRoute {ns}/{name}이(가) 없습니다 (있는 HTTPRoute: {list}).', en: 'HTTPRoute {ns}/{name} does not exist (HTTPRoutes here: {list}).' }, { ns, name, list: (routes.items ?? []).map((r) => r.metadata?.name).join(', ') || '-' }));
      continue;
    }
    const t = lastWrite(route.metadata as never);
    if (!Number.isNaN(t)) changedAt = Math.max(changedAt, t);
    const r = routeProblems(route, gateways, classes);
    pending ||= r.pending;
    if (r.problems.length) bad.push(...r.problems);
    else good.push(fill({ ko: 'HTTPRoute {name}: Accepted, ResolvedRefs ✓', en: 'HTTPRoute {name}: Accepted, ResolvedRefs ✓' }, { name }));
  }
  const since = Date.now() - changedAt;
  const moving = bad.length > 0 && (since < CONTROLLER_GRACE_MS || (pending && since < PENDING_GRACE_MS));
  return {
    ok: bad.length === 0,
    // A controller writes the status within seconds; a parent with no status long after the last change stays so.
    settled: bad.length > 0 && !moving ? true : undefined,
    waitingFor: moving ? fill({ ko: 'Gateway 컨트롤러가 HTTPRoute 상태를 쓰기', en: 'the Gateway controller writing the HTTPRoutes\' status' }, {}) : undefined,
    reasons: [...good, ...bad],
    hints: bad.length ? [{ ko: 'kubectl -n ' + ns + ' describe httproute 로 Status.Parents의 Conditions를 보세요.', en: 'kubectl -n ' + ns + ' describe httproute shows the Conditions under Status.Parents.' }] : [],
    observed: { routes: (routes.items ?? []).map((r) => ({ name: r.metadata?.name, parents: (r.status?.parents ?? []).map((p) => ({ gateway: p.parentRef?.name, conditions: (p.conditions ?? []).map((x) => `${x.type}=${x.status}(${x.reason})`) })) })) },
  };
}

registerKind({
  kind: 'httproute-accepted',
  description: { ko: 'Gateway API HTTPRoute가 Gateway 컨트롤러에 받아들여짐 (status.parents의 Accepted, ResolvedRefs)', en: 'Gateway API HTTPRoutes accepted by their Gateway\'s controller (Accepted and ResolvedRefs in status.parents)' },
  properties: {
    namespace: { type: 'string', minLength: 1 },
    routes: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
  },
  required: ['routes'],
  needs: () => ['gatewayApi'],
  title: (s) => fill({ ko: 'HTTPRoute {r}: 컨트롤러가 받아들임', en: 'HTTPRoute {r}: accepted by the controller' }, { r: s.routes.join(', ') }),
  probe,
});
