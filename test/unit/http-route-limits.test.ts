// Lab s1's last two steps without a cluster: the http-route check's rate-limit series (a steady rate that must see no
// 429, a burst that must see some) and their diagnoses, the reading of Traefik's middleware annotation (the
// `<namespace>-<name>@kubernetescrd` reference), the Gateway's address and problems, the httproute-accepted verdict on
// recorded HTTPRoute/Gateway objects, and the spec validation of the new options. Live: test/integration/lab-s1.test.ts
// and lab s1's mistakes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { judgeSeries, flipped, middlewareProblems, attachedLimits, statusCounts, gatewayAddress, gatewayProblems, MIDDLEWARES_ANNOTATION, type Answer, type GatewayObject } from '../../checkers/http-route.js';
import { routeProblems, type HTTPRouteObject } from '../../checkers/httproute-accepted.js';
import { validateCheckSpecs } from '../../checkers/kinds.js';

const ok = (n: number): Answer[] => Array.from({ length: n }, () => ({ status: 200, body: 'payment abc\n' }));
const tooMany = (n: number): Answer[] => Array.from({ length: n }, () => ({ status: 429, body: 'Too Many Requests' }));
const steady = { host: 'api.x.example.com', path: '/', expect: 'payment', steady: { count: 4, everyMs: 500 } };
const burst = { host: 'api.x.example.com', path: '/', expect: 'payment', burst: { count: 30, limited: 10 } };

test('steady: every request answered by the backend → pass; a 429 → "the limit is too low", naming the first', () => {
  const v = judgeSeries(steady, ok(4));
  assert.ok(v.ok);
  assert.match(v.reason.en, 'normal rate (4 requests 500 ms apart) → all payment, no 429 ✓');
  const low = judgeSeries(steady, [...ok(1), ...tooMany(3)]);
  assert.not.ok(low.ok);
  assert.not.ok(low.transient, 'a limit does not fix itself');
  assert.match(low.reason.en, 'request 2 and after got HTTP 429 (Too Many Requests), 3 in all — the limit is too low');
  assert.match(low.reason.ko, '제한이 너무 낮습니다');
  // Another failure (the route dropped: 404) is reported as such, not as a limit.
  const gone = judgeSeries(steady, Array.from({ length: 4 }, () => ({ status: 404, body: '404 page not found\n' })));
  assert.match(gone.reason.en, 'the Ingress controller answered 404');
});

test('burst: enough 429s → pass; none → no limit applies; too few → the burst is larger', () => {
  const v = judgeSeries(burst, [...ok(11), ...tooMany(19)]);
  assert.ok(v.ok);
  assert.match(v.reason.en, '30 at once → 11 from payment, 19 × 429 ✓');
  const none = judgeSeries(burst, ok(30));
  assert.not.ok(none.ok);
  assert.match(none.reason.en, 'all 30 requests sent at once were answered by payment, not one got 429 — no rate limit applies to this route');
  assert.match(none.reason.ko, '속도 제한이 걸려 있지 않습니다');
  const few = judgeSeries(burst, [...ok(25), ...tooMany(5)]);
  assert.match(few.reason.en, 'only 5 of 30 requests sent at once got 429 (expected at least 10)');
});

test('flipped: the same host and path got the controller\'s 404 and a backend\'s answer in one probe (a change being applied)', () => {
  const nf = { status: 404, body: '404 page not found\n' };
  assert.ok(flipped([{ req: steady, answer: nf, series: [nf, nf, ...ok(2)] }]));
  assert.ok(flipped([{ req: steady, answer: nf, series: [nf, nf, nf, nf] }, { req: burst, answer: ok(1)[0]!, series: [...ok(10), ...tooMany(20)] }]));
  // Different paths (pathType Exact: /music routed, /music/songs not) are a settled state, not a flip.
  assert.not.ok(flipped([{ req: { host: 'm', path: '/music', expect: 'music' }, answer: ok(1)[0]! }, { req: { host: 'm', path: '/music/songs', expect: 'music' }, answer: nf }]));
  assert.not.ok(flipped([{ req: steady, answer: nf, series: [nf, nf, nf, nf] }]));
  assert.ok(judgeSeries(steady, [...ok(1), ...tooMany(3)]).limit, 'a limit verdict');
  assert.not.ok(judgeSeries(steady, [nf, nf, nf, nf]).limit, 'a routing verdict');
});

