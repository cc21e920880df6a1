// service: a Service of a given type selects ready endpoints; NodePort within 30000–32767; an Ingress routes a
// host/path to it; reachability through the API server's service proxy (only where pods really run).
import type { V1Service, V1Ingress } from '@kubernetes/client-node';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind } from './registry.js';
import type { Spec } from './registry.js';
import { clients, getOrNull, read, labelSelectorOf, labelSelectorMatches, toCheckError, k8s, eventsFor } from './k8s.js';
import { diagnosePod } from './pod-health.js';
import { lastWrite as lastWriteOf, namespaceMotion, podsMotionLive, recentMotion } from './settle.js';
import type { Motion } from './settle.js';

/** Does an Ingress rule path match a request path (Exact / Prefix by path elements / ImplementationSpecific as Prefix)? */
export function pathMatches(rulePath: string, pathType: string | undefined, req: string): boolean {
  if (pathType === 'Exact') return rulePath === req;
  if (rulePath === '/' || rulePath === '') return true;
  const r = rulePath.replace(/\/+$/, '');
  return req === r || req.startsWith(r + '/');
}

export function hostMatches(ruleHost: string | undefined, host: string | undefined): boolean {
  if (!ruleHost) return true;
  if (!host) return false;
  if (ruleHost.startsWith('*.')) return host.endsWith(ruleHost.slice(1)) && host.split('.').length === ruleHost.split('.').length;
  return ruleHost === host;
}

/** The backend an Ingress list sends host+path to (longest matching path wins), or undefined. */
export function routeOf(ings: V1Ingress[], host: string | undefined, path: string): { ingress: string; service?: string; port?: number | string; rulePath: string } | undefined {
  let best: { ingress: string; service?: string; port?: number | string; rulePath: string } | undefined;
  for (const ing of ings) {
    for (const rule of ing.spec?.rules ?? []) {
      if (!hostMatches(rule.host, host)) continue;
      for (const p of rule.http?.paths ?? []) {
        const rp = p.path ?? '/';
        if (!pathMatches(rp, p.pathType, path)) continue;
        if (!best || rp.length > best.rulePath.length) {
          best = { ingress: ing.metadata!.name!, service: p.backend?.service?.name, port: p.backend?.service?.port?.number ?? p.backend?.service?.port?.name, rulePath: rp };
        }
      }
    }
    const d = ing.spec?.defaultBackend?.service;
    if (!best && d) best = { ingress: ing.metadata!.name!, service: d.name, port: d.port?.number ?? d.port?.name, rulePath: '(defaultBackend)' };
  }
  return best;
}

/** The address a LoadBalancer implementation wrote into a Service's status (`kubectl get svc` EXTERNAL-IP), or undefined. */
export function externalAddress(svc: V1Service): string | undefined {
  const lb = svc.status?.loadBalancer?.ingress?.[0];
  return lb?.ip || lb?.hostname || undefined;
}

/** A LoadBalancer implementation applies a change within seconds (MetalLB: at once). */
export const LB_GRACE_MS = 8000;

type Selector = Parameters<typeof labelSelectorMatches>[0];
interface MetallbPool { metadata?: { name?: string; namespace?: string; creationTimestamp?: string | Date }; spec?: { addresses?: string[]; autoAssign?: boolean; serviceAllocation?: { namespaces?: string[]; namespaceSelectors?: Selector[]; serviceSelectors?: Selector[] } } }

/**
 * Pools that may serve a Service in namespace `ns` (labels `nsLabels`; the Service's `svcLabels`), as MetalLB decides:
 * pools in its own namespace only, automatic assignment on, and `serviceAllocation` — the namespace listed or matched
 * by a selector (none of either: every namespace), and every service selector given matching. Pure.
 */
export function poolsFor(pools: MetallbPool[], ns: string, metallbNs: string, nsLabels: Record<string, string> = { 'kubernetes.io/metadata.name': ns }, svcLabels: Record<string, string> = {}): { serving: MetallbPool[]; elsewhere: MetallbPool[]; others: MetallbPool[] } {
  const own = pools.filter((p) => p.metadata?.namespace === metallbNs);
  const allows = (p: MetallbPool) => {
    const a = p.spec?.serviceAllocation;
    const names = a?.namespaces ?? [], sels = a?.namespaceSelectors ?? [];
    const nsOk = (!names.length && !sels.length) || names.includes(ns) || sels.some((s) => labelSelectorMatches(s, nsLabels));
    return nsOk && (a?.serviceSelectors ?? []).every((s) => labelSelectorMatches(s, svcLabels));
  };
  const serving = own.filter((p) => p.spec?.autoAssign !== false && allows(p));
  return { serving, elsewhere: pools.filter((p) => p.metadata?.namespace !== metallbNs), others: own.filter((p) => !serving.includes(p)) };
}

