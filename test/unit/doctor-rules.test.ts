// klab doctor: the Node end-of-life rule, memory and inotify thresholds, and the --json shape.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { argoCheck, helmDiffCheck, hasHelmDiff, rolloutsPluginCheck, parseArgoVersion, inotifyCheck, memoryCheck, memoryNeedMiB, nodeCheck, parseHelmVersion, parseKindVersion, parseKubectlVersion, readMemAvailableMiB, kubectlSkew } from '../../cluster/doctor.js';

test('Node 20 is end-of-life (since 2026-04-30) and below engines → fail, in both languages', () => {
  const c = nodeCheck('v20.19.5', new Date('2026-11-01'));
  assert.is(c.status, 'fail');
  assert.match(c.message.en, /end-of-life on 2026-04-30/);
  assert.match(c.message.ko, /2026-04-30/);
  assert.ok(c.fix?.linux.includes('nvm install 24'));
  assert.ok(c.fix?.macos && c.fix.windows);
});

test('Node below engines (>=22.19) fails even when not EOL; 22.19 and 24 pass', () => {
  assert.is(nodeCheck('22.18.0', new Date('2026-11-01')).status, 'fail');
  assert.match(nodeCheck('22.18.0', new Date('2026-11-01')).message.en, />= 22\.19/);
  assert.is(nodeCheck('22.19.0', new Date('2026-11-01')).status, 'ok');
  assert.is(nodeCheck('24.21.0', new Date('2026-11-01')).status, 'ok');
  assert.is(nodeCheck('20.19.5', new Date('2026-04-01')).status, 'fail', 'below engines before EOL too');
  assert.not.match(nodeCheck('20.19.5', new Date('2026-04-01')).message.en, /end-of-life/);
});

test('a current-enough but EOL odd release warns; garbage fails', () => {
  assert.is(nodeCheck('25.1.0', new Date('2026-11-01')).status, 'warn');
  assert.is(nodeCheck('25.1.0', new Date('2026-01-01')).status, 'ok');
  assert.is(nodeCheck('banana').status, 'fail');
});

test('memory: figures stated, warn below the need, ok above', () => {
  assert.is(memoryNeedMiB(3, true), 2700);
  assert.is(memoryNeedMiB(3, false), 2400);
  const low = memoryCheck(2000, null, 3);
  assert.is(low.status, 'warn');
  assert.match(low.message.en, /2700 MiB with Argo, 2400 MiB without/);
  assert.is(memoryCheck(2500, null, 3).status, 'warn');
  assert.match(memoryCheck(2500, null, 3).message.en, /Argo labs/);
  assert.is(memoryCheck(8000, null, 3).status, 'ok');
  assert.is(memoryCheck(16000, 2048, 3).status, 'warn', 'Docker Desktop VM total is the ceiling');
  assert.is(memoryCheck(null, null, 3).status, 'info');
  assert.is(readMemAvailableMiB('MemTotal: 1 kB\nMemAvailable:    2097152 kB\n'), 2048);
});

test("inotify: below kind's recommendation warns with the sysctl fix", () => {
  const c = inotifyCheck(8192, 128);
  assert.is(c.status, 'warn');
  assert.ok(c.fix?.linux.includes('fs.inotify.max_user_watches=524288'));
  assert.ok(c.fix?.linux.includes('fs.inotify.max_user_instances=512'));
  assert.is(inotifyCheck(524288, 512).status, 'ok');
  assert.is(inotifyCheck(1048576, 128).status, 'warn');
  assert.is(inotifyCheck(null, null).status, 'info');
});

test('version parsing and kubectl skew', () => {
  assert.is(parseKindVersion('kind v0.33.0 go1.26.1 linux/amd64'), 'v0.33.0');
  assert.is(parseHelmVersion('v3.19.0+g3d8990f'), 'v3.19.0');
  assert.is(parseKubectlVersion('{"clientVersion":{"gitVersion":"v1.35.4"}}'), 'v1.35.4');
  assert.is(kubectlSkew('v1.35.4'), 0);
  assert.is(kubectlSkew('v1.32.4'), -3);
  assert.is(parseArgoVersion('argo: v4.0.5'), 'v4.0.5');
  assert.is(parseArgoVersion('argo: v3.5.2+1e2e5d5.dirty'), 'v3.5.2');
  assert.is(parseArgoVersion('command not found'), null);
});

