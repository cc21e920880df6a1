// Fault paths of the kind provider, driven through stand-in `docker`/`kind`/`kubectl` commands on PATH
// (small shell scripts that answer like the real tools in that situation and log every call):
// Docker missing / engine not running → exit 3; a `klab` kind cluster klab did not make → refuse to delete without
// --force; port 5001 taken → the message names the process holding it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createProvider } from '../../cluster/kind.js';
import { KlabError } from '../../i18n/index.js';
import type { Progress } from '../../cluster/provider.js';

const quiet: Progress = { phase() {}, done() {}, info() {} };

interface World { dockerInfo: 'ok' | 'down'; clusters: string; nodeMarker: string; registry: 'absent' | 'ours' }

/** A PATH dir with stand-in tools answering per `world`; every call is appended to calls.log. */
function tools(w: World): { dir: string; calls: () => string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klab-shim-'));
  const log = path.join(dir, 'calls.log');
  const sh = (name: string, body: string) => { const f = path.join(dir, name); writeFileSync(f, `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`); chmodSync(f, 0o755); };
  sh('docker', `case "$1" in
  info) ${w.dockerInfo === 'ok' ? 'echo \'"28.2.2"\'' : 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1'} ;;
  inspect) ${w.registry === 'ours' ? 'echo \'false|true|null\'' : 'echo "Error: No such object: kind-registry" >&2; exit 1'} ;;
  rm) exit 0 ;;
  *) exit 0 ;;
esac`);
  sh('kind', `case "$1 $2" in
  "get clusters") printf '${w.clusters}' ;;
  "get kubeconfig") echo "apiVersion: v1" ;;
  "delete cluster") exit 0 ;;
  *) exit 0 ;;
esac`);
  sh('kubectl', `for a in "$@"; do case "$a" in nodes) printf '${w.nodeMarker}'; exit 0 ;; esac; done; exit 0`);
  return { dir, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

async function withPath<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const saved = { PATH: process.env.PATH, XDG_STATE_HOME: process.env.XDG_STATE_HOME };
  process.env.PATH = dir;
  process.env.XDG_STATE_HOME = mkdtempSync(path.join(os.tmpdir(), 'klab-state-'));
  try { return await f(); } finally { process.env.PATH = saved.PATH; process.env.XDG_STATE_HOME = saved.XDG_STATE_HOME; }
}

async function expectKlab(p: Promise<unknown>, code: number, re: RegExp): Promise<KlabError> {
  try { await p; } catch (e) {
    assert.instance(e, KlabError, String(e));
    assert.is((e as KlabError).exitCode, code, (e as KlabError).text.en);
    assert.match((e as KlabError).text.en, re);
    assert.ok((e as KlabError).text.ko.length > 0);
    return e as KlabError;
  }
  assert.unreachable('expected a KlabError');
  throw new Error('unreachable');
}

test('Docker not installed → exit 3 saying so', async () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'klab-empty-'));
  await withPath(empty, () => expectKlab(createProvider({}).up({ progress: quiet }), 3, /docker command was not found/));
});

test('Docker client present, engine not running → exit 3 with how to start it', async () => {
  const t = tools({ dockerInfo: 'down', clusters: '', nodeMarker: '', registry: 'absent' });
  const e = await withPath(t.dir, () => expectKlab(createProvider({}).up({ progress: quiet }), 3, /Docker engine does not answer/));
  assert.match(e.text.en, /systemctl start docker/);
  assert.match(e.text.ko, /Docker Desktop/);
  assert.ok(!t.calls().some((c) => c.startsWith('kind create')), 'nothing created');
  const avail = await withPath(t.dir, () => createProvider({}).available());
  assert.is(avail.ok, false);
});

test('a kind cluster `klab` without the klab marker: down refuses without --force, deletes with it', async () => {
  const t = tools({ dockerInfo: 'ok', clusters: 'klab\\n', nodeMarker: 'klab-control-plane=\\nklab-worker=\\n', registry: 'absent' });
  await withPath(t.dir, () => expectKlab(createProvider({}).down({ progress: quiet }), 2, /did not create.*--force/s));
  assert.ok(!t.calls().some((c) => c.startsWith('kind delete')), 'not deleted');
  await withPath(t.dir, () => expectKlab(createProvider({}).up({ progress: quiet }), 2, /did not create/));
  await withPath(t.dir, () => createProvider({}).down({ progress: quiet, force: true }));
  assert.ok(t.calls().includes('kind delete cluster --name klab'));
});

test('our own cluster (marker on every node) is deleted with its registry', async () => {
  const t = tools({ dockerInfo: 'ok', clusters: 'klab\\n', nodeMarker: 'klab-control-plane=true\\nklab-worker=true\\n', registry: 'ours' });
  const said: string[] = [];
  await withPath(t.dir, () => createProvider({}).down({ progress: { phase() {}, done() {}, info(x) { said.push(x.en); } } }));
  assert.ok(t.calls().includes('kind delete cluster --name klab'));
  assert.ok(t.calls().includes('docker rm -f kind-registry'));
  assert.ok(said.some((s) => /Deleted kind cluster/.test(s)));
});

test('port 5001 taken → exit 3 naming the process that holds it', async () => {
  const s = net.createServer();
  const listening = await new Promise<boolean>((r) => { s.once('error', () => r(false)); s.listen(5001, '127.0.0.1', () => r(true)); });
  if (!listening) { console.log('kind-faults: port 5001 already busy on this machine; checking the message names its holder'); }
  try {
    const t = tools({ dockerInfo: 'ok', clusters: '', nodeMarker: '', registry: 'absent' });
    const e = await withPath(t.dir, () => expectKlab(createProvider({}).up({ progress: quiet }), 3, /Port 5001 is already in use by/));
    if (listening && process.platform === 'linux') assert.match(e.text.en, new RegExp(`pid ${process.pid}\\b`));
    assert.ok(!t.calls().some((c) => c.startsWith('docker run') || c.startsWith('kind create')), 'nothing started');
  } finally { if (listening) await new Promise((r) => s.close(r)); }
});

test.run();
