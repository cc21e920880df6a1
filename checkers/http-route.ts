// http-route: klab sends real HTTP(S) requests — with a Host header, a path, and for HTTPS the host as SNI — to where a
// trainee would send them, and reports which backend answered each one. Two targets:
//  - `ingress`: the address the Ingress controller wrote into the Ingress's status (`kubectl get ingress` ADDRESS):
//    127.0.0.1 on `local` and kind (Traefik on the host's ports 80/443), the load balancer's name on EKS;
//  - `nodePort`: a node's address and the Service's nodePort (what `curl <node-ip>:<nodePort>` reaches);
//  - `loadBalancer`: a LoadBalancer Service's external address and port (what `curl <EXTERNAL-IP>` reaches).
//  - `gateway`: the address a Gateway API Gateway's controller wrote into its status (`kubectl get gateway` ADDRESS),
//    ports 80/443 (decision 0032).
// A request may be a series (decision 0031): `steady` (a normal rate, no 429 allowed) or `burst` (at once, some 429s
// required) — a rate limit's check; on a failure the Ingress's Traefik middleware annotation is read and explained.
// A backend names itself in the first word of its answer (the lab's echo app answers `<name> <token>`), so a wrong
// backend, the controller's own 404 (no rule matched), a 502/503 (no ready backend) and a TLS certificate for the
// wrong host are told apart in the diagnosis. Pure parts (judge, certificate comparison) are unit-tested; `send` is
// the network part (test/unit/http-route.test.ts drives it against tiny local servers for timeouts and resets).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { fill, type Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind, type Spec } from './registry.js';
import { clients, getOrNull, read } from './k8s.js';
import { lastWrite, namespaceMotion, type Motion } from './settle.js';
import { CheckError } from './types.js';
import { externalAddress } from './service.js';

/** Ingress controllers apply a change within seconds (Traefik throttles provider updates to 2 s). */
export const CONTROLLER_GRACE_MS = 6000;
export const REQUEST_TIMEOUT_MS = 3000;
/** No answer at all this soon after the target changed is still moving (kube-proxy on a loaded node can lag). */
export const NO_ANSWER_GRACE_MS = 15_000;

/**
 * One request to send. `steady`: sent `count` times `everyMs` apart (a normal rate: a rate limit must let every one
 * through); `burst`: sent `count` times at once, at least `limited` of them must get 429 (the rest answered by `expect`).
 */
export interface RouteRequest {
  host?: string; path: string; https?: boolean; expect: string;
  steady?: { count: number; everyMs: number };
  burst?: { count: number; limited: number };
}

/** Traefik's annotation that attaches Middlewares to an Ingress's routers (decision 0031). */
export const MIDDLEWARES_ANNOTATION = 'traefik.ingress.kubernetes.io/router.middlewares';
/** A Traefik Middleware as the check reads it (traefik.io/v1alpha1). */
export interface MiddlewareInfo { name: string; rateLimit?: { average?: number; burst?: number; period?: string | number }; /** last write (ms) */ changed?: number }

/** What came back for one request (or why nothing did). */
export interface Answer {
  status?: number;
  body?: string;
  /** The certificate the server presented (HTTPS). */
  cert?: { fingerprint256: string; subject: string; altNames: string };
  /** No HTTP answer: timeout, refused, reset … */
  error?: string;
}

export interface Verdict {
  ok: boolean; answeredBy?: string; reason: Text;
  /** an answer that a controller may still change (5xx, 404 just after a change) */ transient: boolean;
  /** a rate limit's verdict: 429 at the steady rate, or too few 429s in a burst (not a routing failure) */ limit?: boolean;
}

/** The backend an answer names: the first word of its body (the echo app answers `<name> <token>`). */
export function backendOf(body: string | undefined): string | undefined {
  const w = (body ?? '').trim().split(/\s+/)[0];
  return w || undefined;
}

/** Traefik's (and most controllers') answer when no rule matched. */
const NOT_FOUND_BODY = /^404 page not found\s*$/;

const where = (r: RouteRequest) => `${r.https ? 'https' : 'http'}://${r.host ?? '(address)'}${r.path}`;