test('middleware annotation: missing, wrong key, no namespace prefix, no @kubernetescrd, unknown name, fine', () => {
  const mws = [{ name: 'ratelimit', rateLimit: { average: 5, burst: 10 } }];
  const none = middlewareProblems({}, 's1-abc', 'api', mws, true).map((t) => t.en).join('\n');
  assert.match(none, `Ingress api has no annotation ${MIDDLEWARES_ANNOTATION}, so no Middleware is attached`);
  assert.match(none, 'The format is traefik.ingress.kubernetes.io/router.middlewares: <namespace>-<Middleware name>@kubernetescrd (here s1-abc-ratelimit@kubernetescrd)');
  const key = middlewareProblems({ 'traefik.ingress.kubernetes.io/router.middleware': 's1-abc-ratelimit@kubernetescrd' }, 's1-abc', 'api', mws, true);
  assert.match(key[0]!.en, 'annotation traefik.ingress.kubernetes.io/router.middleware is not the key Traefik reads');
  const bare = middlewareProblems({ [MIDDLEWARES_ANNOTATION]: 'ratelimit@kubernetescrd' }, 's1-abc', 'api', mws, true);
  assert.match(bare[0]!.en, 'lacks the namespace prefix: Traefik names a CRD Middleware <namespace>-<name>, so it is s1-abc-ratelimit@kubernetescrd');
  assert.match(bare[0]!.ko, '네임스페이스 접두어가 없습니다');
  const noProvider = middlewareProblems({ [MIDDLEWARES_ANNOTATION]: 's1-abc-ratelimit' }, 's1-abc', 'api', mws, true);
  assert.match(noProvider[0]!.en, 'lacks @kubernetescrd');
  const typo = middlewareProblems({ [MIDDLEWARES_ANNOTATION]: 's1-abc-ratelimt@kubernetescrd' }, 's1-abc', 'api', mws, true);
  assert.match(typo[0]!.en, 'names a Middleware that does not exist (Middlewares in s1-abc: ratelimit)');
  assert.equal(middlewareProblems({ [MIDDLEWARES_ANNOTATION]: 's1-abc-ratelimit@kubernetescrd' }, 's1-abc', 'api', mws, true), []);
  const noLimit = middlewareProblems({ [MIDDLEWARES_ANNOTATION]: 's1-abc-headers@kubernetescrd' }, 's1-abc', 'api', [{ name: 'headers' }], true);
  assert.match(noLimit[0]!.en, 'None of the Middlewares attached to Ingress api');
  for (const list of [none, key, bare, noProvider, typo]) for (const t of Array.isArray(list) ? list : []) assert.ok(/[가-힣]/.test(t.ko), t.ko);
  assert.equal(attachedLimits({ [MIDDLEWARES_ANNOTATION]: 's1-abc-ratelimit@kubernetescrd' }, 's1-abc', [{ name: 'ratelimit', rateLimit: { average: 5, period: '1m' } }]),
    ['Middleware ratelimit: average 5 / 1m, burst 1']);
  assert.is(statusCounts([...ok(2), ...tooMany(3), { error: 'ECONNRESET' }]), '200 ×2, 429 ×3, ECONNRESET ×1');
});

const gw = (status: GatewayObject['status']): GatewayObject => ({ metadata: { name: 'web', namespace: 's1-abc' }, spec: { gatewayClassName: 'traefik', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] }, status });

test('Gateway: the address in its status; its and its listeners\' failing conditions', () => {
  assert.is(gatewayAddress(gw({ addresses: [{ type: 'IPAddress', value: '127.0.0.1' }] })), '127.0.0.1');
  assert.is(gatewayAddress(gw(undefined)), undefined);
  const p = gatewayProblems(gw({
    conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }, { type: 'Programmed', status: 'False', reason: 'Invalid', message: 'no listener' }],
    listeners: [{ name: 'http', conditions: [{ type: 'Accepted', status: 'False', reason: 'PortUnavailable', message: 'Cannot find entryPoint for Gateway: no matching entryPoint for port 8000 and protocol "HTTP"' }, { type: 'Conflicted', status: 'False', reason: 'NoConflicts' }] }],
  }));
  assert.equal(p, ['Gateway web: Programmed False (Invalid): no listener', 'listener http: Accepted False (PortUnavailable): Cannot find entryPoint for Gateway: no matching entryPoint for port 8000 and protocol "HTTP"']);
});

const route = (parentRefs: HTTPRouteObject['spec'] extends infer S ? S extends { parentRefs?: infer P } ? P : never : never, parents?: NonNullable<HTTPRouteObject['status']>['parents']): HTTPRouteObject =>
  ({ metadata: { name: 'user', namespace: 's1-abc' }, spec: { parentRefs, hostnames: ['user.gw.abc.example.com'] }, ...(parents ? { status: { parents } } : {}) });
