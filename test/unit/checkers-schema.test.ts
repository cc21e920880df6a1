import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocument, LineCounter } from 'yaml';
import { validateCheckSpecs, checkFromSpec, checkSpecSchema, parseDuration } from '../../checkers/kinds.js';
import { parseCheckFile, lineOfPointer, loadCheckFile } from '../../checkers/assert.js';
import { labelSelectorError, fillParams } from '../../checkers/registry.js';
import { KlabError } from '../../i18n/index.js';

test('every kind has a branch in the JSON Schema', () => {
  const kinds = (checkSpecSchema.properties as any).kind.enum as string[];
  assert.equal([...kinds].sort(), ['answer', 'chart-render', 'env-in-pod', 'helm-release', 'http-route', 'httproute-accepted', 'node-placement', 'pod-status', 'registry-image', 'resource-match', 'rollout', 'service', 'workflow']);
  assert.is((checkSpecSchema.allOf as unknown[]).length, kinds.length);
});

test('valid specs of every kind pass validation', () => {
  const specs = [
    { id: 'env', kind: 'env-in-pod', selector: { deployment: 'web', namespace: '{ns}' }, expect: { TOKEN: '{token}' }, points: 3, step: 2, hint: { ko: '힌트', en: 'hint' } },
    { id: 'place', kind: 'node-placement', selector: { labelSelector: 'app.kubernetes.io/part-of in (argo-workflows)' }, nodeLabels: { 'eks.amazonaws.com/nodegroup': 'PROTO-INFERENCE-NG' } },
    { id: 'helm', kind: 'helm-release', release: 'web', chart: { name: 'django', version: '0.1.0' }, minRevision: 2, values: { env: 'prod' }, manifest: [{ kind: 'Deployment', name: 'web' }], hooks: [{ name: 'db-migration-job', events: ['post-install'] }], liveObjects: true },
    { id: 'helm2', kind: 'helm-release', release: 'web', manifest: [{ notContains: 'SENTRY__DSN' }], hooks: [{ name: 'db-migration-job', weight: 5, deletePolicies: ['before-hook-creation', 'hook-succeeded'], deleted: true }] },
    { id: 'reg', kind: 'registry-image', image: 'localhost:5000/dodo:{tag}', pods: { deployment: 'web' }, container: 'web' },
    { id: 'render', kind: 'chart-render', chart: '{workdir}/chart', values: ['environments/values.dev.yaml'], assert: [{ notContains: 'SENTRY__DSN' }] },
    { id: 'roll', kind: 'rollout', deployment: 'web', strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: '0' }, image: 'nginx:1.25', rolledBack: true, timeout: '30s' },
    { id: 'wf', kind: 'workflow', fromTemplate: 'hello', outputs: { result: 'ok' }, nodeLabels: { 'node-group': 'inference' }, requires: ['place'] },
    { id: 'pods', kind: 'pod-status', namespace: 'l1' },
    { id: 'rm', kind: 'resource-match', resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, match: { spec: { replicas: { $gte: 2 } } } },
    { id: 'gone', kind: 'resource-match', resource: { apiVersion: 'v1', kind: 'Pod', labels: { app: 'old' } }, absent: true },
    { id: 'svc', kind: 'service', service: 'web', type: 'NodePort', nodePort: true, ingress: { host: 'user.example.com', path: '/music' } },
    { id: 'q', kind: 'answer', question: '무엇?', expect: ['a', 'b'], required: false },
    { id: 'route', kind: 'http-route', ingress: 'media', requests: [{ host: 'media.example.com', path: '/music', expect: 'music' }] },
    { id: 'route-tls', kind: 'http-route', ingress: 'accounts', tls: { secret: 'accounts-tls' }, requests: [{ host: 'user.example.com', path: '/', https: true, expect: 'user' }] },
    { id: 'np', kind: 'http-route', nodePort: { service: 'music-nodeport' }, requests: [{ path: '/', expect: 'music' }] },
  ];
  assert.equal(validateCheckSpecs(specs), []);
});

test('schema errors: JSON pointers and ko/en messages', () => {
  const errs = validateCheckSpecs([
    { id: 'a', kind: 'env-in-pod', selector: { labelSelector: 'app=(web' }, expect: { TOKEN: 'x' } },
    { id: 'b', kind: 'env-in-pd' },
    { id: 'c', kind: 'node-placement', selector: {}, nodeLabels: { 'node-group': 'inference' }, pionts: 3 },
    { id: 'a', kind: 'answer', expect: 'x', timeout: '5x', requires: ['zzz'] },
    { id: 'e', kind: 'rollout' },
  ]);
  const by = (p: string) => errs.find((e) => e.path === p);
  assert.match(by('/0/selector/labelSelector')!.message.en, 'malformed label selector');
  assert.match(by('/0/selector/labelSelector')!.message.ko, '잘못된 레이블 셀렉터');
  assert.match(by('/1/kind')!.message.en, "did you mean 'env-in-pod'");
  assert.match(by('/2/pionts')!.message.en, "did you mean 'points'");
  assert.match(by('/2/selector')!.message.en, 'needs one of: deployment, labels, labelSelector, name');
  assert.match(by('/3/timeout')!.message.en, 'bad duration');
  assert.match(by('/3/id')!.message.en, "duplicate check id 'a'");
  assert.match(by('/3/requires/0')!.message.en, "unknown check 'zzz'");
  assert.match(by('/4')!.message.en, "missing required field 'deployment'");
  assert.match(by('/4')!.message.ko, "필수 필드 'deployment'");
  for (const e of errs) assert.ok(e.message.ko && e.message.en && e.message.ko !== '' && e.message.en !== '');
});