/** Judge one answer against what the request expects. Pure. */
export function judge(req: RouteRequest, a: Answer): Verdict {
  const w = where(req);
  if (a.error !== undefined) {
    return { ok: false, transient: true, reason: fill({ ko: '{w}: 응답이 없습니다 ({err}).', en: '{w}: no answer ({err}).' }, { w, err: a.error }) };
  }
  const by = a.status === 200 ? backendOf(a.body) : undefined;
  if (by === req.expect) {
    return { ok: true, answeredBy: by, transient: false, reason: fill({ ko: '{w} → {b} ✓', en: '{w} → {b} ✓' }, { w, b: by }) };
  }
  if (a.status === 404 && NOT_FOUND_BODY.test(a.body ?? '')) {
    return { ok: false, transient: true, reason: fill({ ko: '{w}: Ingress 컨트롤러가 404로 답했습니다 — 이 호스트/경로에 맞는 규칙이 없습니다 (기대: {e}).', en: '{w}: the Ingress controller answered 404 — no rule matches this host/path (expected {e}).' }, { w, e: req.expect }) };
  }
  if (a.status === 429) {
    return { ok: false, transient: false, reason: fill({ ko: '{w}: HTTP 429 (Too Many Requests) — 속도 제한이 이 요청을 거절했습니다 (기대: {e}).', en: '{w}: HTTP 429 (Too Many Requests) — a rate limit refused this request (expected {e}).' }, { w, e: req.expect }) };
  }
  if (a.status === 502 || a.status === 503 || a.status === 504) {
    return { ok: false, transient: true, reason: fill({ ko: '{w}: HTTP {s} — 규칙은 맞았지만 뒤의 Service에 준비된 파드가 없거나 포트가 틀렸습니다 (기대: {e}).', en: '{w}: HTTP {s} — a rule matched but the Service behind it has no ready pod or a wrong port (expected {e}).' }, { w, s: a.status, e: req.expect }) };
  }
  if (a.status === 200 && by) {
    return { ok: false, answeredBy: by, transient: false, reason: fill({ ko: '{w}: {b}{b:이/가} 답했습니다 (기대: {e}).', en: '{w}: {b} answered (expected {e}).' }, { w, b: by, e: req.expect }) };
  }
  return { ok: false, transient: false, reason: fill({ ko: '{w}: HTTP {s} "{body}" (기대: {e}의 답).', en: '{w}: HTTP {s} "{body}" (expected an answer from {e}).' }, { w, s: a.status ?? '?', body: (a.body ?? '').trim().slice(0, 80), e: req.expect }) };
}

const limitText = (m: MiddlewareInfo | undefined) => (m?.rateLimit
  ? `average ${m.rateLimit.average ?? '∞'} / ${m.rateLimit.period ?? '1s'}, burst ${m.rateLimit.burst ?? 1}` : '');

/**
 * Judge the answers to a `steady` or `burst` request (several answers to the same request). Pure. A 429 at the steady
 * rate means the limit is too low; a burst without any 429 means no limit applies (or one far above the burst).
 */
export function judgeSeries(req: RouteRequest, answers: Answer[]): Verdict {
  const w = where(req);
  const n = answers.length;
  const by = answers.map((a) => judge(req, a));
  const limited = answers.filter((a) => a.status === 429).length;
  const other = by.find((v, i) => !v.ok && answers[i]!.status !== 429);
  if (req.steady) {
    const first = answers.findIndex((a) => a.status === 429);
    if (first >= 0) {
      return { ok: false, transient: false, limit: true, reason: fill({
        ko: '{w}: 보통 속도({n}번, {ms}ms 간격)에서 {k}번째 요청부터 HTTP 429 (Too Many Requests)가 {c}번 왔습니다 — 제한이 너무 낮습니다. Middleware의 rateLimit average(period마다 허용하는 수, period 기본값 1초)와 burst를 올리세요.',
        en: '{w}: at the normal rate ({n} requests {ms} ms apart) request {k} and after got HTTP 429 (Too Many Requests), {c} in all — the limit is too low. Raise the Middleware\'s rateLimit average (requests per period) and burst.' },
      { w, n, ms: req.steady.everyMs, k: first + 1, c: limited }) };
    }
    if (other) return other;
    return { ok: true, answeredBy: req.expect, transient: false, reason: fill({ ko: '{w}: 보통 속도({n}번, {ms}ms 간격) → 모두 {b}, 429 없음 ✓', en: '{w}: normal rate ({n} requests {ms} ms apart) → all {b}, no 429 ✓' }, { w, n, ms: req.steady.everyMs, b: req.expect }) };
  }
  const want = req.burst?.limited ?? 1;
  if (other) return other;
  const ok = n - limited;
  if (limited >= want) {
    return { ok: true, answeredBy: req.expect, transient: false, reason: fill({ ko: '{w}: 한꺼번에 {n}번 → {b} {ok}번, 429 {l}번 ✓', en: '{w}: {n} at once → {ok} from {b}, {l} × 429 ✓' }, { w, n, ok, l: limited, b: req.expect }) };
  }
  return { ok: false, transient: false, limit: true, reason: limited === 0
    ? fill({ ko: '{w}: 한꺼번에 보낸 {n}번 요청이 모두 {b}의 답을 받았고 429는 한 번도 없었습니다 — 이 라우트에는 속도 제한이 걸려 있지 않습니다.', en: '{w}: all {n} requests sent at once were answered by {b}, not one got 429 — no rate limit applies to this route.' }, { w, n, b: req.expect })
    : fill({ ko: '{w}: 한꺼번에 보낸 {n}번 중 429는 {l}번뿐입니다 (기대: {want}번 이상) — 제한(burst)이 이 묶음보다 큽니다.', en: '{w}: only {l} of {n} requests sent at once got 429 (expected at least {want}) — the limit (burst) is larger than this burst.' }, { w, n, l: limited, want }) };
}

/**
 * What is wrong with the way an Ingress attaches Traefik Middlewares, from its annotations and the Middlewares in its
 * namespace (Traefik's reference is `<namespace>-<name>@kubernetescrd`; a router naming a Middleware that does not
 * exist is dropped, so its host answers 404). `wantRateLimit`: the route must be rate limited. Pure; [] when fine.
 */
