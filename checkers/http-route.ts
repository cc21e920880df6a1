// http-route: klab sends real HTTP(S) requests — with a Host header, a path, and for HTTPS the host as SNI — to where a
// trainee would send them, and reports which backend answered each one. Two targets:
//  - `ingress`: the address the Ingress controller wrote into the Ingress's status (`kubectl get ingress` ADDRESS):
//    127.0.0.1 on `local` and kind (Traefik on the host's ports 80/443), the load balancer's name on EKS;
//  - `nodePort`: a node's address and the Service's nodePort (what `curl <node-ip>:<nodePort>` reaches);
//  - `loadBalancer`: a LoadBalancer Service's external address and port (what `curl <EXTERNAL-IP>` reaches).
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

export interface RouteRequest { host?: string; path: string; https?: boolean; expect: string }

/** What came back for one request (or why nothing did). */
export interface Answer {
  status?: number;
  body?: string;
  /** The certificate the server presented (HTTPS). */
  cert?: { fingerprint256: string; subject: string; altNames: string };
  /** No HTTP answer: timeout, refused, reset … */
  error?: string;
}

export interface Verdict { ok: boolean; answeredBy?: string; reason: Text; /** an answer that a controller may still change (5xx, 404 just after a change) */ transient: boolean }

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
  if (a.status === 502 || a.status === 503 || a.status === 504) {
    return { ok: false, transient: true, reason: fill({ ko: '{w}: HTTP {s} — 규칙은 맞았지만 뒤의 Service에 준비된 파드가 없거나 포트가 틀렸습니다 (기대: {e}).', en: '{w}: HTTP {s} — a rule matched but the Service behind it has no ready pod or a wrong port (expected {e}).' }, { w, s: a.status, e: req.expect }) };
  }
  if (a.status === 200 && by) {
    return { ok: false, answeredBy: by, transient: false, reason: fill({ ko: '{w}: {b}{b:이/가} 답했습니다 (기대: {e}).', en: '{w}: {b} answered (expected {e}).' }, { w, b: by, e: req.expect }) };
  }
  return { ok: false, transient: false, reason: fill({ ko: '{w}: HTTP {s} "{body}" (기대: {e}의 답).', en: '{w}: HTTP {s} "{body}" (expected an answer from {e}).' }, { w, s: a.status ?? '?', body: (a.body ?? '').trim().slice(0, 80), e: req.expect }) };
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
  if (spec.ingress) {
    const name: string = spec.ingress;
    const ing: V1Ingress | null = await getOrNull(ctx.kc, () => c.networking.readNamespacedIngress({ name, namespace: ns }), `get ingress ${ns}/${name}`);
    if (!ing) {
      const l = await read(ctx.kc, () => c.networking.listNamespacedIngress({ namespace: ns }), `list ingresses in ${ns}`);
      return { ok: false, settled: true, reasons: [fill({ ko: 'Ingress {ns}/{name}{name:이/가} 없습니다 (있는 Ingress: {list}).', en: 'Ingress {ns}/{name} does not exist (Ingresses here: {list}).' }, { ns, name, list: l.items.map((i) => i.metadata?.name).join(', ') || '-' })] };
    }
    changedAt = lastWrite(ing.metadata);
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
  const answers: { req: RouteRequest; answer: Answer; verdict: Verdict }[] = [];
  for (const r of reqs) {
    const answer = await send(address, r.https ? (spec.ingress ? httpsPort : httpPort) : httpPort, r);
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
  if (bad.length) {
    evidence.push({ kind: 'note', title: { ko: '보낸 요청과 받은 답', en: 'Requests sent and answers' }, lines: answers.map((x) => `${where(x.req)} → ${x.answer.error ?? `${x.answer.status} ${(x.answer.body ?? '').trim().split('\n')[0]!.slice(0, 60)}`}`) });
    // The controller may not have applied a change yet, or pods are still coming: wait. Otherwise the answer is final.
    if (Date.now() - changedAt < CONTROLLER_GRACE_MS) motion = fill({ ko: 'Ingress 컨트롤러가 방금 바뀐 설정을 적용하는 중', en: 'the Ingress controller applying a change made just now' }, {});
    else if (transient) motion = await namespaceMotion(ctx.kc, ns);
  }
  return {
    ok: bad.length === 0, settled: bad.length > 0 && !motion, waitingFor: bad.length ? motion ?? undefined : undefined,
    reasons: [fill({ ko: '{addr} 로 요청을 보냈습니다.', en: 'Requests sent to {addr}.' }, { addr: `${address}:${httpPort}` }), ...reasons, ...bad], hints, evidence,
    observed: { address, port: httpPort, answers: answers.map((x) => ({ url: where(x.req), status: x.answer.status, answeredBy: x.verdict.answeredBy, error: x.answer.error, cert: x.answer.cert?.subject })) },
  };
}

const requestSchema = {
  type: 'object', additionalProperties: false, required: ['path', 'expect'],
  properties: { host: { type: 'string', minLength: 1 }, path: { type: 'string', pattern: '^/' }, https: { type: 'boolean' }, expect: { type: 'string', minLength: 1 } },
} as const;

registerKind({
  kind: 'http-route',
  description: { ko: 'Ingress 주소나 NodePort로 Host 헤더·경로를 붙인 실제 요청을 보내 어느 백엔드가 답하는지 확인 (HTTPS 인증서 포함)', en: 'Real requests with Host headers and paths to an Ingress\'s address or a NodePort: which backend answers (and the HTTPS certificate)' },
  properties: {
    namespace: { type: 'string', minLength: 1 },
    ingress: { type: 'string', minLength: 1 },
    nodePort: { type: 'object', additionalProperties: false, required: ['service'], properties: { service: { type: 'string', minLength: 1 }, port: { type: ['integer', 'string'] } } },
    loadBalancer: { type: 'object', additionalProperties: false, required: ['service'], properties: { service: { type: 'string', minLength: 1 }, port: { type: ['integer', 'string'] } } },
    requests: { type: 'array', minItems: 1, items: requestSchema },
    tls: { type: 'object', additionalProperties: false, required: ['secret'], properties: { secret: { type: 'string', minLength: 1 } } },
  },
  required: ['requests'],
  extra: { oneOf: [{ required: ['ingress'] }, { required: ['nodePort'] }, { required: ['loadBalancer'] }] },
  needs: (s) => (s.ingress ? ['realPods', 'ingress'] : s.loadBalancer ? ['realPods', 'loadBalancer'] : ['realPods']),
  title: (s) => (s.ingress
    ? fill({ ko: 'Ingress {i}: {n}개 요청의 백엔드', en: 'Ingress {i}: the backend of {n} request(s)' }, { i: s.ingress, n: s.requests.length })
    : s.loadBalancer
      ? fill({ ko: 'LoadBalancer {s}: 외부 주소로 접속', en: 'LoadBalancer {s}: reached at its external address' }, { s: s.loadBalancer.service })
      : fill({ ko: 'NodePort {s}: 노드 주소로 접속', en: 'NodePort {s}: reached at a node address' }, { s: s.nodePort?.service ?? '' })),
  probe,
});
