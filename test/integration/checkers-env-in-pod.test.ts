// env-in-pod against the live cluster: exec into a real container where the cluster can, the spec otherwise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { env, namespace, cleanup, apply, until, check, nodeKinds, busybox } from './_checkers.js';
import type { Env } from './_checkers.js';

let e: Env;
let ns = '';
let real: string | undefined;
let sim: string | undefined;
const b64 = (s: string) => Buffer.from(s).toString('base64');

function deployment(name: string, node: string | undefined, extra: Record<string, unknown>) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: busybox(node, extra) } },
  };
}

async function podOf(app: string, pred: (p: any) => boolean) {
  return until(`pod of ${app}`, async () => {
    const l = await e.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` });
    return l.items.find(pred);
  }, 90000);
}
const running = (p: any) => !!p.status?.containerStatuses?.[0]?.state?.running;

test.before(async () => { try { await setup(); } catch (err) { console.error("setup failed:", err); throw err; } });
async function setup() {
  e = await env();
  ns = await namespace(e, 'env');
  const k = await nodeKinds(e);
  real = e.caps.exec ? k.real[0] : undefined;
  sim = k.simulated[0];
  await apply(e,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'good-secrets', namespace: ns }, stringData: { TOKEN: '가나다' } } as any,
    // the notes' case: `echo 가나다 | base64` → 6rCA64KY64ukCg== (with the newline echo adds)
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'nl-secrets', namespace: ns }, data: { TOKEN: '6rCA64KY64ukCg==' } } as any,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b64-secrets', namespace: ns }, data: { TOKEN: b64(b64('가나다')) } } as any,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'old-secrets', namespace: ns }, stringData: { TOKEN: 'old' } } as any,
  );
  const ref = (secret: string) => ({ env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: secret, key: 'TOKEN' } } }] });
  await apply(e,
    deployment('good', real ?? sim, { envFrom: [{ secretRef: { name: 'good-secrets' } }] }) as any,
    deployment('newline', real ?? sim, ref('nl-secrets')) as any,
    deployment('double', real ?? sim, ref('b64-secrets')) as any,
    deployment('stale', real ?? sim, ref('old-secrets')) as any,
    deployment('missing', real ?? sim, { envFrom: [{ secretRef: { name: 'a-secrets' } }] }) as any,
    // TOKEN on a sidecar instead of the checked container
    { ...deployment('wrongc', real ?? sim, {}), spec: { replicas: 1, selector: { matchLabels: { app: 'wrongc' } }, template: { metadata: { labels: { app: 'wrongc' } }, spec: { ...busybox(real ?? sim), containers: [
      busybox(real ?? sim).containers[0],
      { name: 'side', image: 'busybox:1.35', command: ['sh', '-c', 'sleep 3600'], env: [{ name: 'TOKEN', value: '가나다' }] },
    ] } } } } as any,
    ...(sim ? [deployment('simulated', sim, ref('good-secrets')) as any] : []),
  );
  for (const d of ['good', 'newline', 'double', 'stale', 'wrongc', ...(sim ? ['simulated'] : [])]) await podOf(d, running);
  // change the Secret after the pod started: the container keeps the old value
  await e.core.replaceNamespacedSecret({ name: 'old-secrets', namespace: ns, body: { metadata: { name: 'old-secrets', namespace: ns }, stringData: { TOKEN: '가나다' } } });
}

test.after(async () => { await cleanup(e); });

const spec = (id: string, deployment: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'env-in-pod', selector: { deployment, namespace: ns }, expect: { TOKEN: '가나다' }, ...extra });

test('pass: the value really is in the container (exec where possible)', async () => {
  const [r] = await check(e, [spec('good', 'good')]);
  assert.is(r.status, 'pass', r.message.en);
  assert.is(r.verifiedBy, real ? 'cluster' : 'spec');
  assert.match(r.message.en, 'all 1 pod(s) have TOKEN="가나다"');
  console.log(`    env-in-pod pass: ${r.durationMs} ms (${r.verifiedBy})`);
});

test('fail: Secret value ends with a newline → the 6rCA64KY64ukCg== diagnosis, ko and en', async () => {
  const [en] = await check(e, [spec('nl', 'newline')], { timeoutMs: 0 });
  assert.is(en.status, 'fail');
  assert.match(en.message.en, 'found "가나다\\n" (ends with a newline)');
  assert.match(en.message.en, 'The Secret nl-secrets stores 6rCA64KY64ukCg==');
  assert.match(en.hint!.en, 'echo -n');
  assert.match(en.hint!.en, `kubectl rollout restart deployment/newline -n ${ns}`);
  assert.match(en.message.ko, '끝에 줄바꿈이 있습니다');
  assert.match(en.message.ko, '6rCA64KY64ukCg==');
  assert.ok(en.evidence.some((x) => x.kind === 'field' && x.lines.some((l) => l.includes('TOKEN: expected'))));
  console.log(`    env-in-pod fail: ${en.durationMs} ms`);
});

test('fail: value base64-encoded twice', async () => {
  const [r] = await check(e, [spec('dbl', 'double')], { timeoutMs: 0, lang: 'ko' });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'base64-encoded twice');
  assert.match(r.message.ko, '두 번 인코딩');
  assert.match(r.hint!.en, 'stringData');
});

test('fail: Secret missing → CreateContainerConfigError with the create command', async () => {
  if (real) await podOf('missing', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
  const [r] = await check(e, [spec('miss', 'missing')], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'Secret `a-secrets` not found (referenced by envFrom');
  assert.match(r.hint!.en, `kubectl create secret generic a-secrets -n ${ns} --from-literal=KEY=…`);
  assert.match(r.message.ko, '`a-secrets`이(가) 없습니다');
});

test('fail: the pod started before the Secret changed → rollout restart (needs exec)', async () => {
  const [r] = await check(e, [spec('stale', 'stale')], { timeoutMs: 0 });
  if (!real) {
    // From the spec alone the new value is what the pod would read: say how it was verified.
    assert.is(r.status, 'pass');
    assert.is(r.verifiedBy, 'spec');
    return;
  }
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'started before that change');
  assert.match(r.message.en, 'found "old" inside the container');
  assert.match(r.hint!.en, 'kubectl rollout restart deployment/stale');
  assert.match(r.message.ko, '변경 전에 시작되었습니다');
});

test('fail: variable set on another container', async () => {
  const [r] = await check(e, [spec('wc', 'wrongc', { container: 'app' })], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, 'TOKEN is set on container side, not on container app (wrong container)');
  const [ok] = await check(e, [spec('wc2', 'wrongc', { container: 'side' })], { timeoutMs: 0 });
  assert.is(ok.status, 'pass', ok.message.en);
});

test('simulated node / no exec capability → verified from the spec, and the message says so', async () => {
  if (sim) {
    const [r] = await check(e, [spec('sim', 'simulated')], { timeoutMs: 0 });
    assert.is(r.status, 'pass', r.message.en);
    assert.is(r.verifiedBy, 'spec');
    assert.match(r.message.en, 'Verified from the pod spec and the Secret/ConfigMap values');
    assert.match(r.message.ko, '파드 스펙과 Secret/ConfigMap 값으로 확인했습니다');
  }
  const [r2] = await check(e, [spec('noexec', 'good')], { caps: { exec: false }, timeoutMs: 0 });
  assert.is(r2.status, 'pass');
  assert.is(r2.verifiedBy, 'spec');
  // and a wrong value is still caught from the spec
  const [r3] = await check(e, [spec('noexec-nl', 'newline')], { caps: { exec: false }, timeoutMs: 0 });
  assert.is(r3.status, 'fail');
  assert.is(r3.verifiedBy, 'spec');
  assert.match(r3.message.en, 'ends with a newline');
});

test('fail: no such Deployment names what exists', async () => {
  const [r] = await check(e, [spec('nodep', 'nope')], { timeoutMs: 0 });
  assert.is(r.status, 'fail');
  assert.match(r.message.en, `Deployment ${ns}/nope does not exist (Deployments in this namespace:`);
});

test.run();