export function middlewareProblems(annotations: Record<string, string> | undefined, ns: string, ingress: string, mws: MiddlewareInfo[], wantRateLimit: boolean): Text[] {
  const out: Text[] = [];
  const example = `${ns}-${mws.find((m) => m.rateLimit)?.name ?? mws[0]?.name ?? '<name>'}@kubernetescrd`;
  const format = fill({ ko: '형식은 {key}: <네임스페이스>-<Middleware 이름>@kubernetescrd (여기서는 {ex})입니다.', en: 'The format is {key}: <namespace>-<Middleware name>@kubernetescrd (here {ex}).' }, { key: MIDDLEWARES_ANNOTATION, ex: example });
  const value = annotations?.[MIDDLEWARES_ANNOTATION];
  if (value === undefined) {
    const near = Object.keys(annotations ?? {}).filter((k) => /middleware/i.test(k));
    out.push(near.length
      ? fill({ ko: 'Ingress {i}의 어노테이션 {k}{k:은/는} Traefik이 읽는 키가 아닙니다 (키: {key}).', en: 'Ingress {i}\'s annotation {k} is not the key Traefik reads ({key}).' }, { i: ingress, k: near.join(', '), key: MIDDLEWARES_ANNOTATION })
      : fill({ ko: 'Ingress {i}에 어노테이션 {key}{key:이/가} 없어 Middleware가 붙어 있지 않습니다.', en: 'Ingress {i} has no annotation {key}, so no Middleware is attached.' }, { i: ingress, key: MIDDLEWARES_ANNOTATION }));
    if (wantRateLimit || near.length) out.push(format);
    if (!mws.length) out.push(fill({ ko: '네임스페이스 {ns}에 Middleware가 없습니다 (kubectl -n {ns} get middlewares.traefik.io).', en: 'There is no Middleware in namespace {ns} (kubectl -n {ns} get middlewares.traefik.io).' }, { ns }));
    return out;
  }
  let limitAttached = false;
  for (const ref of value.split(',').map((x) => x.trim()).filter(Boolean)) {
    const [name, provider] = ref.split('@');
    const own = mws.find((m) => `${ns}-${m.name}` === name);
    if (provider === 'kubernetescrd' && own) { if (own.rateLimit) limitAttached = true; continue; }
    if (provider === 'kubernetescrd' && name?.startsWith(`${ns}-`)) {
      out.push(fill({ ko: '어노테이션의 {ref}{ref:은/는} 없는 Middleware를 가리킵니다 (네임스페이스 {ns}의 Middleware: {list}). Traefik은 없는 Middleware를 가리키는 라우트를 버리므로 이 호스트는 404로 답합니다.', en: 'The annotation\'s {ref} names a Middleware that does not exist (Middlewares in {ns}: {list}). Traefik drops a route whose Middleware is missing, so this host answers 404.' }, { ref, ns, list: mws.map((m) => m.name).join(', ') || '-' }));
    } else if (provider === 'kubernetescrd') {
      const bare = mws.find((m) => m.name === name);
      out.push(bare
        ? fill({ ko: '어노테이션의 {ref}에 네임스페이스 접두어가 없습니다: Traefik의 CRD Middleware 이름은 <네임스페이스>-<이름>이라 {ns}-{n}@kubernetescrd 입니다. Traefik은 없는 Middleware를 가리키는 라우트를 버리므로 이 호스트는 404로 답합니다.', en: 'The annotation\'s {ref} lacks the namespace prefix: Traefik names a CRD Middleware <namespace>-<name>, so it is {ns}-{n}@kubernetescrd. Traefik drops a route whose Middleware is missing, so this host answers 404.' }, { ref, ns, n: bare.name })
        : fill({ ko: '어노테이션의 {ref}{ref:은/는} 없는 Middleware를 가리킵니다. Traefik은 없는 Middleware를 가리키는 라우트를 버리므로 이 호스트는 404로 답합니다.', en: 'The annotation\'s {ref} names a Middleware that does not exist. Traefik drops a route whose Middleware is missing, so this host answers 404.' }, { ref }));
    } else {
      out.push(fill({ ko: '어노테이션의 {ref}에는 @kubernetescrd가 없습니다: 그러면 Traefik은 Ingress 프로바이더(@kubernetes)의 Middleware를 찾는데, 거기에는 없습니다. 없는 Middleware를 가리키는 라우트는 버려져 이 호스트는 404로 답합니다.', en: 'The annotation\'s {ref} lacks @kubernetescrd: Traefik then looks for it among the Ingress provider\'s Middlewares (@kubernetes), where there are none. A route whose Middleware is missing is dropped, so this host answers 404.' }, { ref }));
    }
    out.push(format);
  }
  if (!out.length && wantRateLimit && !limitAttached) {
    out.push(fill({ ko: 'Ingress {i}에 붙은 Middleware ({v}) 중 rateLimit이 있는 것이 없습니다.', en: 'None of the Middlewares attached to Ingress {i} ({v}) has a rateLimit.' }, { i: ingress, v: value }));
  }
  return [...new Map(out.map((t) => [t.en, t])).values()];
}

/** The limits of the rate-limiting Middlewares an Ingress attaches, for a diagnosis ("average 1 / 1s, burst 1"). */
export function attachedLimits(annotations: Record<string, string> | undefined, ns: string, mws: MiddlewareInfo[]): string[] {
  const refs = (annotations?.[MIDDLEWARES_ANNOTATION] ?? '').split(',').map((x) => x.trim().split('@')[0]);
  return mws.filter((m) => m.rateLimit && refs.includes(`${ns}-${m.name}`)).map((m) => `Middleware ${m.name}: ${limitText(m)}`);
}