const accepted = { type: 'Accepted', status: 'True', reason: 'Accepted' };
const resolved = { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs' };

test('httproute-accepted: accepted; a Gateway that does not exist; a class with no controller; a backend not found; no status yet', () => {
  const gateways = new Map([['s1-abc/web', gw({ addresses: [{ value: '127.0.0.1' }], conditions: [accepted] })]]);
  const classes = new Map([['traefik', true]]);
  assert.equal(routeProblems(route([{ name: 'web' }], [{ parentRef: { name: 'web' }, conditions: [accepted, resolved] }]), gateways, classes), { problems: [], pending: false });
  // sectionName must match the status entry's parentRef too.
  assert.equal(routeProblems(route([{ name: 'web', sectionName: 'http' }], [{ parentRef: { name: 'web', namespace: 's1-abc', sectionName: 'http' }, conditions: [accepted, resolved] }]), gateways, classes).problems, []);

  const missing = routeProblems(route([{ name: 'traefik' }]), gateways, classes);
  assert.match(missing.problems[0]!.en, "HTTPRoute user's parentRef names Gateway s1-abc/traefik, which does not exist (Gateways here: web)");
  assert.match(missing.problems[0]!.ko, '가리키는 Gateway s1-abc/traefik');
  assert.not.ok(missing.pending);

  const noClass = new Map([['s1-abc/web', { ...gw(undefined), spec: { gatewayClassName: 'nginx' } }]]);
  assert.match(routeProblems(route([{ name: 'web' }]), noClass, classes).problems[0]!.en, 'Gateway web asks for gatewayClassName "nginx", which no GatewayClass has');

  const port = routeProblems(route([{ name: 'web' }], [{ parentRef: { name: 'web' }, conditions: [accepted, { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'Cannot load HTTPBackendRef s1-abc/user: service port 8080 not found' }] }]), gateways, classes);
  assert.equal(port.problems.map((t) => t.en), ['HTTPRoute user → Gateway web: ResolvedRefs False (BackendNotFound) — Cannot load HTTPBackendRef s1-abc/user: service port 8080 not found']);

  const waiting = routeProblems(route([{ name: 'web' }]), gateways, classes);
  assert.ok(waiting.pending, 'the controller may still write it');
  assert.match(waiting.problems[0]!.en, "has no status (status.parents) from Gateway web's controller yet");

  const badGw = new Map([['s1-abc/web', gw({ listeners: [{ name: 'http', conditions: [{ type: 'Accepted', status: 'False', reason: 'PortUnavailable', message: 'no matching entryPoint for port 8000' }] }] })]]);
  const np = routeProblems(route([{ name: 'web' }]), badGw, classes);
  assert.not.ok(np.pending);
  assert.match(np.problems[0]!.en, 'Gateway web is not accepted, so HTTPRoute user has no status: listener http: Accepted False (PortUnavailable): no matching entryPoint for port 8000');
  assert.match(routeProblems(route([]), gateways, classes).problems[0]!.en, 'has no parentRefs');
});

test('spec validation: steady/burst options, a gateway target, httproute-accepted', () => {
  assert.equal(validateCheckSpecs([
    { id: 'rl', kind: 'http-route', ingress: 'api', requests: [steady, burst] },
    { id: 'gw', kind: 'http-route', gateway: 'web', requests: [{ host: 'user.example.com', path: '/', expect: 'user' }] },
    { id: 'acc', kind: 'httproute-accepted', routes: ['user', 'payment'] },
  ]), []);
  const errs = validateCheckSpecs([
    { id: 'a', kind: 'http-route', ingress: 'api', requests: [{ ...burst, steady: steady.steady }] },
    { id: 'b', kind: 'http-route', ingress: 'api', requests: [{ ...burst, burst: { count: 5, limited: 6 } }] },
    { id: 'c', kind: 'http-route', ingress: 'api', gateway: 'web', requests: [steady] },
    { id: 'd', kind: 'httproute-accepted', routes: [] },
  ]);
  const at = (p: string) => errs.find((e) => e.path.startsWith(p));
  assert.match(at('/0/requests/0')!.message.en, 'steady and burst cannot be used together');
  assert.match(at('/1/requests/0/burst/limited')!.message.en, 'limited (6) is larger than count (5)');
  assert.ok(at('/2'), 'ingress and gateway together');
  assert.ok(at('/3'), 'no routes');
});

test.run();
