// The http-route check kind without a cluster: the verdict on every kind of answer (right backend, wrong backend,
// the controller's 404, 502/503, no answer, something else) with its diagnosis, the certificate comparison, and the
// network part (`send`) against tiny local servers that stall, reset or refuse (and one TLS server, for SNI and the
// certificate it presents). The live pass/fail through a real Ingress controller is in lab s1's tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judge, sameCert, send, backendOf, ingressAddress, type Answer } from '../../checkers/http-route.js';
import { acceptAndStall, slowDrip } from './_servers.js';
import { tempDir } from './_cli.js';

const req = { host: 'media.x.example.com', path: '/music/songs', expect: 'music' };

test('judge: the expected backend answered → pass, naming it', () => {
  const v = judge(req, { status: 200, body: 'music k3x9\nhost=media.x.example.com\npath=/music/songs\n' });
  assert.ok(v.ok);
  assert.is(v.answeredBy, 'music');
  assert.match(v.reason.en, /http:\/\/media\.x\.example\.com\/music\/songs → music ✓/);
});

test('judge: another backend answered → settled fail saying which', () => {
  const v = judge(req, { status: 200, body: 'photo\nhost=…' });
  assert.not.ok(v.ok);
  assert.not.ok(v.transient);
  assert.is(v.answeredBy, 'photo');
  assert.match(v.reason.en, /photo answered \(expected music\)/);
  assert.match(v.reason.ko, /photo가 답했습니다 \(기대: music\)/);
});

test("judge: the controller's own 404 → no rule matched", () => {
  const v = judge(req, { status: 404, body: '404 page not found\n' });
  assert.not.ok(v.ok);
  assert.match(v.reason.en, /the Ingress controller answered 404 — no rule matches this host\/path \(expected music\)/);
  assert.match(v.reason.ko, /이 호스트\/경로에 맞는 규칙이 없습니다/);
});

test('judge: 502/503 → a rule matched, no ready backend', () => {
  for (const s of [502, 503]) {
    const v = judge(req, { status: s, body: 'Service Unavailable' });
    assert.not.ok(v.ok);
    assert.ok(v.transient, 'pods may still be coming');
    assert.match(v.reason.en, new RegExp(`HTTP ${s} — a rule matched but the Service behind it has no ready pod`));
  }
});

test('judge: no answer, and an answer that names nobody', () => {
  assert.match(judge(req, { error: 'ECONNRESET' }).reason.en, /no answer \(ECONNRESET\)/);
  const odd = judge(req, { status: 401, body: 'Unauthorized' });
  assert.not.ok(odd.ok);
  assert.match(odd.reason.en, /HTTP 401 "Unauthorized" \(expected an answer from music\)/);
  // A 404 from the backend itself is not the controller's "no rule".
  assert.not.match(judge(req, { status: 404, body: 'music: no such song' }).reason.en, /no rule matches/);
});

test('backendOf and ingressAddress', () => {
  assert.is(backendOf('  user  abc\nhost=x'), 'user');
  assert.is(backendOf(''), undefined);
  assert.is(ingressAddress({ status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } }), '127.0.0.1');
  assert.is(ingressAddress({ status: { loadBalancer: { ingress: [{ hostname: 'k8s-x.elb.amazonaws.com' }] } } }), 'k8s-x.elb.amazonaws.com');
  assert.is(ingressAddress({ status: { loadBalancer: {} } }), undefined);
});

function selfSigned(cn: string): { key: string; cert: string } {
  const d = tempDir('klab-route-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', join(d, 'k'), '-out', join(d, 'c'), '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`], { stdio: 'ignore' });
  return { key: readFileSync(join(d, 'k'), 'utf8'), cert: readFileSync(join(d, 'c'), 'utf8') };
}

test('send over TLS: SNI is the host, the presented certificate is captured; sameCert compares it with a Secret\'s', async () => {
  const a = selfSigned('user.x.example.com');
  const b = selfSigned('other.example.com');
  let sni: string | undefined;
  const srv = https.createServer({ key: a.key, cert: a.cert, SNICallback: (name, cb) => { sni = name; cb(null); } }, (r, res) => { res.end(`user k\nhost=${r.headers.host}\npath=${r.url}\n`); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (srv.address() as net.AddressInfo).port;
    const ans = await send('127.0.0.1', port, { host: 'user.x.example.com', path: '/p', https: true, expect: 'user' });
    assert.is(ans.status, 200, ans.error);
    assert.match(ans.body!, /host=user\.x\.example\.com\npath=\/p/);
    assert.is(sni, 'user.x.example.com');
    assert.is(ans.cert?.subject, 'user.x.example.com');
    assert.ok(sameCert(ans.cert, a.cert).same);
    assert.not.ok(sameCert(ans.cert, b.cert).same, 'another certificate');
    assert.not.ok(sameCert(ans.cert, undefined).same, 'no Secret');
    assert.not.ok(sameCert(ans.cert, 'not a pem').same, 'garbage');
  } finally { srv.close(); }
});

test('send never hangs and never throws: a stalled server times out, a reset and a refused port are named', async () => {
  const stall = await acceptAndStall();
  try {
    const port = Number(new URL(stall.url).port);
    const t0 = Date.now();
    const a: Answer = await send('127.0.0.1', port, { path: '/', expect: 'x' }, 300);
    assert.is(a.error, 'timeout 300ms');
    assert.ok(Date.now() - t0 < 2000);
  } finally { await stall.close(); }
  const drip = await slowDrip();
  try {
    const a = await send('127.0.0.1', Number(new URL(drip.url).port), { path: '/', expect: 'x' }, 300);
    assert.is(a.error, 'timeout 300ms', 'a body that never ends');
  } finally { await drip.close(); }
  const reset = net.createServer((s) => s.resetAndDestroy());
  await new Promise<void>((r) => reset.listen(0, '127.0.0.1', () => r()));
  try {
    const a = await send('127.0.0.1', (reset.address() as net.AddressInfo).port, { path: '/', expect: 'x' }, 2000);
    assert.is(a.error, 'ECONNRESET');
  } finally { reset.close(); }
  const free = net.createServer();
  const port = await new Promise<number>((r) => free.listen(0, '127.0.0.1', () => r((free.address() as net.AddressInfo).port)));
  await new Promise<void>((r) => free.close(() => r()));
  assert.is((await send('127.0.0.1', port, { path: '/', expect: 'x' }, 2000)).error, 'ECONNREFUSED');
});

test.run();
