// Lab s1 (Service types and Ingress) end to end through the CLI against the live test cluster and its real Ingress
// controller (Traefik: a host process on `local`, a pod on kind): the starting state fails fast with the expected
// diagnoses, the reference solution scores the maximum (real requests with Host headers, paths and SNI reach the right
// echo app, the TLS certificate is the Secret's, a burst gets 429s, the HTTPRoutes are accepted), the Ingresses got the
// controller's address, two diagnoses no mistake file reaches (a detached middleware; a Gateway listener on a port no
// entry point has), and reset leaves nothing.
// Mistakes and alternatives run in the generic harnesses (lab-mistakes / lab-alternatives; KLAB_TEST_LABS=s1).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { trainee, timings, paramsOf, answerAll, leftovers } from './_labs.js';
import { testCluster, testKubeConfig } from './_env.js';
import { skipTest } from '../skip.js';
import { answers } from '../../labs/s1/solution.js';
import { loadLab } from '../../labs/_engine/load.js';
import { execFileSync } from 'node:child_process';

const LAB = 's1';
const t = suite(`lab ${LAB}`);
const { figures, timed } = timings();
const t0 = Date.now();

const missing = () => {
  const c = testCluster().capabilities;
  return !c.realPods ? 'no real node on this cluster' : !c.ingress ? 'no Ingress controller on this cluster' : !testCluster().lbRange ? 'no LoadBalancer address block on this cluster' : undefined;
};