/** Does the presented certificate equal the one in the Secret? Pure (PEM in, fingerprints compared). */
export function sameCert(presented: Answer['cert'], secretPem: string | undefined): { same: boolean; expected?: string } {
  if (!presented || !secretPem) return { same: false };
  try {
    const fp = new X509Certificate(secretPem).fingerprint256;
    return { same: fp === presented.fingerprint256, expected: fp };
  } catch { return { same: false }; }
}

/** Send one request to `address:port` with the Host header (and SNI) of `req`. Never throws, never hangs. */
export function send(address: string, port: number, req: RouteRequest, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Answer> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: Answer) => { if (!done) { done = true; clearTimeout(timer); resolve(a); } };
    const headers: Record<string, string> = { 'User-Agent': 'klab-http-route', Connection: 'close' };
    if (req.host) headers.Host = req.host;
    const opts = {
      host: address, port, path: req.path, method: 'GET', headers, agent: false as const,
      ...(req.https ? { servername: req.host && !/^[\d.]+$/.test(req.host) ? req.host : undefined, rejectUnauthorized: false } : {}),
    };
    const onRes = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => { if (size < 4096) { chunks.push(c); size += c.length; } });
      res.on('end', () => {
        const a: Answer = { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, 4096) };
        if (req.https) {
          const pc = (res.socket as TLSSocket).getPeerCertificate?.();
          if (pc && pc.fingerprint256) a.cert = { fingerprint256: pc.fingerprint256, subject: pc.subject?.CN ? String(pc.subject.CN) : '', altNames: pc.subjectaltname ?? '' };
        }
        finish(a);
      });
      res.on('error', (e) => finish({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    };
    const r = req.https ? httpsRequest(opts, onRes) : httpRequest(opts, onRes);
    const timer = setTimeout(() => { finish({ error: `timeout ${timeoutMs}ms` }); r.destroy(); }, timeoutMs);
    r.on('error', (e) => finish({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    r.end();
  });
}

/** A Gateway API Gateway as the check reads it (gateway.networking.k8s.io/v1). */
export interface GatewayObject {
  metadata?: { name?: string; namespace?: string; generation?: number; creationTimestamp?: Date | string; managedFields?: { time?: Date | string }[] };
  spec?: { gatewayClassName?: string; listeners?: { name?: string; port?: number; protocol?: string; hostname?: string }[] };
  status?: {
    addresses?: { type?: string; value?: string }[];
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    listeners?: { name?: string; attachedRoutes?: number; conditions?: { type?: string; status?: string; reason?: string; message?: string }[] }[];
  };
}

/** The address a Gateway's controller wrote into its status, or undefined. */
export function gatewayAddress(gw: GatewayObject): string | undefined {
  return gw.status?.addresses?.find((a) => a.value)?.value || undefined;
}

/** Why a Gateway is not (yet) usable, from its and its listeners' conditions: "Accepted False (Reason): message". Pure. */
export function gatewayProblems(gw: GatewayObject): string[] {
  const out: string[] = [];
  const bad = (c: { type?: string; status?: string; reason?: string; message?: string }) => `${c.type} ${c.status} (${c.reason ?? '?'})${c.message ? `: ${c.message}` : ''}`;
  for (const c of gw.status?.conditions ?? []) if (['Accepted', 'Programmed'].includes(c.type ?? '') && c.status !== 'True') out.push(`Gateway ${gw.metadata?.name}: ${bad(c)}`);
  for (const l of gw.status?.listeners ?? []) {
    for (const c of l.conditions ?? []) {
      const good = c.type === 'Conflicted' ? c.status === 'False' : c.status === 'True';
      if (!good && ['Accepted', 'Programmed', 'ResolvedRefs', 'Conflicted'].includes(c.type ?? '')) out.push(`listener ${l.name}: ${bad(c)}`);
    }
  }
  return out;
}

/** The address an Ingress's controller wrote into its status, or undefined. */
export function ingressAddress(ing: V1Ingress): string | undefined {
  const lb = ing.status?.loadBalancer?.ingress?.[0];
  return lb?.ip || lb?.hostname || undefined;
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const ns: string = spec.namespace ?? ctx.namespace;
  const c = clients(ctx.kc);
  const reqs: RouteRequest[] = spec.requests;
  const bad: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  let address: string;
  let httpPort = 80, httpsPort = 443;
  let motion: Motion = null;
  let changedAt = NaN;
  let ingAnnotations: Record<string, string> | undefined;
  if (spec.gateway) {
    const name: string = spec.gateway;
    const gw = await getOrNull(ctx.kc, () => c.custom.getNamespacedCustomObject({ group: GATEWAY_GROUP, version: 'v1', namespace: ns, plural: 'gateways', name }) as Promise<GatewayObject>, `get gateway ${ns}/${name}`);
    if (!gw) {
      const l = await read(ctx.kc, () => c.custom.listNamespacedCustomObject({ group: GATEWAY_GROUP, version: 'v1', namespace: ns, plural: 'gateways' }) as Promise<{ items?: GatewayObject[] }>, `list gateways in ${ns}`);
      return { ok: false, settled: true, reasons: [fill({ ko: 'Gateway {ns}/{name}이(가) 없습니다 (있는 Gateway: {list}).', en: 'Gateway {ns}/{name} does not exist (Gateways here: {list}).' }, { ns, name, list: (l.items ?? []).map((g) => g.metadata?.name).join(', ') || '-' })] };
    }
    changedAt = lastWrite(gw.metadata as V1Ingress['metadata']);
    const addr = gatewayAddress(gw);
    if (!addr) {
      const recent = Date.now() - changedAt < CONTROLLER_GRACE_MS;
      const problems = gatewayProblems(gw);
      return {
        ok: false, settled: !recent, waitingFor: recent ? fill({ ko: 'Gateway {name}의 주소 (컨트롤러가 적음)', en: 'the address of Gateway {name} (written by the controller)' }, { name }) : undefined,
        reasons: [fill({ ko: 'Gateway {name}에 아직 주소(status.addresses)가 없습니다: 컨트롤러가 받아들이지 않았습니다{why}.', en: 'Gateway {name} has no address (status.addresses) yet: its controller has not taken it{why}.' },
          { name, why: problems.length ? ` — ${problems.join('; ')}` : ` (gatewayClassName ${gw.spec?.gatewayClassName ?? '-'})` })],
      };
    }
    address = addr;
  } else if (spec.ingress) {
    const name: string = spec.ingress;
    const ing: V1Ingress | null = await getOrNull(ctx.kc, () => c.networking.readNamespacedIngress({ name, namespace: ns }), `get ingress ${ns}/${name}`);
    if (!ing) {
      const l = await read(ctx.kc, () => c.networking.listNamespacedIngress({ namespace: ns }), `list ingresses in ${ns}`);
      return { ok: false, settled: true, reasons: [fill({ ko: 'Ingress {ns}/{name}{name:이/가} 없습니다 (있는 Ingress: {list}).', en: 'Ingress {ns}/{name} does not exist (Ingresses here: {list}).' }, { ns, name, list: l.items.map((i) => i.metadata?.name).join(', ') || '-' })] };
    }
    changedAt = lastWrite(ing.metadata);
    ingAnnotations = ing.metadata?.annotations ?? {};
    const addr = ingressAddress(ing);
    if (!addr) {
      const cls = ing.spec?.ingressClassName;
      const classes = await read(ctx.kc, () => c.networking.listIngressClass(), 'list ingressclasses');
      const names = classes.items.map((k) => k.metadata?.name ?? '');
      const known = cls === undefined || names.includes(cls);
      const recent = Date.now() - changedAt < CONTROLLER_GRACE_MS;
      return {
        ok: false, settled: !recent && !known, waitingFor: recent || known ? fill({ ko: 'Ingress {name}의 주소 (컨트롤러가 적음)', en: 'the address of Ingress {name} (written by the controller)' }, { name }) : undefined,
        reasons: [known
          ? fill({ ko: 'Ingress {name}에 아직 주소(ADDRESS)가 없습니다: Ingress 컨트롤러가 아직 받아들이지 않았습니다.', en: 'Ingress {name} has no address (ADDRESS) yet: no Ingress controller has taken it.' }, { name })
          : fill({ ko: 'Ingress {name}의 ingressClassName "{cls}"인 IngressClass가 없어 어느 컨트롤러도 맡지 않습니다 (있는 클래스: {list}).', en: 'Ingress {name} asks for ingressClassName "{cls}", which no IngressClass has, so no controller takes it (classes: {list}).' }, { name, cls: cls ?? '', list: names.join(', ') || '-' })],
        hints: known ? [] : [{ ko: 'ingressClassName을 지우거나(기본 클래스) 있는 클래스 이름으로 고치세요.', en: 'Remove ingressClassName (the default class) or use an existing class.' }],
      };
    }
    address = addr;
    for (const p of ing.status?.loadBalancer?.ingress?.[0]?.ports ?? []) {
      if (p.port && p.protocol === 'TCP' && p.port !== 443) httpPort = p.port;
    }
  } else if (spec.loadBalancer) {
    const svcName: string = spec.loadBalancer.service;
    const svc: V1Service | null = await getOrNull(ctx.kc, () => c.core.readNamespacedService({ name: svcName, namespace: ns }), `get service ${ns}/${svcName}`);
    const port = svc?.spec?.ports?.find((p) => spec.loadBalancer.port === undefined || p.port === spec.loadBalancer.port || p.name === String(spec.loadBalancer.port))?.port;
    const ext = svc ? externalAddress(svc) : undefined;
    if (!svc || !port || !ext) {
      return { ok: false, settled: true, reasons: [!svc
        ? fill({ ko: 'Service {ns}/{name}{name:이/가} 없습니다.', en: 'Service {ns}/{name} does not exist.' }, { ns, name: svcName })
        : fill({ ko: 'Service {name}에 외부 주소(EXTERNAL-IP)가 없습니다 (타입 {type}).', en: 'Service {name} has no external address (EXTERNAL-IP; type {type}).' }, { name: svcName, type: svc.spec?.type ?? 'ClusterIP' })] };
    }
    // A just-given address: kube-proxy (and on kind, MetalLB's speaker) may not have programmed it yet.
    changedAt = lastWrite(svc.metadata);
    address = ext;
    httpPort = port;
  } else {
    const svcName: string = spec.nodePort.service;
    const svc: V1Service | null = await getOrNull(ctx.kc, () => c.core.readNamespacedService({ name: svcName, namespace: ns }), `get service ${ns}/${svcName}`);
    const np = svc?.spec?.ports?.find((p) => spec.nodePort.port === undefined || p.port === spec.nodePort.port || p.name === String(spec.nodePort.port))?.nodePort;
    if (!svc || !np) {
      return { ok: false, settled: true, reasons: [svc
        ? fill({ ko: 'Service {name}에 nodePort가 없습니다 (타입 {type}).', en: 'Service {name} has no nodePort (type {type}).' }, { name: svcName, type: svc.spec?.type ?? 'ClusterIP' })
        : fill({ ko: 'Service {ns}/{name}{name:이/가} 없습니다.', en: 'Service {ns}/{name} does not exist.' }, { ns, name: svcName })] };
    }
    // The Service or its endpoints (a pod just became ready): kube-proxy may not have programmed the port yet.
    const slices = await read(ctx.kc, () => c.discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: `kubernetes.io/service-name=${svcName}` }), `list endpointslices in ${ns}`);
    changedAt = Math.max(lastWrite(svc.metadata), ...slices.items.map((x) => lastWrite(x.metadata)).filter((t) => !Number.isNaN(t)));
    const nodes = await read(ctx.kc, () => c.core.listNode(), 'list nodes');
    // A node that really runs (kwok-simulated ones carry type=kwok); its InternalIP, else any address it has.
    const real = nodes.items.filter((n) => n.metadata?.labels?.type !== 'kwok');
    const addrs = (real.length ? real : nodes.items)[0]?.status?.addresses ?? [];
    const a = addrs.find((x) => x.type === 'ExternalIP') ?? addrs.find((x) => x.type === 'InternalIP') ?? addrs[0];
    if (!a) throw new CheckError({ ko: '노드 주소를 찾을 수 없습니다.', en: 'No node address found.' });
    address = a.address;
    httpPort = np;
  }
  const answers: { req: RouteRequest; answer: Answer; verdict: Verdict; series?: Answer[] }[] = [];
  for (const r of reqs) {
    const port = r.https ? (spec.nodePort || spec.loadBalancer ? httpPort : httpsPort) : httpPort;
    if (r.steady || r.burst) {
      const series = await sendSeries(address, port, r);
      // The series' verdict; its first answer stands for it where one answer is shown (evidence, no-answer test).
      answers.push({ req: r, answer: series.find((a) => a.error === undefined) ?? series[0]!, verdict: judgeSeries(r, series), series });
      continue;
    }
    const answer = await send(address, port, r);
    answers.push({ req: r, answer, verdict: judge(r, answer) });
  }
  // No answer at all from the target: klab cannot reach it from here (not the trainee's routing) — unless what it
  // answers for changed just now (a new NodePort before kube-proxy has synced): then wait.
  if (answers.every((x) => x.answer.error !== undefined)) {
    if (Date.now() - changedAt < NO_ANSWER_GRACE_MS) {
      return { ok: false, reasons: answers.map((x) => x.verdict.reason), waitingFor: fill({ ko: '{addr}:{port} 의 첫 응답', en: 'a first answer at {addr}:{port}' }, { addr: address, port: httpPort }) };
    }
    throw new CheckError(fill({ ko: '{addr}:{port} 에 연결할 수 없습니다 ({err}). 이 컴퓨터에서 Ingress 컨트롤러/노드에 닿지 않습니다.', en: 'Cannot connect to {addr}:{port} ({err}): the Ingress controller/node is not reachable from this machine.' },
      { addr: address, port: httpPort, err: answers[0]?.answer.error ?? '' }));
  }
  const reasons: Text[] = [];
  let transient = false;
  for (const x of answers) {
    if (!x.verdict.ok) { bad.push(x.verdict.reason); transient ||= x.verdict.transient; } else reasons.push(x.verdict.reason);
  }
  // HTTPS: the certificate must be the one in the named Secret.
  if (spec.tls) {
    const sec = await getOrNull(ctx.kc, () => c.core.readNamespacedSecret({ name: spec.tls.secret, namespace: ns }), `get secret ${ns}/${spec.tls.secret}`);
    const pem = sec?.data?.['tls.crt'] ? Buffer.from(sec.data['tls.crt'], 'base64').toString('utf8') : undefined;
    if (sec) changedAt = Math.max(changedAt, lastWrite(sec.metadata));
    // No such Secret here: one of that name in another namespace is a common slip (an Ingress reads its own namespace's).
    const elsewhere = sec ? [] : await read(ctx.kc, () => c.core.listSecretForAllNamespaces({ fieldSelector: `metadata.name=${spec.tls.secret}` }), 'list secrets')
      .then((l) => l.items.map((x) => x.metadata?.namespace ?? '').filter((n) => n && n !== ns)).catch(() => [] as string[]);
    for (const x of answers.filter((y) => y.req.https && y.answer.error === undefined)) {
      const s = sameCert(x.answer.cert, pem);
      if (s.same) { reasons.push(fill({ ko: '{h}: Secret {s}의 인증서 ✓', en: '{h}: the certificate of Secret {s} ✓' }, { h: x.req.host ?? '', s: spec.tls.secret })); continue; }
      const got = x.answer.cert;
      bad.push(!pem && elsewhere.length
        ? fill({ ko: 'Secret {s}{s:은/는} {ns} 가 아닌 {other} 네임스페이스에 있습니다: Ingress 는 자기 네임스페이스({ns})의 Secret 만 씁니다.', en: 'Secret {s} exists in namespace {other}, not {ns}: an Ingress uses Secrets of its own namespace ({ns}) only.' }, { ns, s: spec.tls.secret, other: elsewhere.join(', ') })
        : !pem
        ? fill({ ko: 'Secret {ns}/{s}{s:이/가} 없거나 tls.crt가 없습니다.', en: 'Secret {ns}/{s} does not exist or has no tls.crt.' }, { ns, s: spec.tls.secret })
        : fill({ ko: '{h}: 서버가 Secret {s}의 인증서가 아닌 다른 인증서(CN "{cn}", {alt})를 보냈습니다 — Ingress의 tls 항목(hosts, secretName)을 확인하세요.', en: '{h}: the server presented a certificate other than Secret {s}\'s (CN "{cn}", {alt}) — check the Ingress\'s tls entry (hosts, secretName).' },
          { h: x.req.host ?? '', s: spec.tls.secret, cn: got?.subject ?? '?', alt: got?.altNames || 'no SAN' }));
      if (got?.subject === 'TRAEFIK DEFAULT CERT') hints.push({ ko: 'Traefik의 기본 인증서입니다: 이 호스트의 tls 항목이 없거나, secretName의 Secret이 같은 네임스페이스에 없습니다.', en: 'That is Traefik\'s default certificate: this host has no tls entry, or the secretName Secret is not in the same namespace.' });
    }
  }
  // Traefik Middlewares (the rate limit): what is wrong with how the Ingress attaches them, or the limits it attaches.
  const limitFailed = answers.some((x) => x.verdict.limit);
  if (spec.ingress && ingAnnotations && bad.length && (limitFailed || ingAnnotations[MIDDLEWARES_ANNOTATION] !== undefined)) {
    const mws = await listMiddlewares(ctx, ns);
    // A Middleware made or changed just now: the controller may not have applied it yet.
    changedAt = Math.max(changedAt, ...mws.map((m) => m.changed ?? NaN).filter((t) => !Number.isNaN(t)));
    const wantLimit = reqs.some((r) => r.burst);
    const problems = middlewareProblems(ingAnnotations, ns, spec.ingress, mws, wantLimit);
    bad.push(...problems);
    if (!problems.length && limitFailed) {
      const limits = attachedLimits(ingAnnotations, ns, mws);
      if (limits.length) bad.push(fill({ ko: '붙은 제한: {l}', en: 'Limits attached: {l}' }, { l: limits.join('; ') }));
    }
  }
  if (bad.length) {
    evidence.push({ kind: 'note', title: { ko: '보낸 요청과 받은 답', en: 'Requests sent and answers' }, lines: answers.map((x) => `${where(x.req)} → ${x.series
      ? statusCounts(x.series)
      : x.answer.error ?? `${x.answer.status} ${(x.answer.body ?? '').trim().split('\n')[0]!.slice(0, 60)}`}`) });
    // The controller may not have applied a change yet, or pods are still coming: wait. Otherwise the answer is final.
    if (Date.now() - changedAt < CONTROLLER_GRACE_MS || flipped(answers)) motion = fill({ ko: 'Ingress 컨트롤러가 방금 바뀐 설정을 적용하는 중', en: 'the Ingress controller applying a change made just now' }, {});
    else if (transient) motion = await namespaceMotion(ctx.kc, ns);
  }
  return {
    ok: bad.length === 0, settled: bad.length > 0 && !motion, waitingFor: bad.length ? motion ?? undefined : undefined,
    reasons: [fill({ ko: '{addr} 로 요청을 보냈습니다.', en: 'Requests sent to {addr}.' }, { addr: `${address}:${httpPort}` }), ...reasons, ...bad], hints, evidence,
    observed: { address, port: httpPort, answers: answers.map((x) => ({ url: where(x.req), status: x.answer.status, answeredBy: x.verdict.answeredBy, error: x.answer.error, cert: x.answer.cert?.subject })) },
  };
}

