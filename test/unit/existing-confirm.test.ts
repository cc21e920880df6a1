// The existing provider refuses a foreign (non kind/local) context without confirmation, before it talks to it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createProvider, isLocalContext, confirmContext, loadContext } from '../../cluster/existing.js';
import { KlabError } from '../../i18n/index.js';
import type { Progress } from '../../cluster/provider.js';

const quiet: Progress = { phase() {}, done() {}, info() {} };

/** A TCP listener that only counts connections: proves whether the provider contacted the "cluster". */
async function counter(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const s = net.createServer((c) => { n++; c.destroy(); });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { port: (s.address() as net.AddressInfo).port, count: () => n, close: () => new Promise((r) => s.close(() => r())) };
}

function kubeconfig(server: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klab-kc-'));
  const file = path.join(dir, 'config');
  const ctx = (name: string) => ({ name, context: { cluster: 'c', user: 'u' } });
  writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'arn:aws:eks:ap-northeast-2:123456789012:cluster/A',
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: 'x' } }],
    contexts: [ctx('arn:aws:eks:ap-northeast-2:123456789012:cluster/A'), ctx('kind-klab'), ctx('klab-local'), ctx('minikube')],
  }));
  return file;
}

test('isLocalContext: kind-* and klab-local only', () => {
  assert.ok(isLocalContext('kind-klab'));
  assert.ok(isLocalContext('kind-other'));
  assert.ok(isLocalContext('klab-local'));
  assert.not.ok(isLocalContext('arn:aws:eks:ap-northeast-2:1:cluster/A'));
  assert.not.ok(isLocalContext('minikube'));
  assert.not.ok(isLocalContext('klab-local-2'));
});

test('foreign context, no TTY, no --yes → KlabError exit 2, and the cluster is never contacted', async () => {
  const c = await counter();
  try {
    const file = kubeconfig(`https://127.0.0.1:${c.port}`);
    for (const context of [undefined /* current = EKS arn */, 'minikube']) {
      const p = createProvider({ kubeconfig: file, context, interactive: false });
      try { await p.up({ progress: quiet }); assert.unreachable('must refuse'); } catch (e) {
        assert.instance(e, KlabError);
        assert.is((e as KlabError).exitCode, 2);
        assert.match((e as KlabError).text.en, /--yes/);
        assert.match((e as KlabError).text.ko, /--yes/);
      }
    }
    assert.is(c.count(), 0, 'no connection before confirmation');
    // The same refusal from the helper the CLI can call directly.
    try { await confirmContext('minikube', 'https://x', { interactive: false }); assert.unreachable(); } catch (e) { assert.is((e as KlabError).exitCode, 2); }
    await confirmContext('kind-klab', 'https://x', { interactive: false });
  } finally { await c.close(); }
});

test('foreign context with --yes goes on to the API server (unreachable → exit 3 naming the URL)', async () => {
  const c = await counter(); // accepts and closes: TLS handshake fails → unreachable
  try {
    const server = `https://127.0.0.1:${c.port}`;
    const p = createProvider({ kubeconfig: kubeconfig(server), yes: true });
    try { await p.up({ progress: quiet }); assert.unreachable(); } catch (e) {
      assert.instance(e, KlabError);
      assert.is((e as KlabError).exitCode, 3);
      assert.ok((e as KlabError).text.en.includes(server), (e as KlabError).text.en);
      assert.ok((e as KlabError).text.ko.includes(server));
    }
    assert.ok(c.count() >= 1, 'it did try the API server');
  } finally { await c.close(); }
});

test('kind-* context needs no confirmation: closed port → exit 3 with the URL', async () => {
  const c = await counter(); const port = c.port; await c.close(); // now nothing listens there
  const server = `https://127.0.0.1:${port}`;
  const p = createProvider({ kubeconfig: kubeconfig(server), context: 'kind-klab' });
  try { await p.up({ progress: quiet }); assert.unreachable(); } catch (e) {
    assert.is((e as KlabError).exitCode, 3);
    assert.ok((e as KlabError).text.en.includes(server));
  }
  assert.equal(p.capabilities().exec, false, 'no capability claimed without having seen the cluster');
});

test('unknown context and missing kubeconfig: exit 2 with a clear message', async () => {
  const file = kubeconfig('https://127.0.0.1:1');
  try { await loadContext({ kubeconfig: file, context: 'nope' }); assert.unreachable(); } catch (e) {
    assert.is((e as KlabError).exitCode, 2);
    assert.match((e as KlabError).text.en, /no context 'nope'.*kind-klab/s);
  }
  try { await loadContext({ kubeconfig: '/nonexistent/kubeconfig' }); assert.unreachable(); } catch (e) {
    assert.is((e as KlabError).exitCode, 2);
    assert.match((e as KlabError).text.en, /update-kubeconfig/);
  }
});

test('down deletes nothing and says so', async () => {
  const said: string[] = [];
  const p = createProvider({ kubeconfig: kubeconfig('https://127.0.0.1:1'), context: 'minikube' });
  await p.down({ progress: { phase() {}, done() {}, info(t) { said.push(t.en); } } });
  assert.is(said.length, 1);
  assert.match(said[0]!, /nothing to delete.*minikube/);
});

test.run();