t('before any work the checks fail at once with their diagnoses; the reference solution scores the maximum; reset leaves nothing', async () => {
  if (missing()) return skipTest(missing()!);
  const tr = trainee('s1-solve');
  const p = await paramsOf(LAB, tr.seed);
  const lab = await loadLab(LAB);
  const st = timed('start', () => tr.klab('start', LAB, '--no-guide'));
  assert.is(st.code, 0, st.stderr + st.stdout);
  try {
    const s0 = Date.now();
    const r0 = tr.checkJson(LAB);
    const firstCheckMs = Date.now() - s0;
    figures.push(`check before work: ${(firstCheckMs / 1000).toFixed(1)}s`);
    assert.is(r0.code, 1, r0.stderr);
    const by = (id: string) => r0.json!.checks.find((c) => c.id === id)!;
    assert.is(by('music-service').status, 'fail');
    assert.match(by('music-service').message, /Service s1-[a-z0-9]+\/music does not exist/);
    assert.match(by('music-code').message, /Not answered yet/);
    assert.match(by('nodeport-type').message, /music-nodeport does not exist/);
    assert.is(by('nodeport-reach').status, 'skip', 'gated by nodeport-type');
    assert.is(by('paths-route').status, 'skip', 'gated by music-service');
    assert.match(by('hosts-route').message, /Ingress s1-[a-z0-9]+\/accounts does not exist/);
    assert.is(by('tls-route').status, 'skip', 'gated by hosts-route');
    assert.match(by('ratelimit-route').message, /Ingress s1-[a-z0-9]+\/api does not exist/);
    assert.match(by('gateway-accepted').message, /HTTPRoute s1-[a-z0-9]+\/user does not exist \(HTTPRoutes here: -\)/);
    assert.is(by('gateway-route').status, 'skip', 'gated by gateway-accepted');
    assert.match(by('lb-service').message, /Service s1-[a-z0-9]+\/photo-lb does not exist/);
    assert.is(by('lb-reach').status, 'skip', 'gated by lb-service');
    assert.match(by('lb-l2').message, /L2Advertisement metallb-system\/s1-[a-z0-9]+: not found/);

    // The LoadBalancer before the pool: <pending>, and why (no pool serves this namespace), settled at once.
    const k8s = await import('@kubernetes/client-node');
    const kc = await testKubeConfig();
    await kc.makeApiClient(k8s.CoreV1Api).createNamespacedService({ namespace: p.namespace!, body: {
      metadata: { name: 'photo-lb' }, spec: { type: 'LoadBalancer', selector: { app: 'photo' }, ports: [{ port: 80, targetPort: 'http' }] } } });
    await new Promise((r) => setTimeout(r, 9000)); // past the 8 s grace after the Service's creation
    const s1 = Date.now();
    const pend = tr.checkJson(LAB, '--step', String(lab.def.steps.findIndex((st) => st.id === 'loadbalancer') + 1));
    figures.push(`pending verdict: ${((Date.now() - s1) / 1000).toFixed(1)}s`);
    const lb = pend.json!.checks.find((c) => c.id === 'lb-service')!;
    assert.is(lb.status, 'fail', lb.message);
    assert.match(lb.message, /EXTERNAL-IP is <pending>: nothing has given Service photo-lb an external address/);
    assert.match(lb.message, /MetalLB has no IPAddressPool at all|none serves namespace s1-/);
    assert.ok(Date.now() - s1 < 20_000, `a settled fail comes fast (${Date.now() - s1} ms)`);
    await kc.makeApiClient(k8s.CoreV1Api).deleteNamespacedService({ namespace: p.namespace!, name: 'photo-lb' });

    const stepOfRate = String(lab.def.steps.findIndex((st) => st.id === 'ratelimit') + 1);
    const stepOfGw = String(lab.def.steps.findIndex((st) => st.id === 'gateway') + 1);
    const s = timed('solve', () => tr.klab('solve', LAB));
    assert.is(s.code, 0, s.stderr + s.stdout);
    answerAll(tr, LAB, await answers(p));
    const r = timed('check', () => tr.checkJson(LAB));
    for (const c of r.json!.checks) assert.is(c.status, 'pass', `${c.id}: ${c.message}`);
    assert.is(r.json!.score, r.json!.maxScore);
    assert.is(r.code, 0);
    const route = r.json!.checks.find((c) => c.id === 'tls-route')!;
    assert.match(route.message, /the certificate of Secret accounts-tls ✓/);
    assert.match(r.json!.checks.find((c) => c.id === 'lb-reach')!.message, new RegExp(`http://\\(address\\)/ → photo ✓`));
    assert.match(r.json!.checks.find((c) => c.id === 'lb-service')!.message, new RegExp(`EXTERNAL-IP ${p.lbaddr!.replace(/\./g, '\\.')} ✓`));
    // The controller wrote its address into the Ingresses (what `kubectl get ingress` shows as ADDRESS).
    const net = kc.makeApiClient(k8s.NetworkingV1Api);
    const ing = await net.readNamespacedIngress({ name: 'media', namespace: p.namespace! });
    assert.ok(ing.status?.loadBalancer?.ingress?.[0]?.ip || ing.status?.loadBalancer?.ingress?.[0]?.hostname, 'an address');
    const msg = (id: string) => r.json!.checks.find((c) => c.id === id)!.message;
    assert.match(msg('ratelimit-route'), /normal rate \(4 requests 500 ms apart\) → all payment, no 429 ✓/);
    assert.match(msg('ratelimit-route'), /30 at once → \d+ from payment, \d+ × 429 ✓/);
    assert.match(msg('gateway-accepted'), /HTTPRoute payment: Accepted, ResolvedRefs ✓/);
    assert.match(msg('gateway-route'), /user\.gw\.[a-z0-9]+\.example\.com\/payment → user ✓/);

    // Diagnoses no mistake file reaches (each a state a trainee can be in after the right work):
    const k = (...a: string[]) => execFileSync('kubectl', ['--kubeconfig', tr.info.kubeconfig, '--context', tr.info.context, '-n', p.namespace!, ...a], { encoding: 'utf8' });
    // The middleware detached (annotation removed): no 429 at all, and the check says how to attach it.
    k('annotate', 'ingress', 'api', 'traefik.ingress.kubernetes.io/router.middlewares-');
    const detached = timed('check ratelimit detached', () => tr.checkJson(LAB, '--step', stepOfRate));
    const rl = detached.json!.checks.find((c) => c.id === 'ratelimit-route')!;
    assert.is(rl.status, 'fail', rl.message);
    assert.match(rl.message, /not one got 429 — no rate limit applies to this route/);
    assert.match(rl.message, /Ingress api has no annotation traefik\.ingress\.kubernetes\.io\/router\.middlewares/);
    assert.match(rl.message, new RegExp(`here ${p.namespace}-ratelimit@kubernetescrd`));
    // The Gateway's listener on a port no entry point has: the routes are not accepted, and the Gateway says why.
    k('patch', 'gateway', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/listeners/0/port","value":8000}]');
    const moved = timed('check gateway port 8000', () => tr.checkJson(LAB, '--step', stepOfGw));
    const acc = moved.json!.checks.find((c) => c.id === 'gateway-accepted')!;
    assert.is(acc.status, 'fail', acc.message);
    assert.match(acc.message, /PortUnavailable/);
    assert.match(acc.message, /8000/);
    assert.is(moved.json!.checks.find((c) => c.id === 'gateway-route')!.status, 'skip');
  } finally {
    assert.is(tr.klab('reset', LAB).code, 0);
  }
  assert.equal(await leftovers(LAB, tr.seed), []);
  // The trainee's MetalLB pool and advertisement (outside the lab namespace) went with the reset.
  const k8s = await import('@kubernetes/client-node');
  const custom = (await testKubeConfig()).makeApiClient(k8s.CustomObjectsApi);
  for (const plural of ['ipaddresspools', 'l2advertisements']) {
    const l = await custom.listNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: 'metallb-system', plural }) as { items: { metadata: { name: string } }[] };
    assert.ok(!l.items.some((x) => x.metadata.name === p.namespace), `${plural}/${p.namespace} left after reset`);
  }
});

t.after(() => { console.log(`  ${LAB}: ${figures.join(' · ')} · file total ${((Date.now() - t0) / 1000).toFixed(1)}s`); });

t.run();
