// Bounded waits (issue 13), measured on the real CLI in child processes against small misbehaving servers on
// 127.0.0.1: one reachability probe with one deadline, every request of a check bounded by its remaining time,
// commands that need no cluster never contact one, and nothing keeps the process alive once the report is out.
// Bounds are relative to this machine's start-up time (`klab list`), measured first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliAsync, tempDir, type TimedResult } from './_cli.js';
import * as servers from './_servers.js';
import { MIN_REQUEST_MS } from '../../cluster/kube.js';

/** klab in English, with a private state folder and no kubeconfig of the user's. */
const klab = (args: string[], env: NodeJS.ProcessEnv = {}) => cliAsync(['--lang', 'en', ...args],
  { KLAB_TRAINEE: 'bounded', XDG_STATE_HOME: tempDir('klab-state-'), KUBECONFIG: '/nonexistent/kubeconfig', ...env });

const CHECKS = `- id: cm
  kind: resource-match
  timeout: 2s
  resource: {apiVersion: v1, kind: ConfigMap, name: x, namespace: default}
  match: {data: {k: v}}
`;
let startup = 0;
const SLACK = 4000; // a loaded 2-core machine: start-up time varies by a few seconds between runs
const ALIVE = 1500; // at most this long alive after the last output

/** Start `server`, run klab against it (`{kc}` in args is its kubeconfig), assert the exit code, the wall-time bound
 * (start-up + `waitMs` + slack) and that the process ended right after its last output; then stop the server. */
async function against(name: string, server: Promise<servers.Running>, args: string[], env: NodeJS.ProcessEnv, code: number, waitMs: number): Promise<TimedResult> {
  const s = await server;
  try {
    const kc = servers.kubeconfigFor(s.url);
    const r = await klab(args.map((a) => (a === '{kc}' ? kc : a)), env);
    console.log(`  ${name}: exit ${r.code} in ${r.ms} ms (alive ${r.afterOutputMs} ms after output)`);
    assert.is(r.code, code, r.stderr);
    assert.ok(r.ms < startup + waitMs + SLACK, `${name} took ${r.ms} ms (start-up ${startup} + ${waitMs} + slack ${SLACK})`);
    assert.ok(r.afterOutputMs < ALIVE, `${name}: alive ${r.afterOutputMs} ms after the report`);
    return r;
  } finally { await s.close(); }
}

type Report = { checks: { id: string; status: string; message: string }[] };

test('start-up time of this machine (klab list: loads the labs, no cluster)', async () => {
  const runs = [await klab(['list']), await klab(['list'])];
  for (const r of runs) assert.is(r.code, 0);
  startup = Math.max(...runs.map((r) => r.ms));
  console.log(`\n  start-up: ${startup} ms`);
});

test('a server that accepts and never answers (stalled TLS handshake): exit 3 within the 3 s probe', async () => {
  const r = await against('accept-and-stall', servers.acceptAndStall(), ['check', 'hello', '--kubeconfig', '{kc}'], {}, 3, 3000);
  assert.match(r.stderr, 'no answer within 3s');
});

test('KLAB_PROBE_TIMEOUT sets the probe deadline; a bad value is exit 2', async () => {
  const r = await against('accept-and-stall, KLAB_PROBE_TIMEOUT=500ms', servers.acceptAndStall(), ['check', 'hello', '--json', '--kubeconfig', '{kc}'], { KLAB_PROBE_TIMEOUT: '500ms' }, 3, 500);
  assert.ok((JSON.parse(r.stdout) as Report).checks.every((c) => c.status === 'error' && /no answer within 0\.5s/.test(c.message)));
  const bad = await against('KLAB_PROBE_TIMEOUT=soon', servers.acceptAndStall(), ['check', 'hello', '--kubeconfig', '{kc}'], { KLAB_PROBE_TIMEOUT: 'soon' }, 2, 0);
  assert.match(bad.stderr, "KLAB_PROBE_TIMEOUT 'soon'");
});