/**
 * Why a LoadBalancer Service has no external address: the implementation's own event on the Service (MetalLB:
 * AllocationFailed with its reason), and with MetalLB, which pools exist and whom they serve.
 */
/** An address entry MetalLB can read: an IPv4 CIDR, an IPv4 range `a-b`, or (not judged here) anything IPv6. Pure. */
export function poolAddressValid(a: string): boolean {
  if (a.includes(':')) return true;
  const ip = (x: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(x) && x.split('.').every((o) => Number(o) <= 255);
  const t = a.trim();
  const cidr = /^([^/]+)\/(\d{1,2})$/.exec(t);
  if (cidr) return ip(cidr[1]!) && Number(cidr[2]) <= 32;
  const range = /^([^-\s]+)\s*-\s*([^-\s]+)$/.exec(t);
  return Boolean(range && ip(range[1]!) && ip(range[2]!));
}

async function pendingDiagnosis(ctx: CheckContext, svc: V1Service): Promise<{ reasons: Text[]; hints: Text[]; evidence: Evidence[]; recent: boolean }> {
  const name = svc.metadata!.name!;
  const ns = svc.metadata!.namespace!;
  const c = clients(ctx.kc);
  const reasons: Text[] = [fill({ ko: 'EXTERNAL-IP가 <pending>입니다: 아무것도 Service {name}에 외부 주소를 주지 않았습니다.', en: 'EXTERNAL-IP is <pending>: nothing has given Service {name} an external address.' }, { name })];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  let recent = Date.now() - lastWriteOf(svc.metadata) < LB_GRACE_MS;
  const poolWrite = (p: MetallbPool) => lastWriteOf(p.metadata as Parameters<typeof lastWriteOf>[0]);
  const events = await read(ctx.kc, () => c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.kind=Service,involvedObject.name=${name}` }), `list events in ${ns}`);
  const last = events.items.filter((e) => e.type === 'Warning').sort((a, b) => +new Date(b.lastTimestamp ?? b.eventTime ?? 0) - +new Date(a.lastTimestamp ?? a.eventTime ?? 0))[0];
  if (last) reasons.push(fill({ ko: '이벤트 {r}: {m}', en: 'Event {r}: {m}' }, { r: last.reason ?? '', m: (last.message ?? '').trim().slice(0, 200) }));
  if (svc.spec?.type !== 'LoadBalancer') return { reasons, hints, evidence, recent };
  if (!ctx.capabilities.metallb) {
    hints.push({ ko: '이 클러스터의 LoadBalancer 구현(EKS: AWS Load Balancer Controller)이 주소를 줄 때까지 1–3분 걸릴 수 있습니다. kubectl describe service 의 Events 를 보세요.', en: 'This cluster\'s LoadBalancer implementation (EKS: the AWS Load Balancer Controller) may take 1–3 minutes to give an address. See the Events in kubectl describe service.' });
    return { reasons, hints, evidence, recent: true };
  }
  const metallbNs = 'metallb-system';
  let pools: MetallbPool[] = [];
  try {
    pools = ((await c.custom.listClusterCustomObject({ group: 'metallb.io', version: 'v1beta1', plural: 'ipaddresspools' })) as { items?: MetallbPool[] }).items ?? [];
  } catch (e) { throw toCheckError(e, ctx.kc, 'list ipaddresspools'); }
  recent ||= pools.some((p) => Date.now() - poolWrite(p) < LB_GRACE_MS);
  const nsObj = await getOrNull(ctx.kc, () => c.core.readNamespace({ name: ns }), `get namespace ${ns}`);
  const { serving, elsewhere, others } = poolsFor(pools, ns, metallbNs, nsObj?.metadata?.labels, svc.metadata?.labels ?? {});
  const show = (p: MetallbPool) => `${p.metadata?.namespace}/${p.metadata?.name} ${(p.spec?.addresses ?? []).join(',')}${p.spec?.serviceAllocation?.namespaces?.length ? ` → ${p.spec.serviceAllocation.namespaces.join(',')}` : ''}`;
  if (pools.length) evidence.push({ kind: 'note', title: { ko: 'MetalLB 주소 풀 (IPAddressPool)', en: 'MetalLB IPAddressPools' }, lines: pools.slice(0, 8).map(show) });
  // One unreadable pool in MetalLB's namespace makes it refuse every configuration change (on kind its webhook refuses
  // the pool at apply time; on local there is no webhook).
  let unreadable = false;
  for (const p of pools.filter((x) => x.metadata?.namespace === metallbNs)) {
    const bad = (p.spec?.addresses ?? []).filter((a) => !poolAddressValid(a));
    if (bad.length) {
      unreadable = true;
      reasons.push(fill({ ko: 'IPAddressPool {ns}/{name}의 주소 {a}{a:을/를} MetalLB 가 읽지 못합니다: 이 풀이 있는 동안 MetalLB 는 모든 풀 변경을 거절합니다.', en: 'MetalLB cannot read address {a} of IPAddressPool {ns}/{name}: while that pool exists, MetalLB refuses every pool change.' }, { ns: metallbNs, name: p.metadata?.name ?? '', a: JSON.stringify(bad[0]) }));
      hints.push(fill({ ko: '주소는 198.18.200.7/32 같은 CIDR 이나 198.18.200.7-198.18.200.9 같은 범위로 쓰세요. kubectl -n {ns} edit ipaddresspool {name}', en: 'Write addresses as a CIDR such as 198.18.200.7/32 or a range such as 198.18.200.7-198.18.200.9. kubectl -n {ns} edit ipaddresspool {name}' }, { ns: metallbNs, name: p.metadata?.name ?? '' }));
    }
  }
  if (serving.length) {
    if (!unreadable) {
      reasons.push(last
        ? fill({ ko: '이 네임스페이스에 줄 수 있는 풀({list})이 있지만 주소가 남지 않았거나 풀 설정이 잘못되었습니다 (위 이벤트).', en: 'Pools that may serve this namespace ({list}) exist, but they have no free address or a broken setting (see the event above).' }, { list: serving.map((p) => p.metadata?.name).join(', ') })
        : fill({ ko: '이 네임스페이스에 줄 수 있는 풀({list})이 있습니다: MetalLB 가 방금 받았다면 곧 주소를 줍니다.', en: 'Pools that may serve this namespace ({list}) exist: if MetalLB only just got them, it gives an address shortly.' }, { list: serving.map((p) => p.metadata?.name).join(', ') }));
    }
  } else if (elsewhere.length) {
    reasons.push(fill({ ko: 'IPAddressPool {list}{list:이/가} {ns} 네임스페이스가 아닌 곳에 있습니다: MetalLB 는 {ns} 의 풀만 읽습니다.', en: 'IPAddressPool {list} is outside namespace {ns}: MetalLB reads pools from {ns} only.' }, { list: elsewhere.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).join(', '), ns: metallbNs }));
    hints.push(fill({ ko: '풀(과 L2Advertisement)을 metadata.namespace: {ns} 로 다시 만드세요.', en: 'Create the pool (and the L2Advertisement) again with metadata.namespace: {ns}.' }, { ns: metallbNs }));
  } else {
    reasons.push(others.length
      ? fill({ ko: 'MetalLB 에 IPAddressPool 은 있지만 네임스페이스 {ns} 에 주는 풀이 없습니다 (serviceAllocation.namespaces).', en: 'MetalLB has IPAddressPools, but none serves namespace {ns} (serviceAllocation.namespaces).' }, { ns })
      : { ko: 'MetalLB 에 IPAddressPool 이 하나도 없습니다: 줄 주소가 없습니다.', en: 'MetalLB has no IPAddressPool at all: it has no address to give.' });
    hints.push({ ko: '단계 설명의 IPAddressPool 과 L2Advertisement 를 적용하세요 (metallb-system 네임스페이스).', en: 'Apply the IPAddressPool and L2Advertisement of the step text (namespace metallb-system).' });
  }
  return { reasons, hints, evidence, recent };
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const ns: string = spec.namespace ?? ctx.namespace;
  const name: string = spec.service;
  const c = clients(ctx.kc);
  const svc: V1Service | null = await getOrNull(ctx.kc, () => c.core.readNamespacedService({ name, namespace: ns }), `get service ${ns}/${name}`);
  if (!svc) {
    const l = await read(ctx.kc, () => c.core.listNamespacedService({ namespace: ns }), `list services in ${ns}`);
    const reasons = [fill({ ko: 'Service {ns}/{name}{name:이/가} 없습니다 (있는 Service: {list}).', en: 'Service {ns}/{name} does not exist (Services here: {list}).' }, { ns, name, list: l.items.map((s) => s.metadata?.name).join(', ') || '-' })];
    // A NodePort Service that never came to be: most often the API server refused a nodePort outside its range.
    if (spec.nodePort !== undefined) {
      reasons.push({ ko: 'kubectl 이 "provided port is not in the valid range" 로 거절했다면: 쓸 수 있는 nodePort 범위는 30000–32767 입니다. nodePort 를 빼면(쿠버네티스가 고름) 되고, 고른다면 이 범위 안에서 고르세요.',
        en: 'If kubectl refused it with "provided port is not in the valid range": the valid nodePort range is 30000–32767. Leave nodePort out (Kubernetes picks one), or pick one in that range.' });
    }
    return { ok: false, settled: true, reasons };
  }
  const type = svc.spec?.type ?? 'ClusterIP';
  const ports = svc.spec?.ports ?? [];
  const bad: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  const reasons: Text[] = [fill({ ko: 'Service {ns}/{name}: {type}, 포트 {ports}', en: 'Service {ns}/{name}: {type}, ports {ports}' },
    { ns, name, type, ports: ports.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}→${p.targetPort ?? p.port}`).join(', ') || '-' })];
  if (spec.type && type !== spec.type) {
    bad.push(fill({ ko: '타입: 기대 {want}, 실제 {got} (spec.type)', en: 'type: expected {want}, found {got} (spec.type)' }, { want: spec.type, got: type }));
  }
  const port = spec.port !== undefined ? ports.find((p) => p.port === spec.port || p.name === String(spec.port)) : ports[0];
  if (spec.port !== undefined && !port) bad.push(fill({ ko: '포트 {p}가 없습니다.', en: 'There is no port {p}.' }, { p: spec.port }));
  if (spec.nodePort !== undefined) {
    const np = port?.nodePort;
    if (!np) bad.push({ ko: 'nodePort가 없습니다 (타입이 NodePort/LoadBalancer여야 합니다).', en: 'There is no nodePort (the type must be NodePort/LoadBalancer).' });
    else if (np < 30000 || np > 32767) bad.push(fill({ ko: 'nodePort {p}가 30000–32767 범위 밖입니다.', en: 'nodePort {p} is outside 30000–32767.' }, { p: np }));
    else if (typeof spec.nodePort === 'number' && np !== spec.nodePort) bad.push(fill({ ko: 'nodePort: 기대 {want}, 실제 {got}', en: 'nodePort: expected {want}, found {got}' }, { want: spec.nodePort, got: np }));
  }
  // Ready endpoints (EndpointSlices).
  const minEp = spec.minEndpoints ?? (type === 'ExternalName' ? 0 : 1);
  let ready = 0;
  let motion: Motion = recentMotion('Service', svc.metadata);
  if (minEp > 0) {
    const slices = await read(ctx.kc, () => c.discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: `kubernetes.io/service-name=${name}` }), `list endpointslices in ${ns}`);
    for (const s of slices.items) for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false) ready++;
    if (ready < minEp) {
      bad.push(fill({ ko: '준비된 엔드포인트가 {n}개입니다 (최소 {min}개 필요).', en: '{n} ready endpoint(s) (at least {min} needed).' }, { n: ready, min: minEp }));
      const sel = svc.spec?.selector;
      if (!sel || !Object.keys(sel).length) {
        bad.push({ ko: 'Service에 selector가 없습니다: 파드를 고르지 않습니다.', en: 'The Service has no selector: it selects no pods.' });
      } else {
        const pods = await read(ctx.kc, () => c.core.listNamespacedPod({ namespace: ns, labelSelector: labelSelectorOf(sel) }), `list pods in ${ns}`);
        if (!pods.items.length) {
          motion ??= await namespaceMotion(ctx.kc, ns);
          const all = await read(ctx.kc, () => c.core.listNamespacedPod({ namespace: ns }), `list pods in ${ns}`);
          const labels = [...new Set(all.items.map((p) => Object.entries(p.metadata?.labels ?? {}).filter(([k]) => k !== 'pod-template-hash').map(([k, v]) => `${k}=${v}`).join(',')))].slice(0, 5);
          bad.push(fill({ ko: 'selector {sel}에 맞는 파드가 없습니다 (이 네임스페이스 파드의 레이블: {labels}).', en: 'The selector {sel} matches no pods (labels of pods here: {labels}).' }, { sel: labelSelectorOf(sel) ?? '', labels: labels.join(' | ') || '-' }));
          hints.push({ ko: 'Service의 spec.selector를 Deployment의 spec.template.metadata.labels와 똑같이 맞추세요.', en: 'Make the Service\'s spec.selector equal to the Deployment\'s spec.template.metadata.labels.' });
        } else {
          const diagnoses = pods.items.map((p) => diagnosePod(p));
          for (const d of diagnoses.slice(0, 3)) if (!d.healthy) { bad.push(...d.reasons); hints.push(...d.hints); }
          // The first unhealthy pod's events say what the status does not (a failed mount, a network that refused it).
          const sick = pods.items.find((_, i) => !diagnoses[i]!.healthy);
          const ev = sick ? await eventsFor(ctx.kc, ns, 'Pod', sick.metadata!.name!) : null;
          if (ev) evidence.push(ev);
          // Pods on their way, or ready pods whose endpoints the controller has not published yet.
          motion ??= await podsMotionLive(ctx.kc, pods.items);
          if (!motion && diagnoses.every((d) => d.healthy)) motion = fill({ ko: 'Service {name}의 엔드포인트', en: 'the endpoints of Service {name}' }, { name });
          const tp = port?.targetPort;
          if (typeof tp === 'string' && !pods.items.some((p) => p.spec?.containers?.some((ct) => ct.ports?.some((cp) => cp.name === tp)))) {
            bad.push(fill({ ko: 'targetPort "{tp}"라는 이름의 컨테이너 포트가 파드에 없습니다.', en: 'No container port named "{tp}" in the pods (targetPort).' }, { tp }));
          }
        }
      }
    }
  }
  if (spec.external) {
    const ext = externalAddress(svc);
    if (ext) reasons.push(fill({ ko: 'EXTERNAL-IP {a} ✓', en: 'EXTERNAL-IP {a} ✓' }, { a: ext }));
    else {
      const d = await pendingDiagnosis(ctx, svc);
      bad.push(...d.reasons);
      hints.push(...d.hints);
      evidence.push(...d.evidence);
      // The implementation assigns within a second or two of a change (a new Service, a pool just applied).
      if (d.recent) motion ??= fill({ ko: 'Service {name}의 외부 주소 (LoadBalancer 구현이 줌)', en: 'the external address of Service {name} (given by the LoadBalancer implementation)' }, { name });
    }
  }
  if (spec.ingress) {
    const host: string | undefined = spec.ingress.host;
    const path: string = spec.ingress.path ?? '/';
    const ings = await read(ctx.kc, () => c.networking.listNamespacedIngress({ namespace: ns }), `list ingresses in ${ns}`);
    const pool = spec.ingress.name ? ings.items.filter((i) => i.metadata?.name === spec.ingress.name) : ings.items;
    const r = routeOf(pool, host, path);
    if (!r) {
      const hosts = [...new Set(pool.flatMap((i) => (i.spec?.rules ?? []).map((rl) => rl.host ?? '*')))];
      bad.push(fill({ ko: 'Ingress 중 {host}{path} 를 받는 규칙이 없습니다 (호스트: {hosts}).', en: 'No Ingress rule takes {host}{path} (hosts: {hosts}).' }, { host: host ?? '*', path, hosts: hosts.join(', ') || '-' }));
    } else if (r.service !== name) {
      bad.push(fill({ ko: 'Ingress {ing}는 {host}{path} 를 Service {got}{got:으로/로} 보냅니다 (기대: {name}, 규칙 경로 {rp}).', en: 'Ingress {ing} sends {host}{path} to Service {got}, not {name} (rule path {rp}).' }, { ing: r.ingress, host: host ?? '*', path, got: r.service ?? '-', name, rp: r.rulePath }));
    } else if (r.port !== undefined && !ports.some((p) => p.port === r.port || p.name === r.port)) {
      bad.push(fill({ ko: 'Ingress {ing}의 백엔드 포트 {p}가 Service {name}에 없습니다.', en: 'Ingress {ing} uses backend port {p}, which Service {name} does not have.' }, { ing: r.ingress, p: r.port, name }));
    } else {
      reasons.push(fill({ ko: 'Ingress {ing}: {host}{path} → {name}:{p} ✓', en: 'Ingress {ing}: {host}{path} → {name}:{p} ✓' }, { ing: r.ingress, host: host ?? '*', path, name, p: r.port ?? '' }));
    }
  }
  if (spec.reach && !bad.length) {
    if (!ctx.capabilities.realPods) {
      return { ok: false, reasons: [], skip: { ko: '이 클러스터에는 실제로 실행되는 파드가 없어 접속(reach)을 확인할 수 없습니다.', en: 'This cluster has no really running pods, so reachability cannot be checked.' } };
    }
    const p = spec.reach.port ?? port?.port ?? port?.name;
    const path = String(spec.reach.path ?? '/').replace(/^\//, '');
    const answerMotion = fill({ ko: 'Service {name}의 응답', en: 'an answer from Service {name}' }, { name });
    try {
      const body = await c.core.connectGetNamespacedServiceProxyWithPath({ name: `${name}:${p}`, namespace: ns, path });
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      if (spec.reach.contains && !text.includes(spec.reach.contains)) {
        motion ??= answerMotion; // the app may still be rolling out: its old answer is not settled
        bad.push(fill({ ko: '응답에 "{s}"가 없습니다.', en: 'The response does not contain "{s}".' }, { s: spec.reach.contains }));
      } else reasons.push(fill({ ko: 'API 서버 프록시로 /{path} 접속 ✓', en: 'Reached /{path} through the API server proxy ✓' }, { path }));
      evidence.push({ kind: 'note', title: { ko: '응답 (앞부분)', en: 'Response (start)' }, lines: text.split('\n').slice(0, 5) });
    } catch (e) {
      if (e instanceof k8s().ApiException && e.code !== 403 && e.code !== 401) {
        // An answer that fails now may come once the app listens: we cannot tell, so it is moving.
        motion ??= answerMotion;
        bad.push(fill({ ko: 'API 서버 프록시로 접속하면 HTTP {code}: {msg}', en: 'Through the API server proxy it answers HTTP {code}: {msg}' }, { code: e.code, msg: String(e.body ?? '').slice(0, 200) }));
      } else throw toCheckError(e, ctx.kc, `proxy to ${ns}/${name}`);
    }
  }
  const waitingFor = bad.length ? motion ?? undefined : undefined;
  return { ok: bad.length === 0, settled: !waitingFor, waitingFor, reasons: [...reasons, ...bad], hints, evidence: bad.length ? evidence : [], observed: { type, ports, readyEndpoints: ready } };
}

registerKind({
  kind: 'service',
  description: { ko: 'Service 타입, 준비된 엔드포인트, NodePort 범위, Ingress 라우팅, 접속', en: 'Service type, ready endpoints, NodePort range, Ingress routing, reachability' },
  properties: {
    service: { type: 'string', minLength: 1 },
    namespace: { type: 'string', minLength: 1 },
    type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
    port: { type: ['integer', 'string'] },
    nodePort: { anyOf: [{ type: 'integer', minimum: 30000, maximum: 32767 }, { const: true }] },
    minEndpoints: { type: 'integer', minimum: 0 },
    ingress: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, host: { type: 'string' }, path: { type: 'string', pattern: '^/' } } },
    reach: { type: 'object', additionalProperties: false, properties: { path: { type: 'string' }, port: { type: ['integer', 'string'] }, contains: { type: 'string' } } },
    external: { type: 'boolean', description: 'the Service has an external address (status.loadBalancer: EXTERNAL-IP), with the reason when it is <pending>' },
  },
  required: ['service'],
  needs: (s) => (s.external ? ['loadBalancer'] : []),
  title: (s) => fill({ ko: 'Service {s}', en: 'Service {s}' }, { s: s.service }),
  probe,
});
