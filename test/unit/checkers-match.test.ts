import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { partialMatch, mismatchLines } from '../../checkers/match.js';

const dep = {
  metadata: { name: 'web', labels: { app: 'web', 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG' } },
  spec: {
    replicas: 3,
    template: { spec: { containers: [
      { name: 'sidecar', image: 'busybox:1.36', env: [{ name: 'A', value: '1' }] },
      { name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'TOKEN', value: 'x' }, { name: 'B', value: '2' }] },
    ] } },
  },
};

test('partial object: extra actual keys are fine, a differing field is reported with its path', () => {
  assert.equal(partialMatch({ spec: { replicas: 3 } }, dep), []);
  const ms = partialMatch({ spec: { replicas: 2 } }, dep);
  assert.equal(mismatchLines(ms), ['spec.replicas: expected 2, found 3']);
});

test('arrays are matched by element name, never by position', () => {
  // "app" is the second element; the expected list names it first and alone.
  assert.equal(partialMatch({ spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } } }, dep), []);
  const ms = partialMatch({ spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:latest' }] } } } }, dep);
  assert.equal(mismatchLines(ms), ['spec.template.spec.containers[name=app].image: expected "nginx:latest", found "nginx:1.25"']);
  // nested arrays by name too (env)
  assert.equal(partialMatch({ spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] } } } }, dep), []);
});

test('a missing named element lists the names that exist', () => {
  const ms = partialMatch({ spec: { template: { spec: { containers: [{ name: 'web' }] } } } }, dep);
  assert.is(ms.length, 1);
  assert.is(ms[0].path, 'spec.template.spec.containers[name=web]');
  assert.match(ms[0].found, 'names: sidecar, app');
});

test('unnamed object elements match any element, in any order; scalars must be contained', () => {
  assert.equal(partialMatch({ ports: [{ containerPort: 80 }] }, { ports: [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }] }), []);
  assert.is(partialMatch({ ports: [{ containerPort: 81 }] }, { ports: [{ containerPort: 80 }] }).length, 1);
  assert.equal(partialMatch({ args: ['--b'] }, { args: ['--a', '--b'] }), []);
  assert.is(partialMatch({ args: ['--c'] }, { args: ['--a', '--b'] }).length, 1);
});

test('operators: $regex, $exists, $in, $not, $contains, $gt/$lte, $len', () => {
  assert.equal(partialMatch({ image: { $regex: '^nginx:1\\.' } }, { image: 'nginx:1.25' }), []);
  assert.equal(mismatchLines(partialMatch({ image: { $regex: '^nginx:1\\.' } }, { image: 'nginx:latest' })), ['image: expected ~/^nginx:1\\./, found "nginx:latest"']);
  assert.equal(partialMatch({ a: { $exists: false } }, { b: 1 }), []);
  assert.is(partialMatch({ a: { $exists: true } }, { b: 1 }).length, 1);
  assert.equal(partialMatch({ t: { $in: ['NodePort', 'LoadBalancer'] } }, { t: 'NodePort' }), []);
  assert.is(partialMatch({ t: { $in: ['NodePort'] } }, { t: 'ClusterIP' }).length, 1);
  assert.equal(partialMatch({ image: { $not: 'nginx:latest' } }, { image: 'nginx:1.25' }), []);
  assert.is(partialMatch({ image: { $not: { $regex: 'latest' } } }, { image: 'nginx:latest' }).length, 1);
  assert.equal(partialMatch({ s: { $contains: 'ell' } }, { s: 'hello' }), []);
  assert.equal(partialMatch({ r: { $gt: 1, $lte: 3 } }, { r: 3 }), []);
  assert.is(partialMatch({ r: { $gt: 3 } }, { r: 3 }).length, 1);
  assert.equal(partialMatch({ l: { $len: 2 } }, { l: [1, 2] }), []);
});

test('null expects absence; function predicates may explain', () => {
  assert.equal(partialMatch({ spec: { paused: null } }, { spec: {} }), []);
  assert.is(partialMatch({ spec: { paused: null } }, { spec: { paused: true } }).length, 1);
  const even = Object.assign((v: unknown) => (typeof v === 'number' && v % 2 === 0) || { ko: '짝수 아님', en: 'not even' }, { describe: 'an even number' });
  assert.equal(partialMatch({ n: even }, { n: 4 }), []);
  assert.equal(mismatchLines(partialMatch({ n: even }, { n: 3 })), ['n: expected an even number (not even), found 3']);
});

test('numbers and numeric strings compare equal (intOrString), booleans do not', () => {
  assert.equal(partialMatch({ targetPort: 8080 }, { targetPort: '8080' }), []);
  assert.is(partialMatch({ paused: 'true' }, { paused: true }).length, 1);
});

test('label keys with dots are quoted in paths', () => {
  const ms = partialMatch({ metadata: { labels: { 'eks.amazonaws.com/nodegroup': 'X' } } }, dep);
  assert.is(ms[0].path, 'metadata.labels["eks.amazonaws.com/nodegroup"]');
});

test.run();