test('a server that answers /version and stalls the rest: every check error, exit 3, each request cut at the check\'s time', async () => {
  const dir = tempDir('klab-bw-');
  writeFileSync(join(dir, 'checks.yaml'), CHECKS);
  // probe + node-group detection (one shared 2 s deadline) + the check's 2 s, each request given at least MIN_REQUEST_MS
  const r = await against('stall-after-version', servers.stallAfterVersion(), ['assert', '-f', join(dir, 'checks.yaml'), '--json', '--kubeconfig', '{kc}'], { KLAB_PROBE_TIMEOUT: '2' }, 3, 2000 + Math.max(2000, MIN_REQUEST_MS));
  const j = JSON.parse(r.stdout) as Report;
  assert.is(j.checks[0].status, 'error', 'a stalled cluster is never the trainee\'s fail');
  assert.match(j.checks[0].message, "did not answer within the check's time");
});

test('stalls-after-version against a lab whose own checks.ts makes its API clients (hello): cut at the check\'s 8 s', async () => {
  const r = await against('stall-after-version, check hello', servers.stallAfterVersion(), ['check', 'hello', '--json', '--kubeconfig', '{kc}'], { KLAB_PROBE_TIMEOUT: '1' }, 3, 1000 + 1000 + 8000);
  const j = JSON.parse(r.stdout) as Report;
  const first = j.checks.find((c) => c.id === 'namespace-exists')!;
  assert.is(first.status, 'error');
  assert.match(first.message, "did not answer within the check's time");
  assert.ok(j.checks.every((c) => c.status !== 'fail' && c.status !== 'pass'));
});

test('a server that drips its answer forever: cut at the probe deadline, exit 3', async () => {
  const r = await against('slow-drip', servers.slowDrip(), ['check', 'hello', '--kubeconfig', '{kc}'], { KLAB_PROBE_TIMEOUT: '2' }, 3, 2000);
  assert.match(r.stderr, 'no answer within 2s');
});

for (const [code, words] of [[401, 'Authentication failed'], [403, 'Authorization failed'], [500, 'does not answer like a Kubernetes API server']] as const) {
  test(`a server answering ${code} to everything: every check error, exit 3, "${words}"`, async () => {
    const r = await against(String(code), servers.statusServer(code), ['check', 'hello', '--json', '--kubeconfig', '{kc}'], {}, 3, 0);
    const j = JSON.parse(r.stdout) as Report;
    assert.ok(j.checks.length > 0 && j.checks.every((c) => c.status === 'error'));
    assert.match(j.checks[0].message, words);
  });
}

test('a web server that is not Kubernetes (200, HTML): exit 3, says so', async () => {
  const r = await against('non-JSON', servers.nonJson(), ['check', 'hello', '--kubeconfig', '{kc}'], {}, 3, 0);
  assert.match(r.stderr, 'does not answer like a Kubernetes API server (HTTP 200');
});

test('hint, answer, status and list never contact a cluster, even one remembered in current.json that stalls', async () => {
  const s = await servers.acceptAndStall();
  const state = tempDir('klab-state-');
  mkdirSync(join(state, 'klab'), { recursive: true });
  writeFileSync(join(state, 'klab', 'current.json'), JSON.stringify({ provider: 'existing', kubeconfig: servers.kubeconfigFor(s.url), context: 'ctx' }));
  let contacted = 0;
  s.onConnection(() => { contacted++; });
  try {
    for (const args of [['hint', 'hello'], ['answer', 'i-l1', 'exit-code', '1'], ['status'], ['list']]) {
      const r = await klab(args, { XDG_STATE_HOME: state, KLAB_PROBE_TIMEOUT: '30' });
      console.log(`  ${args[0]} with a remembered stalled cluster: exit ${r.code} in ${r.ms} ms`);
      assert.is(r.code, 0, `${args.join(' ')}: exit ${r.code} ${r.stderr}`);
      assert.ok(r.ms < startup + SLACK, `${args[0]} took ${r.ms} ms`);
    }
    assert.is(contacted, 0, 'no connection to the cluster');
  } finally { await s.close(); }
});

test.run();