test('argo CLI: absent → warn with the pinned release per OS (and the local build when there is one); another major → warn', () => {
  const none = argoCheck(null, false);
  assert.is(none.status, 'warn');
  assert.match(none.message.en, 'argo is not installed');
  assert.match(none.message.en, 'Lab i-h2');
  assert.match(none.message.ko, 'i-h2');
  assert.match(none.fix!.linux, 'releases/download/v4.0.5/argo-linux-amd64.gz');
  assert.match(none.fix!.macos, 'brew install argo');
  assert.match(none.fix!.windows, '(WSL)');
  assert.is(none.fixNote, undefined);
  assert.match(argoCheck(null, true).fixNote!.en, 'eval "$(klab env)"');
  const old = argoCheck('v3.5.2', false);
  assert.is(old.status, 'warn');
  assert.match(old.message.en, 'argo v3.5.2 — the labs are written for Argo Workflows v4.0.5');
  assert.is(argoCheck('v4.0.5', false).status, 'ok');
  assert.is(argoCheck('v4.1.0', false).status, 'ok');
});

test('--json shape: ok, exitCode, platform, checks[{id,status,found,message,fix?}], pins; exit code matches', async () => {
  const { run } = await import('../../scripts/doctor.js');
  let out = '';
  const orig = process.stdout.write.bind(process.stdout);
  (process.stdout as any).write = (s: string) => { out += s; return true; };
  let code: number;
  try { code = await run({ lang: 'en', json: true, color: false, flags: {}, kubeconfig: undefined, context: undefined }); }
  finally { (process.stdout as any).write = orig; }
  const j = JSON.parse(out);
  assert.type(j.ok, 'boolean');
  assert.is(j.exitCode, code);
  assert.is(code, j.ok ? 0 : 1);
  assert.is(j.lang, 'en');
  assert.type(j.platform, 'string');
  const ids = j.checks.map((c: any) => c.id);
  for (const id of ['node', 'docker', 'kind', 'kubectl', 'helm', 'argo', 'memory', 'inotify', 'cluster', 'provider']) assert.ok(ids.includes(id), `check ${id}`);
  for (const c of j.checks) {
    assert.ok(['ok', 'warn', 'fail', 'info'].includes(c.status), c.id);
    assert.type(c.message, 'string');
    assert.ok(c.message.length > 0);
    if (c.fix) for (const k of ['linux', 'macos', 'windows']) assert.type(c.fix[k], 'string');
    if (c.status !== 'ok' && c.status !== 'info' && c.id !== 'nodegroups' && c.id !== 'cluster' && c.id !== 'provider') assert.ok(c.fix, `${c.id} not ok → has a fix`);
  }
  assert.is(j.ok, !j.checks.some((c: any) => c.status === 'fail'));
  assert.is(j.pins.kindVersion, 'v0.33.0');
});

test('helm-diff: absent → info (never fail) with the pinned install per OS, --verify=false for Helm 4; installed → ok; no helm → info', () => {
  const list = 'NAME\tVERSION\tDESCRIPTION\ndiff\t3.15.9\tPreview helm upgrade changes as a diff\n';
  assert.ok(hasHelmDiff(list));
  assert.not.ok(hasHelmDiff('NAME\tVERSION\tDESCRIPTION\nsecrets\t4.6.0\tdiff-like\n'));
  assert.not.ok(hasHelmDiff('NAME\tVERSION\tDESCRIPTION\n'));
  const none = helmDiffCheck('v3.22.0', 'NAME\tVERSION\tDESCRIPTION\n');
  assert.is(none.status, 'info');
  assert.match(none.message.en, 'helm template … | kubectl diff -f -');
  assert.match(none.message.ko, 'kubectl diff -f -');
  assert.is(none.fix!.linux, 'helm plugin install https://github.com/databus23/helm-diff --version v3.15.9');
  assert.match(none.fix!.windows, '(WSL)');
  assert.match(helmDiffCheck('v4.0.1', '').fix!.linux, '--verify=false');
  assert.is(helmDiffCheck('v3.22.0', list).status, 'ok');
  assert.is(helmDiffCheck(null, null).status, 'info');
  assert.is(helmDiffCheck(null, null).fix, undefined);
});

test('kubectl-argo-rollouts plugin: absent → warn with the pinned release\'s asset (and the local build when there is one); found → ok', () => {
  const none = rolloutsPluginCheck(null, false);
  assert.is(none.status, 'warn');
  assert.match(none.message.en, 'kubectl-argo-rollouts is not installed');
  assert.match(none.message.en, 'canary');
  assert.match(none.message.ko, 'd1');
  assert.match(none.fix!.linux, 'releases/download/v1.10.1/kubectl-argo-rollouts-linux-amd64');
  assert.is(none.fixNote, undefined);
  assert.match(rolloutsPluginCheck(null, true).fixNote!.en, 'eval "$(klab env)"');
  assert.is(parseArgoVersion('kubectl-argo-rollouts: v1.10.1+unknown'), 'v1.10.1');
  assert.is(rolloutsPluginCheck('v1.10.1', false).status, 'ok');
});

test.run();
