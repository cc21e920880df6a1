// registry-image: the registry HTTP API v2 conversation against a small in-process registry (tag found with its
// digest; tag absent → the repository's tags; repository absent → the catalogue; credentials from docker login;
// none → an error, never a verdict), and the pod side judged on recorded pod objects (imageID digests).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { parseImageRef, registryBase, lookupTag, digestOf, podVerdicts, dockerAuth } from '../../checkers/registry-image.js';
import { CheckError } from '../../checkers/types.js';

const D1 = 'sha256:' + 'a'.repeat(64);
const D2 = 'sha256:' + 'b'.repeat(64);

/** A registry with dodo:0.1 (D1); optionally wanting Basic credentials u:p. */
function registry(auth = false): Promise<{ host: string; close(): void; seen: string[] }> {
  const seen: string[] = [];
  const srv = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (auth && req.headers.authorization !== `Basic ${Buffer.from('u:p').toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }); res.end(); return;
    }
    if (req.url === '/v2/dodo/manifests/0.1') { res.writeHead(200, { 'docker-content-digest': D1, 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' }); res.end(); return; }
    if (req.url === '/v2/dodo/tags/list') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ name: 'dodo', tags: ['0.1', 'latest'] })); return; }
    if (req.url?.startsWith('/v2/_catalog')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ repositories: ['dodo', 'klab/django-sample'] })); return; }
    res.writeHead(404, { 'content-type': 'application/json' }); res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }));
  });
  return new Promise((r) => srv.listen(0, '127.0.0.1', () => r({ host: `127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => srv.close(), seen })));
}

test('image references and registry URLs', () => {
  assert.equal(parseImageRef('localhost:5000/dodo-helm-tutorial:ab12'), { host: 'localhost:5000', repo: 'dodo-helm-tutorial', tag: 'ab12' });
  assert.equal(parseImageRef('123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/team/dodo:1.0'), { host: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com', repo: 'team/dodo', tag: '1.0' });
  assert.equal(parseImageRef('localhost:5001/dodo'), { host: 'localhost:5001', repo: 'dodo', tag: 'latest' });
  assert.is(parseImageRef('dodo:1.0'), null, 'no registry host');
  assert.is(parseImageRef('library/dodo:1.0'), null, 'a Docker Hub path is not a registry host');
  assert.is(registryBase('localhost:5001'), 'http://localhost:5001');
  assert.is(registryBase('127.0.0.1:5000'), 'http://127.0.0.1:5000');
  assert.is(registryBase('1.dkr.ecr.us-east-1.amazonaws.com'), 'https://1.dkr.ecr.us-east-1.amazonaws.com');
  assert.is(digestOf(`localhost:5000/dodo@${D1}`), D1);
  assert.is(digestOf(`docker-pullable://x/y@${D2}`), D2);
  assert.is(digestOf('sha256:abc'), undefined);
});

test('lookup: found with digest; tag absent lists tags; repository absent lists the catalogue', async () => {
  const r = await registry();
  try {
    assert.equal(await lookupTag(parseImageRef(`${r.host}/dodo:0.1`)!), { found: true, digest: D1 });
    assert.equal(await lookupTag(parseImageRef(`${r.host}/dodo:0.2`)!), { found: false, tags: ['0.1', 'latest'], repos: null });
    assert.equal(await lookupTag(parseImageRef(`${r.host}/dood:0.1`)!), { found: false, tags: null, repos: ['dodo', 'klab/django-sample'] });
    assert.ok(r.seen.includes('HEAD /v2/dodo/manifests/0.1'));
  } finally { r.close(); }
});

test('credentials: Basic from docker login; without them an error (klab cannot tell), not a fail', async () => {
  const r = await registry(true);
  const cfg = mkdtempSync(join(tmpdir(), 'klab-docker-'));
  const before = process.env.DOCKER_CONFIG;
  try {
    process.env.DOCKER_CONFIG = cfg;
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ auths: {} }));
    const e = await lookupTag(parseImageRef(`${r.host}/dodo:0.1`)!).then(() => null, (x) => x);
    assert.instance(e, CheckError);
    assert.match((e as CheckError).text.en, 'docker login');
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ auths: { [`http://${r.host}`]: { auth: Buffer.from('u:p').toString('base64') } } }));
    assert.is(dockerAuth(r.host), `Basic ${Buffer.from('u:p').toString('base64')}`);
    assert.equal(await lookupTag(parseImageRef(`${r.host}/dodo:0.1`)!), { found: true, digest: D1 });
  } finally {
    if (before === undefined) delete process.env.DOCKER_CONFIG; else process.env.DOCKER_CONFIG = before;
    r.close();
  }
});

test('an unreachable registry is an error naming it', async () => {
  const e = await lookupTag(parseImageRef('127.0.0.1:9/dodo:0.1')!).then(() => null, (x) => x);
  assert.instance(e, CheckError);
  assert.match((e as CheckError).text.en, 'Cannot reach the registry http://127.0.0.1:9');
});

const pod = (name: string, image: string, imageID: string, waiting?: { reason: string; message: string }): V1Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'web', image }] },
  status: waiting
    ? { phase: 'Pending', containerStatuses: [{ name: 'web', image, imageID: '', ready: false, restartCount: 0, state: { waiting } }] }
    : { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'web', image, imageID, ready: true, restartCount: 0, state: { running: {} } }] },
});

test('pods: the exact digest passes; an older digest under the same tag and an image typo fail with their diagnosis', () => {
  const ref = parseImageRef('localhost:5000/dodo:0.1')!;
  const ok = podVerdicts([pod('a', 'localhost:5000/dodo:0.1', `localhost:5000/dodo@${D1}`)], ref, D1);
  assert.equal(ok.bad, []);
  assert.equal(ok.observed, [{ pod: 'a', container: 'web', image: 'localhost:5000/dodo:0.1', digest: D1 }]);
  const stale = podVerdicts([pod('a', 'localhost:5000/dodo:0.1', `localhost:5000/dodo@${D2}`)], ref, D1);
  assert.match(stale.bad[0].en, 'Pod a does not run localhost:5000/dodo:0.1 from the registry (sha256:aaaaaaaaaaaa)');
  assert.match(stale.hints[0].en, 'Pushed again under the same tag');
  const other = podVerdicts([pod('a', 'busybox:1.35', `docker.io/library/busybox@${D2}`)], ref, D1);
  assert.match(other.hints[0].en, 'image.repository / image.tag');
  const typo = podVerdicts([pod('a', 'localhost:5000/dood:0.1', '', { reason: 'ImagePullBackOff', message: 'Back-off pulling image "localhost:5000/dood:0.1"' })], ref, D1);
  assert.match(typo.bad[0].en, 'cannot pull image `localhost:5000/dood:0.1` (ImagePullBackOff)');
  assert.equal(typo.unhealthy, ['a']);
});

test.run();
