// resource-match, service, answer and the permission (403) case against the live cluster.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeConfig } from '@kubernetes/client-node';
import { env, namespace, cleanup, apply, until, check, nodeKinds, busybox } from './_checkers.js';
import type { Env } from './_checkers.js';
import { runChecks } from '../../checkers/runner.js';
import { checkFromSpec } from '../../checkers/kinds.js';

let e: Env;
let ns = '';
let real: string | undefined;
let sim: string | undefined;

test.before(async () => { try { await setup(); } catch (err) { console.error('setup failed:', err); throw err; } });
async function setup() {
  e = await env();
  ns = await namespace(e, 'res');
  const k = await nodeKinds(e);
  real = e.caps.realPods ? k.real[0] : undefined;
  sim = k.simulated[0];
  const web = (node: string | undefined) => ({ ...busybox(node, { ports: [{ name: 'http', containerPort: 8080 }] }, ['sh', '-c', 'mkdir -p /www && echo hello-klab > /www/index.html && httpd -f -p 8080 -h /www']) });
  await apply(e,
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: web(real ?? sim) } } } as any,
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } as any,
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'typo', namespace: ns }, spec: { selector: { app: 'wbe' }, ports: [{ port: 80, targetPort: 8080 }] } } as any,
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'routes', namespace: ns }, spec: { rules: [
      { host: 'user.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
      { host: 'payment.example.com', http: { paths: [{ path: '/music', pathType: 'Prefix', backend: { service: { name: 'typo', port: { number: 80 } } } }] } },
    ] } } as any,
  );
  await until('web endpoint ready', async () => {
    const l = await e.kc.makeApiClient((await import('@kubernetes/client-node')).DiscoveryV1Api).listNamespacedEndpointSlice({ namespace: ns, labelSelector: 'kubernetes.io/service-name=web' });
    return l.items.some((s) => (s.endpoints ?? []).some((x) => x.conditions?.ready)) ? true : undefined;
  }, 90000);
}

test.after(async () => { await cleanup(e); });

test('resource-match pass: containers matched by name, predicates', async () => {
  const [r] = await check(e, [{ id: 'm', kind: 'resource-match', resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns },
    match: { spec: { replicas: { $gte: 1 }, template: { spec: { containers: [{ name: 'app', image: { $regex: '^busybox:' }, ports: [{ name: 'http', containerPort: 8080 }] }] } } } } }]);
  assert.is(r.status, 'pass', r.message.en);
  console.log(`    resource-match pass: ${r.durationMs} ms`);
});

test('resource-match fail: path, expected, found (ko/en); absent', async () => {
  const [r, gone, there] = await check(e, [
    { id: 'm', kind: 'resource-match', resource: { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: ns }, match: { spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 8080 }] } } },
    { id: 'a', kind: 'resource-match', resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'legacy', namespace: ns }, absent: true },
    { id: 'b', kind: 'resource-match', resource: { apiVersion: 'v1', kind: 'Service', name: 'typo', namespace: ns }, absent: true },
  ], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, `v1/Service/${ns}/web`);
  assert.match(r.message.en, 'spec.type: expected "ClusterIP", found "NodePort"');
  assert.match(r.message.en, 'spec.ports[name=http].port: expected 8080, found 80');
  assert.match(r.message.ko, 'spec.type: 기대 "ClusterIP", 실제 "NodePort"');
  assert.is(gone.status, 'pass');
  assert.is(there.status, 'fail');
  assert.match(there.message.en, 'must not exist, but it does (typo)');
  console.log(`    resource-match fail: ${r.durationMs} ms`);
});

test('resource-match: an unknown kind is a fail that says so', async () => {
  const [r] = await check(e, [{ id: 'u', kind: 'resource-match', resource: { apiVersion: 'argoproj.io/v1alpha9', kind: 'Nothing', name: 'x' }, match: { a: 1 } }], { timeoutMs: 0 });
  assert.is(r.status, 'fail', r.message.en);
  assert.match(r.message.en, 'the cluster does not know kind Nothing');
});

test('service pass: NodePort in range, ready endpoints, Ingress host/path → backend', async () => {
  const [r] = await check(e, [{ id: 's', kind: 'service', service: 'web', namespace: ns, type: 'NodePort', nodePort: true, port: 80, ingress: { host: 'user.example.com', path: '/photos' } }]);
  assert.is(r.status, 'pass', r.message.en);
  assert.match(r.message.en, 'Ingress routes: user.example.com/photos → web:80 ✓');
  console.log(`    service pass: ${r.durationMs} ms`);
});

