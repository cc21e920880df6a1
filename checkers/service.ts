// service: a Service of a given type selects ready endpoints; NodePort within 30000–32767; an Ingress routes a
// host/path to it; reachability through the API server's service proxy (only where pods really run).
import type { V1Service, V1Ingress } from '@kubernetes/client-node';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind } from './registry.js';
import type { Spec } from './registry.js';
import { clients, getOrNull, read, labelSelectorOf, toCheckError, k8s } from './k8s.js';
import { diagnosePod } from './pod-health.js';
import { namespaceMotion, podsMotionLive, recentMotion } from './settle.js';
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

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const ns: string = spec.namespace ?? ctx.namespace;
  const name: string = spec.service;
  const c = clients(ctx.kc);
  const svc: V1Service | null = await getOrNull(ctx.kc, () => c.core.readNamespacedService({ name, namespace: ns }), `get service ${ns}/${name}`);
  if (!svc) {
    const l = await read(ctx.kc, () => c.core.listNamespacedService({ namespace: ns }), `list services in ${ns}`);
    return { ok: false, settled: true, reasons: [fill({ ko: 'Service {ns}/{name}이(가) 없습니다 (있는 Service: {list}).', en: 'Service {ns}/{name} does not exist (Services here: {list}).' }, { ns, name, list: l.items.map((s) => s.metadata?.name).join(', ') || '-' })] };
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
      bad.push(fill({ ko: 'Ingress {ing}는 {host}{path} 를 Service {got}(으)로 보냅니다 (기대: {name}, 규칙 경로 {rp}).', en: 'Ingress {ing} sends {host}{path} to Service {got}, not {name} (rule path {rp}).' }, { ing: r.ingress, host: host ?? '*', path, got: r.service ?? '-', name, rp: r.rulePath }));
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
  },
  required: ['service'],
  title: (s) => fill({ ko: 'Service {s}', en: 'Service {s}' }, { s: s.service }),
  probe,
});
