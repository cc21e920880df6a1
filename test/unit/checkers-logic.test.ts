// Check logic on plain objects (no cluster): pod diagnoses, env parsing, Ingress routing, answer normalisation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { V1Pod } from '@kubernetes/client-node';
import { diagnosePod, explainConfigError } from '../../checkers/pod-health.js';
import { parseEnvLines, parseEnvNul } from '../../checkers/env-in-pod.js';
import { routeOf, pathMatches, hostMatches } from '../../checkers/service.js';
import { normaliseAnswer } from '../../checkers/answer.js';

const pod = (status: any, spec: any = {}): V1Pod => ({ metadata: { name: 'web-1', namespace: 'm1' }, spec: { containers: [{ name: 'app', image: 'nginx:latst' }], ...spec }, status } as V1Pod);

test('CrashLoopBackOff: restarts, last exit code, previous logs wanted', () => {
  const d = diagnosePod(pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 4, image: 'x', imageID: '',
    state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 3, reason: 'Error' } } }] }));
  assert.not.ok(d.healthy);
  assert.match(d.reasons[0].en, 'keeps crashing (CrashLoopBackOff, 4 restarts, last exit code 3)');
  assert.match(d.reasons[0].ko, '마지막 종료 코드 3');
  assert.equal(d.logs, [{ container: 'app', previous: true }]);
  assert.match(d.hints[0].en, 'kubectl logs web-1 -c app --previous');
});

test('a crash loop looked at between its backoffs (running again a moment, terminated again) is the same crash loop; a container up for long after an old crash is healthy', () => {
  const now = new Date().toISOString();
  const running = diagnosePod(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 3, image: 'x', imageID: '',
    state: { running: { startedAt: now } }, lastState: { terminated: { exitCode: 3, reason: 'Error' } } }] }));
  assert.not.ok(running.healthy);
  assert.match(running.reasons[0].en, 'keeps crashing (CrashLoopBackOff, 3 restarts, last exit code 3)');
  const ended = diagnosePod(pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 3, image: 'x', imageID: '',
    state: { terminated: { exitCode: 3, reason: 'Error' } }, lastState: { terminated: { exitCode: 3, reason: 'Error' } } }] }));
  assert.match(ended.reasons[0].en, 'keeps crashing (CrashLoopBackOff, 3 restarts, last exit code 3)');
  assert.equal(ended.logs, [{ container: 'app', previous: false }], 'the instance that just ended holds the crash output');
  assert.equal(running.logs, [{ container: 'app', previous: true }]);
  const old = new Date(Date.now() - 10 * 60_000).toISOString();
  const settled = diagnosePod(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 1, image: 'x', imageID: '',
    state: { running: { startedAt: old } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] }));
  assert.ok(settled.healthy, JSON.stringify(settled.reasons));
});

test('ImagePullBackOff names the image from the spec', () => {
  const d = diagnosePod(pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'nginx:latst', imageID: '',
    state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:latst"' } } }] }));
  assert.match(d.reasons[0].en, 'cannot pull image `nginx:latst` (ImagePullBackOff)');
  assert.match(d.hints[0].en, 'Check the image name');
});

test('CreateContainerConfigError: missing Secret via envFrom, missing key; create command lists the keys', () => {
  const spec = { containers: [{ name: 'app', image: 'x', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'otter-secrets', key: 'TOKEN' } } }], envFrom: [{ secretRef: { name: 'A-secrets' } }] }] };
  const p = pod({ phase: 'Pending' }, spec);
  const a = explainConfigError(p, 'app', 'secret "A-secrets" not found');
  assert.match(a.reason.en, 'Secret `A-secrets` not found (referenced by envFrom');
  assert.is(a.hint!.en, 'Create it: `kubectl create secret generic A-secrets -n m1 --from-literal=KEY=…`');
  const b = explainConfigError(p, 'app', 'secret "otter-secrets" not found');
  assert.match(b.hint!.en, '--from-literal=TOKEN=…');
  const c = explainConfigError(p, 'app', "couldn't find key TOKEN in Secret m1/otter-secrets");
  assert.match(c.reason.en, 'Secret `otter-secrets` has no key `TOKEN`');
  assert.match(c.reason.ko, '키 `TOKEN`가 없습니다');
});

test('Pending with the scheduler message; healthy Running/Ready and Succeeded', () => {
  const d = diagnosePod(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." }] }));
  assert.match(d.reasons[0].en, "cannot be scheduled (Pending). Scheduler: Unschedulable: 0/3 nodes are available");
  assert.ok(d.scheduler);
  assert.ok(diagnosePod(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: '', imageID: '', state: { running: {} } }] })).healthy);
  assert.ok(diagnosePod(pod({ phase: 'Succeeded' })).healthy);
  const nr = diagnosePod(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: '', imageID: '', state: { running: {} } }] }));
  assert.match(nr.reasons[0].en, 'running but not ready');
});

test('env parsing: NUL-separated exact, and env lines with multi-line values', () => {
  const m = parseEnvNul('PATH=/bin\0TOKEN=가나다\n\0EMPTY=\0');
  assert.is(m.get('TOKEN'), '가나다\n');
  assert.is(m.get('EMPTY'), '');
  const l = parseEnvLines('PATH=/bin\nTOKEN=가나다\n\nB=a=b\n');
  assert.is(l.get('TOKEN'), '가나다\n');
  assert.is(l.get('B'), 'a=b');
});

test('Ingress routing: host (exact, wildcard), Prefix by path element, Exact, longest path wins', () => {
  assert.ok(pathMatches('/music', 'Prefix', '/music/top'));
  assert.not.ok(pathMatches('/music', 'Prefix', '/musical'));
  assert.not.ok(pathMatches('/music', 'Exact', '/music/top'));
  assert.ok(hostMatches('*.example.com', 'user.example.com'));
  assert.not.ok(hostMatches('*.example.com', 'a.b.example.com'));
  const ings: any[] = [{ metadata: { name: 'r' }, spec: { rules: [{ host: 'user.example.com', http: { paths: [
    { path: '/', pathType: 'Prefix', backend: { service: { name: 'user', port: { number: 80 } } } },
    { path: '/photo', pathType: 'Prefix', backend: { service: { name: 'photo', port: { number: 8080 } } } },
  ] } }] } }];
  assert.is(routeOf(ings, 'user.example.com', '/photo/1')?.service, 'photo');
  assert.is(routeOf(ings, 'user.example.com', '/music')?.service, 'user');
  assert.is(routeOf(ings, 'payment.example.com', '/'), undefined);
});

test('answer normalisation', () => {
  assert.is(normaliseAnswer('  "Token-7F3A" '), 'token-7f3a');
  assert.is(normaliseAnswer('a   b', true), 'a b');
  assert.is(normaliseAnswer('가나다'.normalize('NFD')), '가나다');
});

test.run();
