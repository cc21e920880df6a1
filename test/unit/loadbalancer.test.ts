// The LoadBalancer pieces without a cluster: the seeded pool address (`{lbaddr}`: stable per seed, in the upper half
// of the provider's block, never its broadcast address, spread so trainees sharing a cluster do not collide), the
// pool selection MetalLB applies (its own namespace only, serviceAllocation, autoAssign), the local provider's range
// on its bridge (the `ip` calls), and the check specs that use them. The live path (MetalLB assigning, kube-proxy
// answering) is in lab s1's tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lbAddress } from '../../labs/_engine/load.js';
import { poolsFor, externalAddress, poolAddressValid } from '../../checkers/service.js';
import { addressRangeOnBridge, LB_RANGE } from '../../cluster/local/metallb.js';
import { validateCheckSpecs } from '../../checkers/kinds.js';

const toInt = (a: string) => a.split('.').map(Number).reduce((n, o) => n * 256 + o, 0);

test('lbAddress: stable per seed, different across seeds, in the upper half of the block, never the broadcast', () => {
  assert.is(lbAddress(LB_RANGE, 's1:kim'), lbAddress(LB_RANGE, 's1:kim'));
  assert.is.not(lbAddress(LB_RANGE, 's1:kim'), lbAddress(LB_RANGE, 's1:lee'));
  for (const range of [LB_RANGE, '172.18.0.0/16', '10.89.0.0/24', '192.168.49.0/28']) {
    const [net, bits] = range.split('/');
    const size = 2 ** (32 - Number(bits));
    for (let i = 0; i < 300; i++) {
      const a = lbAddress(range, `seed-${i}`)!;
      const off = toInt(a) - toInt(net!);
      assert.ok(off >= size / 2 && off < size - 1, `${range}: ${a} (offset ${off}) in the upper half, not the broadcast`);
    }
  }
  // A host address inside the block (kind reports the subnet; a typo'd host part is masked).
  assert.is(lbAddress('172.18.3.7/16', 'x')?.startsWith('172.18.'), true);
});

test('lbAddress: 200 trainees on one /16 do not collide (MetalLB refuses overlapping pools)', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(lbAddress(LB_RANGE, `s1:trainee-${i}`)!);
  assert.is(seen.size, 200);
});

test('lbAddress: ranges it cannot use give undefined (no {lbaddr}), never a wrong address', () => {
  for (const r of ['', 'fc00:f853:ccd:e793::/64', '10.0.0.0/30', '10.0.0.0/4', '300.1.1.1/16', 'kind']) assert.is(lbAddress(r, 'x'), undefined, r);
});

test('poolsFor: MetalLB serves a namespace from pools in its own namespace that allow it', () => {
  const pool = (name: string, ns: string, spec: object = {}) => ({ metadata: { name, namespace: ns }, spec: { addresses: ['198.18.200.1/32'], ...spec } });
  const r = poolsFor([
    pool('all', 'metallb-system'),
    pool('mine', 'metallb-system', { serviceAllocation: { namespaces: ['s1-abc'] } }),
    pool('theirs', 'metallb-system', { serviceAllocation: { namespaces: ['s1-xyz'] } }),
    pool('manual', 'metallb-system', { autoAssign: false }),
    pool('lost', 's1-abc'),
    pool('bylabel', 'metallb-system', { serviceAllocation: { namespaceSelectors: [{ matchLabels: { 'kubernetes.io/metadata.name': 's1-abc' } }] } }),
    pool('otherlabel', 'metallb-system', { serviceAllocation: { namespaceSelectors: [{ matchLabels: { 'kubernetes.io/metadata.name': 's1-alt' } }] } }),
    pool('byexpr', 'metallb-system', { serviceAllocation: { namespaceSelectors: [{ matchExpressions: [{ key: 'klab.dev/lab', operator: 'In', values: ['s1'] }] }] } }),
    pool('forweb', 'metallb-system', { serviceAllocation: { serviceSelectors: [{ matchLabels: { app: 'web' } }] } }),
  ], 's1-abc', 'metallb-system', { 'kubernetes.io/metadata.name': 's1-abc', 'klab.dev/lab': 's1' }, { app: 'photo' });
  assert.equal(r.serving.map((p) => p.metadata?.name), ['all', 'mine', 'bylabel', 'byexpr']);
  assert.equal(r.others.map((p) => p.metadata?.name), ['theirs', 'manual', 'otherlabel', 'forweb']);
  assert.equal(r.elsewhere.map((p) => p.metadata?.name), ['lost']);
});

test('poolAddressValid: CIDRs and ranges MetalLB reads; a missing value or a typo is told apart', () => {
  for (const a of ['198.18.200.7/32', '172.18.255.200-172.18.255.250', '198.18.200.7 - 198.18.200.7', 'fc00::/120']) assert.ok(poolAddressValid(a), a);
  for (const a of ['undefined/32', '{lbaddr}/32', '198.18.200.7', '198.18.300.1/32', '198.18.0.0/33', '1.2.3.4-']) assert.not.ok(poolAddressValid(a), a);
});

test('externalAddress: the IP, else the hostname (EKS), else nothing (<pending>)', () => {
  assert.is(externalAddress({ status: { loadBalancer: { ingress: [{ ip: '198.18.200.9' }] } } }), '198.18.200.9');
  assert.is(externalAddress({ status: { loadBalancer: { ingress: [{ hostname: 'k8s-x.elb.amazonaws.com' }] } } }), 'k8s-x.elb.amazonaws.com');
  assert.is(externalAddress({ status: { loadBalancer: {} } }), undefined);
});

test('addressRangeOnBridge: the block routed to the bridge (never an address on it: CNI refuses a second one), idempotent (replace); a refusal is a clear error', async () => {
  const calls: string[] = [];
  await addressRangeOnBridge(async (a) => { calls.push(a.join(' ')); return { code: 0, stderr: '' }; });
  assert.ok(calls.some((c) => c === `route replace ${LB_RANGE} dev klab0`), calls.join('\n'));
  assert.not.ok(calls.some((c) => c.startsWith('addr')), calls.join('\n'));
  try {
    await addressRangeOnBridge(async (a) => (a[0] === 'route' ? { code: 2, stderr: 'RTNETLINK answers: Operation not permitted\n' } : { code: 0, stderr: '' }));
    assert.unreachable('must throw');
  } catch (e) {
    assert.match((e as Error).message, /Cannot put the LoadBalancer address range 198\.18\.0\.0\/16 on bridge klab0: RTNETLINK answers: Operation not permitted/);
  }
});

test('check specs: service external and http-route loadBalancer are valid; a second target or a bad one is refused', () => {
  const ok = validateCheckSpecs([
    { id: 'a', kind: 'service', service: 'photo-lb', type: 'LoadBalancer', external: true },
    { id: 'b', kind: 'http-route', loadBalancer: { service: 'photo-lb' }, requests: [{ path: '/', expect: 'photo' }] },
  ] as never);
  assert.equal(ok, []);
  const bad = validateCheckSpecs([
    { id: 'c', kind: 'http-route', loadBalancer: { service: 'x' }, nodePort: { service: 'x' }, requests: [{ path: '/', expect: 'x' }] },
    { id: 'd', kind: 'service', service: 'x', external: 'yes' },
  ] as never);
  assert.is(bad.length >= 2, true, JSON.stringify(bad));
});

test.run();
