// chart-render: assertions judged on recorded `helm template` output (no helm needed), template-error locations
// from Helm's real messages, and the probe end to end with a real helm on copies of the fixture chart broken on
// purpose (skipped, and said so, where no helm binary exists).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeReleaseSecretData } from '../../checkers/helm-decode.js';
import { splitRendered, judge, entriesOf, templateErrorLocation, helmBinary } from '../../checkers/chart-render.js';
import { checkFromSpec, validateCheckSpecs } from '../../checkers/kinds.js';
import type { CheckContext } from '../../checkers/types.js';
import { skipTest } from '../skip.js';

const dir = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'test/fixtures/helm');
// The manifests a real helm rendered for the fixture chart (dev: revision 1, prod: revision 2), as recorded.
const manifest = (v: number) => decodeReleaseSecretData(JSON.parse(readFileSync(join(dir, `release-dodo-v${v}.json`), 'utf8')).data.release).manifest!;
const en = (ts: { en: string }[]) => ts.map((t) => t.en).join(' | ');

test('recorded dev output: no SENTRY__DSN (must not contain holds), origins in order', async () => {
  const docs = await splitRendered(manifest(1));
  assert.equal(docs.map((d) => `${d.kind}/${d.name}`).sort(), ['ConfigMap/dodo-web-env', 'Deployment/dodo-web', 'Service/dodo-web']);
  assert.equal(judge({ notContains: 'SENTRY__DSN' }, docs), []);
  assert.equal(judge({ entries: { SENTRY__DSN: null, ENV: 'dev' } }, docs), []);
  assert.equal(judge({ ordered: { prefix: 'WEB__CROSS_ORIGIN__', values: ['https://a.example.com', 'https://b.example.com'] } }, docs), []);
  assert.equal(judge({ select: { kind: 'Deployment' }, fields: { spec: { template: { spec: { containers: [{ name: 'web' }] } } } } }, docs), []);
  // …and each fails with its diagnosis when the expectation is the other one
  assert.match(en(judge({ contains: 'SENTRY__DSN' }, docs)), 'does not contain "SENTRY__DSN"');
  assert.match(en(judge({ entries: { ENV: 'prod' } }, docs)), 'ENV: expected "prod", rendered "dev" (ConfigMap/dodo-web-env)');
  assert.match(en(judge({ ordered: { prefix: 'WEB__CROSS_ORIGIN__', values: ['https://b.example.com', 'https://a.example.com'] } }, docs)), 'do not match the list in order');
  assert.match(en(judge({ select: { kind: 'Secret' }, contains: 'TOKEN' }, docs)), 'has no Secret');
  assert.match(en(judge({ select: { kind: 'Deployment' }, fields: { spec: { replicas: 3 } } }, docs)), 'spec.replicas');
});

test('recorded prod output: SENTRY__DSN present; must-not-contain fails naming the document and its template', async () => {
  const docs = await splitRendered(manifest(2));
  assert.equal(judge({ contains: 'SENTRY__DSN' }, docs), []);
  assert.equal(judge({ entries: { SENTRY__DSN: 'https://sentry.io/' } }, docs), []);
  const bad = en(judge({ notContains: 'SENTRY__DSN' }, docs));
  assert.match(bad, 'must not contain "SENTRY__DSN", but ConfigMap/dodo-web-env (templates/configmap.yaml) does');
  assert.match(en(judge({ entries: { SENTRY__DSN: null } }, docs)), 'SENTRY__DSN must be absent, but ConfigMap/dodo-web-env has it');
});

test('entries: env {name,value} items, Secret data decoded from base64, stringData as is; range from 1 explained', async () => {
  const b64 = Buffer.from('가나다').toString('base64');
  const docs = await splitRendered([
    '# Source: c/templates/secret.yaml', 'apiVersion: v1', 'kind: Secret', 'metadata: { name: s }', `data: { TOKEN: ${b64} }`, '---',
    '# Source: c/templates/deploy.yaml', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: d }',
    'spec: { template: { spec: { containers: [ { name: web, env: [ { name: WEB__CROSS_ORIGIN__1, value: "https://a" }, { name: WEB__CROSS_ORIGIN__2, value: "https://b" } ] } ] } } }',
  ].join('\n'));
  assert.ok(entriesOf(docs).some((e) => e.key === 'TOKEN' && e.value === '가나다' && e.at === 'Secret/s'));
  assert.equal(judge({ select: { kind: 'Secret' }, entries: { TOKEN: '가나다' } }, docs), []);
  const r = en(judge({ ordered: { prefix: 'WEB__CROSS_ORIGIN__', values: ['https://a', 'https://b'] } }, docs));
  assert.match(r, 'start at 1');
  assert.match(r, 'rendered [WEB__CROSS_ORIGIN__1=https://a, WEB__CROSS_ORIGIN__2=https://b]');
  const none = en(judge({ ordered: { prefix: 'WEB__CROSS_ORIGIN__', values: ['x'] } }, await splitRendered('kind: ConfigMap\nmetadata: {name: c}\ndata: {A: b}')));
  assert.match(none, 'none at all');
  assert.match(en(judge({ entries: { SENTRY__DSN: 'x' } }, await splitRendered('kind: ConfigMap\nmetadata: {name: c}\ndata: {SENTRY_DSN: x}'))), 'similar name: SENTRY_DSN');
});