test('service fail: selector matches no pods; Ingress sends the path elsewhere (ko/en)', async () => {
  const [r] = await check(e, [{ id: 's', kind: 'service', service: 'typo', namespace: ns, type: 'NodePort' }], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'type: expected NodePort, found ClusterIP');
  assert.match(r.message.en, '0 ready endpoint(s)');
  assert.match(r.message.en, 'The selector app=wbe matches no pods (labels of pods here: app=web)');
  assert.match(r.message.ko, 'selector app=wbe에 맞는 파드가 없습니다');
  const [i] = await check(e, [{ id: 'i', kind: 'service', service: 'web', namespace: ns, ingress: { host: 'payment.example.com', path: '/music/top' } }], { timeoutMs: 0 });
  assert.is(i.status, 'fail');
  assert.match(i.message.en, 'Ingress routes sends payment.example.com/music/top to Service typo, not web');
  const [n] = await check(e, [{ id: 'n', kind: 'service', service: 'web', namespace: ns, ingress: { host: 'shop.example.com' } }], { timeoutMs: 0 });
  assert.match(n.message.en, 'No Ingress rule takes shop.example.com/ (hosts: user.example.com, payment.example.com)');
  console.log(`    service fail: ${r.durationMs} ms`);
});

test('service reach through the API server proxy (real pods), else skip naming why', async () => {
  const [r] = await check(e, [{ id: 'r', kind: 'service', service: 'web', namespace: ns, reach: { path: '/', contains: 'hello-klab' } }], { timeoutMs: 10000 });
  if (!e.caps.realPods) { assert.is(r.status, 'skip'); assert.match(r.message.en, 'no really running pods'); return; }
  assert.is(r.status, 'pass', r.message.en);
  assert.match(r.message.en, 'Reached / through the API server proxy');
  const [bad] = await check(e, [{ id: 'r2', kind: 'service', service: 'web', namespace: ns, reach: { path: '/', contains: 'goodbye' } }], { timeoutMs: 0 });
  assert.is(bad.status, 'fail');
  assert.match(bad.message.en, 'The response does not contain "goodbye"');
});

test('answer pass/fail (normalised, never reveals), ko', async () => {
  const spec = { id: 'q', kind: 'answer', question: { ko: '크래시하는 파드가 출력하는 토큰은?', en: 'Which token does the crashing pod print?' }, expect: '{token}' };
  const [ok] = await check(e, [spec], { params: { token: 'token-7F3A' }, answers: { q: '  "token-7f3a" ' } });
  assert.is(ok.status, 'pass');
  const [bad] = await check(e, [spec], { params: { token: 'token-7F3A' }, answers: { q: 'token-0000' }, lang: 'ko' });
  assert.is(bad.status, 'fail');
  assert.match(bad.message.ko, '답 "token-0000"은(는) 맞지 않습니다');
  assert.not.match(JSON.stringify(bad).toLowerCase(), 'token-7f3a');
});

test('RBAC: a forbidden read is `error` naming the verb, resource and namespace — not a fail', async () => {
  await e.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'nobody' } } });
  const tok = await e.core.createNamespacedServiceAccountToken({ name: 'nobody', namespace: ns, body: { spec: { audiences: [], expirationSeconds: 600 } } as any });
  const cluster = e.kc.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [cluster], users: [{ name: 'nobody', token: tok.status!.token }], contexts: [{ name: 'n', cluster: cluster.name, user: 'nobody' }], currentContext: 'n' });
  const r = await runChecks([checkFromSpec({ id: 'p', kind: 'pod-status', namespace: ns })], {
    kc, lang: 'en', namespace: ns, params: {}, capabilities: e.caps, answers: {}, lab: 'itest', seed: 's', defaultTimeoutMs: 3000,
  });
  assert.not.ok(r.unreachable);
  assert.is(r.checks[0].status, 'error');
  assert.match(r.checks[0].message.en, `Permission denied (403): user system:serviceaccount:${ns}:nobody may not 'list' 'pods' in namespace ${ns}`);
  assert.match(r.checks[0].message.ko, "'pods'에 대한 'list' 권한이 없습니다");
  assert.ok(r.checks[0].durationMs < 2000, 'no polling on a permission error');
});

test.run();