/**
 * Did the same host and path get both the controller's "no route" 404 and a backend's answer within one probe? Then
 * the controller is still applying a change (on a loaded machine it may take longer than CONTROLLER_GRACE_MS, e.g. an
 * Ingress whose Middleware another provider has not delivered yet): not a settled answer. Pure.
 */
export function flipped(answers: { req: RouteRequest; answer: Answer; series?: Answer[] }[]): boolean {
  const seen = new Map<string, Set<'route' | 'none'>>();
  for (const x of answers) {
    const key = `${x.req.https ? 's' : ''}${x.req.host ?? ''}${x.req.path}`;
    const set = seen.get(key) ?? new Set();
    for (const a of x.series ?? [x.answer]) {
      if (a.status === 404 && NOT_FOUND_BODY.test(a.body ?? '')) set.add('none');
      else if (a.status === 200 || a.status === 429) set.add('route');
    }
    seen.set(key, set);
  }
  return [...seen.values()].some((v) => v.size === 2);
}

/** "200 ×12, 429 ×18" for a series of answers. Pure. */
export function statusCounts(series: Answer[]): string {
  const n = new Map<string, number>();
  for (const a of series) { const k = a.error ?? String(a.status); n.set(k, (n.get(k) ?? 0) + 1); }
  return [...n].map(([k, v]) => `${k} ×${v}`).join(', ');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A `steady` request: `count` requests, each after waiting `everyMs` (the wait comes first, so a token bucket emptied by
 * an earlier burst has refilled at any limit above this rate); a `burst`: `count` requests at once.
 */
async function sendSeries(address: string, port: number, r: RouteRequest): Promise<Answer[]> {
  if (r.burst) return Promise.all(Array.from({ length: r.burst.count }, () => send(address, port, r)));
  const out: Answer[] = [];
  for (let i = 0; i < r.steady!.count; i++) { await sleep(r.steady!.everyMs); out.push(await send(address, port, r)); }
  return out;
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Traefik Middlewares in a namespace; none when the CRD is not installed. */
async function listMiddlewares(ctx: CheckContext, ns: string): Promise<MiddlewareInfo[]> {
  const c = clients(ctx.kc);
  try {
    const l = await read(ctx.kc, () => c.custom.listNamespacedCustomObject({ group: 'traefik.io', version: 'v1alpha1', namespace: ns, plural: 'middlewares' }) as Promise<{ items?: { metadata?: V1Ingress['metadata']; spec?: { rateLimit?: MiddlewareInfo['rateLimit'] } }[] }>, `list middlewares in ${ns}`);
    return (l.items ?? []).map((m) => ({ name: m.metadata?.name ?? '', changed: lastWrite(m.metadata), ...(m.spec?.rateLimit ? { rateLimit: m.spec.rateLimit } : {}) }));
  } catch (e) {
    if (e instanceof CheckError) throw e;
    return [];
  }
}

const requestSchema = {
  type: 'object', additionalProperties: false, required: ['path', 'expect'],
  properties: {
    host: { type: 'string', minLength: 1 }, path: { type: 'string', pattern: '^/' }, https: { type: 'boolean' }, expect: { type: 'string', minLength: 1 },
    steady: { type: 'object', additionalProperties: false, required: ['count', 'everyMs'], properties: { count: { type: 'integer', minimum: 1, maximum: 20 }, everyMs: { type: 'integer', minimum: 50, maximum: 5000 } } },
    burst: { type: 'object', additionalProperties: false, required: ['count', 'limited'], properties: { count: { type: 'integer', minimum: 2, maximum: 100 }, limited: { type: 'integer', minimum: 1 } } },
  },
} as const;

registerKind({
  kind: 'http-route',
  description: { ko: 'Ingress나 Gateway의 주소, 또는 NodePort로 Host 헤더·경로를 붙인 실제 요청을 보내 어느 백엔드가 답하는지 확인 (HTTPS 인증서, 속도 제한의 429 포함)', en: 'Real requests with Host headers and paths to an Ingress\'s or a Gateway\'s address or a NodePort: which backend answers (and the HTTPS certificate, a rate limit\'s 429s)' },
  properties: {
    namespace: { type: 'string', minLength: 1 },
    ingress: { type: 'string', minLength: 1 },
    gateway: { type: 'string', minLength: 1 },
    nodePort: { type: 'object', additionalProperties: false, required: ['service'], properties: { service: { type: 'string', minLength: 1 }, port: { type: ['integer', 'string'] } } },
    loadBalancer: { type: 'object', additionalProperties: false, required: ['service'], properties: { service: { type: 'string', minLength: 1 }, port: { type: ['integer', 'string'] } } },
    requests: { type: 'array', minItems: 1, items: requestSchema },
    tls: { type: 'object', additionalProperties: false, required: ['secret'], properties: { secret: { type: 'string', minLength: 1 } } },
  },
  required: ['requests'],
  extra: { oneOf: [{ required: ['ingress'] }, { required: ['nodePort'] }, { required: ['gateway'] }, { required: ['loadBalancer'] }] },
  validate: (s) => s.requests.flatMap((r, i) => [
    ...(r.steady && r.burst ? [{ path: `/requests/${i}`, message: { ko: 'steady와 burst는 한 요청에 함께 쓸 수 없습니다.', en: 'steady and burst cannot be used together in one request.' } }] : []),
    ...(r.burst && r.burst.limited > r.burst.count ? [{ path: `/requests/${i}/burst/limited`, message: fill({ ko: 'limited({l})가 count({c})보다 큽니다.', en: 'limited ({l}) is larger than count ({c}).' }, { l: r.burst.limited, c: r.burst.count }) }] : []),
  ]),
  needs: (s) => [
    'realPods',
    ...(s.ingress ? ['ingress' as const] : []),
    ...(s.gateway ? ['gatewayApi' as const] : []),
    ...(s.loadBalancer ? ['loadBalancer' as const] : []),
    // A rate limit is a Traefik Middleware (decision 0031).
    ...(s.requests.some((r) => r.burst || r.steady) ? ['traefikMiddleware' as const] : []),
  ],
  title: (s) => (s.ingress
    ? fill({ ko: 'Ingress {i}: {n}개 요청의 백엔드', en: 'Ingress {i}: the backend of {n} request(s)' }, { i: s.ingress, n: s.requests.length })
    : s.gateway ? fill({ ko: 'Gateway {g}: {n}개 요청의 백엔드', en: 'Gateway {g}: the backend of {n} request(s)' }, { g: s.gateway, n: s.requests.length })
    : s.loadBalancer ? fill({ ko: 'LoadBalancer {s}: 외부 주소로 접속', en: 'LoadBalancer {s}: reached at its external address' }, { s: s.loadBalancer.service })
    : fill({ ko: 'NodePort {s}: 노드 주소로 접속', en: 'NodePort {s}: reached at a node address' }, { s: s.nodePort?.service ?? '' })),
  probe,
});