test('template errors located as file:line from Helm\'s messages', () => {
  assert.is(templateErrorLocation('Error: template: dodo/templates/configmap.yaml:9:11: executing "dodo/templates/configmap.yaml" at <.Values.web.crossOrigin>: range can\'t iterate over 5'), 'templates/configmap.yaml:9');
  assert.is(templateErrorLocation('Error: parse error at (dodo/templates/deployment.yaml:14): unexpected "}" in operand'), 'templates/deployment.yaml:14');
  assert.is(templateErrorLocation('Error: YAML parse error on dodo/templates/service.yaml: error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context'), 'templates/service.yaml (rendered line 7)');
  assert.is(templateErrorLocation('Error: Chart.yaml file is missing'), undefined);
});

test('schema: assertions and set validated; unknown assertion field rejected', () => {
  assert.equal(validateCheckSpecs([{ id: 'r', kind: 'chart-render', chart: 'chart', values: ['environments/values.dev.yaml'], set: { env: 'prod' }, assert: [{ notContains: 'SENTRY__DSN' }, { ordered: { prefix: 'A', values: ['x'] } }] }]), []);
  const bad = validateCheckSpecs([{ id: 'r', kind: 'chart-render', chart: 'chart', assert: [{ absent: 'X' }] }]);
  assert.ok(bad.length > 0);
});

const ctx = (): CheckContext => ({ kc: undefined as any, lang: 'en', namespace: 'ns', params: {}, capabilities: {} as any, answers: {}, signal: new AbortController().signal });

test('probe with a real helm: passes, then fails with file:line, a missing values file, a missing chart — all settled', async () => {
  if (!(await helmBinary())) { skipTest('no helm binary (PATH or ~/.cache/klab/bin)'); return; }
  const work = mkdtempSync(join(tmpdir(), 'klab-chart-render-'));
  try {
    const chart = join(work, 'chart');
    cpSync(join(dir, 'django-chart'), chart, { recursive: true });
    const run = (spec: Record<string, unknown>) => checkFromSpec({ id: 'r', kind: 'chart-render', chart, ...spec } as any).probe(ctx());
    let r = await run({ values: ['environments/values.dev.yaml'], assert: [{ notContains: 'SENTRY__DSN' }, { ordered: { prefix: 'WEB__CROSS_ORIGIN__', values: ['https://a.example.com', 'https://b.example.com'] } }] });
    assert.ok(r.ok, en(r.reasons));
    assert.is(r.settled, true);
    r = await run({ values: ['environments/values.dev.yaml'], set: { env: 'prod' }, assert: [{ entries: { SENTRY__DSN: 'https://sentry.io/' } }] });
    assert.ok(r.ok, '--set env=prod renders the prod key: ' + en(r.reasons));
    r = await run({ values: ['environments/values.dev.yaml'], assert: [{ contains: 'SENTRY__DSN' }] });
    assert.not.ok(r.ok);
    assert.is(r.settled, true, 'a static fail is settled at once');
    // a misspelt key in range: Helm's own error, located
    writeFileSync(join(chart, 'templates/configmap.yaml'), readFileSync(join(chart, 'templates/configmap.yaml'), 'utf8').replace('{{- range $index, $origin := .Values.web.crossOrigins }}', '{{- range $index, $origin := .Values.web.crossOrigins.x }}'));
    r = await run({ values: ['environments/values.dev.yaml'] });
    assert.not.ok(r.ok);
    assert.is(r.settled, true);
    assert.match(en(r.reasons), /does not render \(-f environments\/values.dev.yaml\): .*chart\/templates\/configmap.yaml:\d+:/);
    r = await run({ values: ['environments/values.qa.yaml'] });
    assert.match(en(r.reasons), 'Values file missing: environments/values.qa.yaml');
    r = await checkFromSpec({ id: 'r', kind: 'chart-render', chart: join(work, 'nope') } as any).probe(ctx());
    assert.not.ok(r.ok);
    assert.match(en(r.reasons), 'no such folder');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