test('label selector syntax', () => {
  for (const ok of ['app=web', 'app==web,tier!=db', 'env in (prod, dev)', '!canary', 'app', 'eks.amazonaws.com/nodegroup=PROTO-INFERENCE-NG', 'app={name}']) assert.is(labelSelectorError(ok), null, ok);
  for (const bad of ['app=(web', 'app=web,', 'env in ()', 'my app=web', 'a=b c', 'app=we b']) assert.ok(labelSelectorError(bad), bad);
});

test('requires cycles are schema errors', () => {
  const errs = validateCheckSpecs([{ id: 'a', kind: 'answer', expect: 'x', requires: ['b'] }, { id: 'b', kind: 'answer', expect: 'x', requires: ['a'] }]);
  assert.ok(errs.some((e) => /cycle/.test(e.message.en)));
});

test('checkFromSpec: defaults, durations, params in titles; invalid spec → KlabError exit 2', () => {
  const c = checkFromSpec({ id: 'roll', kind: 'rollout', deployment: '{app}', timeout: '1.5s' }, { app: 'web' });
  assert.is(c.points, 1);
  assert.is(c.required, true);
  assert.is(c.timeout, 1500);
  assert.is(c.title.en, 'Deployment web rollout');
  assert.is(parseDuration(2), 2000);
  assert.is(parseDuration('2m'), 120000);
  assert.is(checkFromSpec({ id: 'q', kind: 'answer', expect: 'x' }).timeout, 0);
  try { checkFromSpec({ id: 'bad', kind: 'rollout' }); assert.unreachable(); } catch (e) {
    assert.instance(e, KlabError);
    assert.is((e as KlabError).exitCode, 2);
    assert.match((e as KlabError).text.en, "missing required field 'deployment'");
  }
});

test('fillParams fills {name} and {{ params.name }} in values and keys; unknown stay visible', () => {
  assert.equal(fillParams({ a: '{ns}/{x}', '{k}': ['{{ params.ns }}'] }, { ns: 'm1', k: 'TOKEN' }), { a: 'm1/{x}', TOKEN: ['m1'] });
});

const FILE = `# checks for the demo
- id: token
  kind: env-in-pod
  selector:
    deployment: web
    labelSelector: "app=(web"
  expect: { TOKEN: abc }
- id: place
  kind: node-placement
  selector: { labels: { app: web } }
  nodeLabels: { node-group: inference }
  colour: red
- id: roll
  kind: rolout
  deployment: web
`;

test('check file: every problem as file:line: message, before anything runs', () => {
  try { parseCheckFile(FILE, 'checks.yaml'); assert.unreachable(); } catch (e) {
    assert.instance(e, KlabError);
    const k = e as KlabError;
    assert.is(k.exitCode, 2);
    assert.match(k.text.en, 'checks.yaml:6: malformed label selector');
    assert.match(k.text.en, "checks.yaml:12: unknown field 'colour'");
    assert.match(k.text.en, "checks.yaml:14: unknown check kind 'rolout' (did you mean 'rollout'?)");
    assert.match(k.text.ko, 'checks.yaml:6: 잘못된 레이블 셀렉터');
    assert.not.match(k.text.en, 'at ');
  }
});

test('check file: YAML syntax errors and the {checks:} form', async () => {
  try { parseCheckFile('- id: a\n  kind: [oops\n', 'x.yaml'); assert.unreachable(); } catch (e) {
    assert.match((e as KlabError).text.en, /x\.yaml:\d+: YAML syntax error/);
  }
  const f = parseCheckFile('namespace: demo\nparams: { app: web }\nchecks:\n  - { id: r, kind: rollout, deployment: "{app}" }\n', 'y.yaml');
  assert.is(f.namespace, 'demo');
  assert.is(f.checks.length, 1);
  try { parseCheckFile('checks:\n  - { id: r, kind: rollout }\n', 'z.yaml'); assert.unreachable(); } catch (e) {
    assert.match((e as KlabError).text.en, "z.yaml:2: missing required field 'deployment'");
  }
  try { await loadCheckFile('/nonexistent/checks.yaml'); assert.unreachable(); } catch (e) {
    assert.is((e as KlabError).exitCode, 2);
    assert.match((e as KlabError).text.en, 'ENOENT');
  }
});

test('lineOfPointer maps JSON pointers (with ~1 escapes) to lines; missing tails use the deepest node', () => {
  const src = 'a:\n  b:\n    - x: 1\n    - "eks.amazonaws.com/nodegroup": 2\n';
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc });
  assert.is(lineOfPointer(doc, '/a/b/1/eks.amazonaws.com~1nodegroup', lc), 4);
  assert.is(lineOfPointer(doc, '/a/b/0/x', src), 3);
  assert.is(lineOfPointer(doc, '/a/b/0/missing', lc), 3);
  assert.is(lineOfPointer(doc, '', lc), 1);
});

test.run();
