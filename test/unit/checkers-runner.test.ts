import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { runChecks, exitCodeFor } from '../../checkers/runner.js';
import type { RunOptions } from '../../checkers/runner.js';
import type { Check, ProbeResult } from '../../checkers/types.js';
import { CheckError } from '../../checkers/types.js';
import { checkFromSpec } from '../../checkers/kinds.js';
import { noCapabilities } from '../../cluster/provider.js';

function kcAt(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

const opts = (o: Partial<RunOptions> = {}): RunOptions => ({
  kc: kcAt('https://127.0.0.1:1'), lang: 'en', namespace: 'default', params: {}, capabilities: { ...noCapabilities },
  answers: {}, lab: 'demo', seed: 's1', preflight: false, defaultTimeoutMs: 300, pollMs: 20, ...o,
});

const T = (s: string) => ({ ko: s, en: s });
function chk(id: string, probe: () => Promise<ProbeResult> | ProbeResult, extra: Partial<Check> = {}): Check {
  return { id, title: T(id), points: 1, probe: async () => probe(), ...extra };
}
const pass = (): ProbeResult => ({ ok: true, reasons: [T('fine')] });
const failing = (): ProbeResult => ({ ok: false, reasons: [T('wrong')], evidence: [{ kind: 'field', title: T('f'), lines: ['a: expected 1, found 2'] }] });

test('score, max score, per-step subtotals; passed = every required check passed', async () => {
  const r = await runChecks([
    chk('a', pass, { points: 2, step: 1 }),
    chk('b', failing, { points: 3, step: 1, required: false }),
    chk('c', pass, { points: 5, step: 2 }),
  ], opts());
  assert.is(r.score, 7);
  assert.is(r.maxScore, 10);
  assert.equal(r.steps, [{ step: 1, score: 2, maxScore: 5 }, { step: 2, score: 5, maxScore: 5 }]);
  assert.ok(r.passed, 'an optional failure does not fail the lab');
  assert.is(exitCodeFor(r), 0);
  const r2 = await runChecks([chk('a', pass), chk('b', failing)], opts());
  assert.not.ok(r2.passed);
  assert.is(exitCodeFor(r2), 1);
});

test('polls until the probe passes, and reports the LAST observation on timeout', async () => {
  let n = 0;
  const r = await runChecks([chk('later', () => (++n >= 3 ? pass() : failing()), { timeout: 2000 })], opts());
  assert.is(r.checks[0].status, 'pass');
  assert.is(n, 3);
  let m = 0;
  const r2 = await runChecks([chk('never', () => ({ ok: false, reasons: [T(`observation ${++m}`)] }), { timeout: 200 })], opts());
  assert.is(r2.checks[0].status, 'fail');
  assert.ok(m > 1, 'polled more than once');
  assert.is(r2.checks[0].message.en, `Still changing after 0s: never.\nobservation ${m}`, 'the last observation, after the note that it was still moving');
});

test('evidence only on failure; the hint comes with a failure', async () => {
  const r = await runChecks([chk('ok', () => ({ ...pass(), evidence: [{ kind: 'note', title: T('x'), lines: ['y'] }] }), { hint: T('try') }), chk('bad', failing, { hint: T('try this') })], opts());
  assert.equal(r.checks[0].evidence, []);
  assert.is(r.checks[0].hint, undefined);
  assert.is(r.checks[1].evidence.length, 1);
  assert.is(r.checks[1].hint?.en, 'try this');
});

test('requires: a failed dependency skips its dependants, naming it', async () => {
  const r = await runChecks([
    chk('secret', failing, { timeout: 0 }),
    chk('env', pass, { requires: ['secret'] }),
    chk('other', pass, { requires: ['env'] }),
  ], opts());
  const [s, e, o] = r.checks;
  assert.is(s.status, 'fail');
  assert.is(e.status, 'skip');
  assert.match(e.message.en, "'secret' (fail)");
  assert.match(e.message.ko, "'secret' (실패)");
  assert.is(o.status, 'skip');
  assert.match(o.message.en, "'env' (skip)");
  assert.is(r.score, 0);
});

test('checks without dependencies run concurrently', async () => {
  const slow = () => new Promise<ProbeResult>((res) => setTimeout(() => res(pass()), 200));
  const t0 = Date.now();
  await runChecks([chk('a', slow), chk('b', slow), chk('c', slow), chk('d', slow)], opts());
  const ms = Date.now() - t0;
  assert.ok(ms < 600, `4 × 200 ms probes took ${ms} ms`);
});

test('missing capability → skip naming it, never a pass', async () => {
  const r = await runChecks([chk('logs', pass, { needs: ['logs', 'exec'] })], opts({ capabilities: { ...noCapabilities, exec: true } }));
  assert.is(r.checks[0].status, 'skip');
  assert.match(r.checks[0].message.en, 'capability logs');
  assert.match(r.checks[0].message.en, 'it lacks container logs');
  assert.not.match(r.checks[0].message.en, /[가-힣]/, 'no Korean in the English message');
  assert.match(r.checks[0].message.ko, '컨테이너 로그');
  assert.not.match(r.checks[0].message.en, 'exec');
  assert.is(r.checks[0].points, 0);
  assert.not.ok(r.passed);
});

test('exceptions are `error`, not `fail`; a CheckError keeps its text', async () => {
  const r = await runChecks([
    chk('bug', () => { throw new TypeError('x is undefined'); }),
    chk('perm', () => { throw new CheckError(T('Permission denied (403): ...')); }),
  ], opts());
  assert.is(r.checks[0].status, 'error');
  assert.match(r.checks[0].message.en, 'klab internal error: x is undefined');
  assert.is(r.checks[1].status, 'error');
  assert.is(r.checks[1].message.en, 'Permission denied (403): ...');
  assert.not.ok(r.unreachable);
});

test('--step: only that step is reported; dependencies elsewhere still gate', async () => {
  const r = await runChecks([chk('s1', failing, { step: 1, timeout: 0 }), chk('s2', pass, { step: 2, requires: ['s1'] }), chk('s2b', pass, { step: 2 })], opts({ step: 2 }));
  assert.equal(r.checks.map((c) => c.id), ['s2', 's2b']);
  assert.is(r.checks[0].status, 'skip');
  assert.equal(r.steps, [{ step: 2, score: 1, maxScore: 2 }]);
});

test('unknown dependency or cycle in code checks → error (a lab bug), not skip', async () => {
  const r = await runChecks([chk('a', pass, { requires: ['nope'] }), chk('b', pass, { requires: ['c'] }), chk('c', pass, { requires: ['b'] })], opts());
  assert.is(r.checks[0].status, 'error');
  assert.ok(r.checks.slice(1).some((c) => c.status === 'error'));
});

async function refusedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

test('unreachable cluster (127.0.0.1:1): every check is error, unreachable=true, exit 3, fast', async () => {
  const spec = checkFromSpec({ id: 'placement', kind: 'node-placement', selector: { labels: { app: 'argo' } }, nodeLabels: { a: 'b' } });
  const t0 = Date.now();
  const r = await runChecks([spec, chk('b', pass, { timeout: 30000 })], opts({ preflight: true, defaultTimeoutMs: 30000 }));
  const ms = Date.now() - t0;
  assert.ok(r.unreachable);
  assert.equal(r.checks.map((c) => c.status), ['error', 'error']);
  assert.match(r.checks[0].message.en, 'Cannot reach the cluster');
  assert.match(r.checks[0].message.ko, '클러스터에 연결할 수 없습니다');
  assert.is(exitCodeFor(r), 3);
  assert.not.ok(r.passed);
  assert.ok(ms < 3000, `took ${ms} ms`);
});

test('unreachable (a really refused port) detected inside a probe too, without long polling', async () => {
  const port = await refusedPort();
  const kc = kcAt(`https://127.0.0.1:${port}`);
  const spec = checkFromSpec({ id: 'rollout', kind: 'rollout', deployment: 'web' });
  const t0 = Date.now();
  const r = await runChecks([spec, checkFromSpec({ id: 'svc', kind: 'service', service: 'web' })], opts({ kc, preflight: false, defaultTimeoutMs: 30000 }));
  const ms = Date.now() - t0;
  assert.ok(r.unreachable);
  assert.equal(r.checks.map((c) => c.status), ['error', 'error']);
  assert.match(r.checks[0].message.en, 'ECONNREFUSED');
  assert.ok(ms < 3000, `took ${ms} ms`);
});

test('a declarative answer check runs without polling and never reveals the expected value', async () => {
  const c = checkFromSpec({ id: 'token', kind: 'answer', expect: '{token}', question: { ko: '토큰은?', en: 'Which token?' } });
  const r = await runChecks([c], opts({ params: { token: 'Otter-42' }, answers: { token: ' otter-42 ' } }));
  assert.is(r.checks[0].status, 'pass');
  const r2 = await runChecks([c], opts({ params: { token: 'Otter-42' }, answers: { token: 'beaver' } }));
  assert.is(r2.checks[0].status, 'fail');
  assert.not.match(JSON.stringify(r2), 'Otter-42');
  assert.not.match(JSON.stringify(r2).toLowerCase(), 'otter-42');
  assert.ok(r2.checks[0].durationMs < 100);
  const r3 = await runChecks([c], opts({ params: { token: 'x' } }));
  assert.match(r3.checks[0].message.en, 'Not answered yet');
});

test.run();
