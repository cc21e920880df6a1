// Bounded waits (issue 13), measured on the real CLI in child processes against small misbehaving servers on
// 127.0.0.1: one reachability probe with one deadline, every request of a check bounded by its remaining time,
// commands that need no cluster never contact one, and nothing keeps the process alive once the report is out.
// Bounds are relative to this machine's start-up time (`klab list`), measured first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliAsync, tempDir } from './_cli.js';
import * as servers from './_servers.js';

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

test('start-up time of this machine (klab list: loads the labs, no cluster)', async () => {
  const runs = [await klab(['list']), await klab(['list'])];
  for (const r of runs) assert.is(r.code, 0);
  startup = Math.max(...runs.map((r) => r.ms));
  console.log(`\n  start-up: ${startup} ms`);
});

test('a server that accepts and never answers (stalled TLS handshake): exit 3 within the 3 s probe', async () => {
  const s = await servers.acceptAndStall();
  try {
    const r = await klab(['check', 'hello', '--kubeconfig', servers.kubeconfigFor(s.url)]);
    console.log(`  accept-and-stall: exit ${r.code} in ${r.ms} ms (alive ${r.afterOutputMs} ms after output)`);
    assert.is(r.code, 3, r.stderr);
    assert.match(r.stderr, 'no answer within 3s');
    assert.ok(r.ms < startup + 3000 + SLACK, `took ${r.ms} ms (start-up ${startup} ms + probe 3000 ms + slack ${SLACK} ms)`);
    assert.ok(r.afterOutputMs < ALIVE, `alive ${r.afterOutputMs} ms after the report`);
  } finally { await s.close(); }
});

test('KLAB_PROBE_TIMEOUT sets the probe deadline; a bad value is exit 2', async () => {
  const s = await servers.acceptAndStall();
  try {
    const r = await klab(['check', 'hello', '--json', '--kubeconfig', servers.kubeconfigFor(s.url)], { KLAB_PROBE_TIMEOUT: '500ms' });
    console.log(`  accept-and-stall, KLAB_PROBE_TIMEOUT=500ms: exit ${r.code} in ${r.ms} ms`);
    assert.is(r.code, 3);
    const j = JSON.parse(r.stdout) as { checks: { status: string; message: string }[] };
    assert.ok(j.checks.every((c) => c.status === 'error' && /no answer within 0\.5s/.test(c.message)));
    assert.ok(r.ms < startup + 500 + SLACK);
    const bad = await klab(['check', 'hello', '--kubeconfig', servers.kubeconfigFor(s.url)], { KLAB_PROBE_TIMEOUT: 'soon' });
    assert.is(bad.code, 2);
    assert.match(bad.stderr, "KLAB_PROBE_TIMEOUT 'soon'");
  } finally { await s.close(); }
});

test('a server that answers /version and stalls the rest: every check error, exit 3, each request cut at the check\'s time', async () => {
  const s = await servers.stallAfterVersion();
  const dir = tempDir('klab-bw-');
  writeFileSync(join(dir, 'checks.yaml'), CHECKS);
  try {
    const r = await klab(['assert', '-f', join(dir, 'checks.yaml'), '--json', '--kubeconfig', servers.kubeconfigFor(s.url)], { KLAB_PROBE_TIMEOUT: '2' });
    console.log(`  stall-after-version: exit ${r.code} in ${r.ms} ms (alive ${r.afterOutputMs} ms after output)`);
    assert.is(r.code, 3, r.stderr);
    const j = JSON.parse(r.stdout) as { checks: { status: string; message: string }[] };
    assert.is(j.checks[0].status, 'error', 'a stalled cluster is never the trainee\'s fail');
    assert.match(j.checks[0].message, "did not answer within the check's time");
    // probe + node-group detection (one shared 2 s deadline) + the check's 2 s
    assert.ok(r.ms < startup + 2000 + 2000 + 2000 + SLACK, `took ${r.ms} ms`);
    assert.ok(r.afterOutputMs < ALIVE, `alive ${r.afterOutputMs} ms after the report`);
  } finally { await s.close(); }
});

test('stalls-after-version against a lab whose own checks.ts makes its API clients (hello): cut at the check\'s 8 s', async () => {
  const s = await servers.stallAfterVersion();
  try {
    const r = await klab(['check', 'hello', '--json', '--kubeconfig', servers.kubeconfigFor(s.url)], { KLAB_PROBE_TIMEOUT: '1' });
    console.log(`  stall-after-version, check hello: exit ${r.code} in ${r.ms} ms (alive ${r.afterOutputMs} ms after output)`);
    assert.is(r.code, 3, r.stderr);
    const j = JSON.parse(r.stdout) as { checks: { id: string; status: string; message: string }[] };
    const first = j.checks.find((c) => c.id === 'namespace-exists')!;
    assert.is(first.status, 'error');
    assert.match(first.message, "did not answer within the check's time");
    assert.ok(j.checks.every((c) => c.status !== 'fail' && c.status !== 'pass'));
    assert.ok(r.ms < startup + 1000 + 1000 + 8000 + SLACK, `took ${r.ms} ms`);
    assert.ok(r.afterOutputMs < ALIVE, `alive ${r.afterOutputMs} ms after the report`);
  } finally { await s.close(); }
});

test('a server that drips its answer forever: cut at the probe deadline, exit 3', async () => {
  const s = await servers.slowDrip();
  try {
    const r = await klab(['check', 'hello', '--kubeconfig', servers.kubeconfigFor(s.url)], { KLAB_PROBE_TIMEOUT: '2' });
    console.log(`  slow-drip: exit ${r.code} in ${r.ms} ms`);
    assert.is(r.code, 3);
    assert.match(r.stderr, 'no answer within 2s');
    assert.ok(r.ms < startup + 2000 + SLACK, `took ${r.ms} ms`);
    assert.ok(r.afterOutputMs < ALIVE);
  } finally { await s.close(); }
});

for (const [code, words] of [[401, 'Authentication failed'], [403, 'Authorization failed'], [500, 'does not answer like a Kubernetes API server']] as const) {
  test(`a server answering ${code} to everything: every check error, exit 3, "${words}"`, async () => {
    const s = await servers.statusServer(code);
    try {
      const r = await klab(['check', 'hello', '--json', '--kubeconfig', servers.kubeconfigFor(s.url)]);
      console.log(`  ${code}: exit ${r.code} in ${r.ms} ms`);
      assert.is(r.code, 3);
      const j = JSON.parse(r.stdout) as { unreachable: boolean; checks: { status: string; message: string }[] };
      assert.ok(j.checks.length > 0 && j.checks.every((c) => c.status === 'error'));
      assert.match(j.checks[0].message, words);
      assert.ok(r.ms < startup + SLACK);
    } finally { await s.close(); }
  });
}

test('a web server that is not Kubernetes (200, HTML): exit 3, says so', async () => {
  const s = await servers.nonJson();
  try {
    const r = await klab(['check', 'hello', '--kubeconfig', servers.kubeconfigFor(s.url)]);
    assert.is(r.code, 3);
    assert.match(r.stderr, 'does not answer like a Kubernetes API server (HTTP 200');
  } finally { await s.close(); }
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
