// Getting kubectl to talk to klab's cluster: the lines `klab start` prints and `klab env` gives to eval.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellEnv, shellQuote } from '../../cluster/shell-env.js';
import { cli, tempDir, klabJs, root } from './_cli.js';

test('shellEnv: KUBECONFIG always, PATH only with a tools dir; "current" when the shell already has both', () => {
  const a = shellEnv({ kubeconfig: '/s/klab/kubeconfig', binDir: '/c/klab/bin' }, { KUBECONFIG: '/other', PATH: '/usr/bin' });
  assert.equal(a.exports, ['export KUBECONFIG=/s/klab/kubeconfig', 'export PATH=/c/klab/bin:"$PATH"']);
  assert.is(a.current, false);
  assert.ok(shellEnv({ kubeconfig: '/s/kc', binDir: '/c/bin' }, { KUBECONFIG: '/s/kc', PATH: '/c/bin:/usr/bin' }).current);
  assert.not.ok(shellEnv({ kubeconfig: '/s/kc', binDir: '/c/bin' }, { KUBECONFIG: '/s/kc', PATH: '/usr/bin:/c/bin' }).current, 'an older kubectl earlier on PATH would answer first');
  assert.equal(shellEnv({ kubeconfig: '/s/kc' }, {}).exports, ['export KUBECONFIG=/s/kc']);
  assert.is(shellQuote("/home/o'neil/my kube"), `'/home/o'\\''neil/my kube'`);
});

test('shellEnv: DOCKER_HOST when the provider runs its own Docker engine (local); lab params workdir and registry', async () => {
  const d = shellEnv({ kubeconfig: '/s/kc', dockerHost: 'unix:///s/node/docker/docker.sock' }, { KUBECONFIG: '/s/kc' });
  assert.equal(d.exports, ['export KUBECONFIG=/s/kc', 'export DOCKER_HOST=unix:///s/node/docker/docker.sock']);
  assert.not.ok(d.current, 'docker would talk to another engine');
  assert.ok(shellEnv({ kubeconfig: '/s/kc', dockerHost: 'unix:///d.sock' }, { KUBECONFIG: '/s/kc', DOCKER_HOST: 'unix:///d.sock' }).current);
  const { imageRegistry } = await import('../../cluster/provider.js');
  const { workRoot } = await import('../../cluster/paths.js');
  assert.is(imageRegistry('local', {}), 'localhost:5000');
  assert.is(imageRegistry('kind', {}), 'localhost:5001');
  assert.is(imageRegistry('existing', {}), undefined);
  assert.is(imageRegistry('existing', { KLAB_REGISTRY: 'https://1.dkr.ecr.ap-northeast-2.amazonaws.com/' }), '1.dkr.ecr.ap-northeast-2.amazonaws.com');
  assert.is(workRoot({ KLAB_WORK: '/w' }), '/w');
  assert.match(workRoot({ KLAB_WORK: 'relative' }), /\/klab$/);
  const { loadLab, labParams } = await import('../../labs/_engine/load.js');
  const lab = await loadLab('i-h1');
  const p = labParams(lab, 'kim', { provider: 'kind' }, { KLAB_WORK: '/w' });
  assert.is(p.workdir, '/w/i-h1');
  assert.is(p.chart, '/w/i-h1/chart');
  assert.match(p.image, /^localhost:5001\/dodo-[a-z0-9]{5}:1\.\d+$/);
  assert.match(labParams(lab, 'kim', undefined, { KLAB_WORK: '/w' }).image, /^\{registry\}\//, 'without a cluster the registry stays a visible placeholder');
});

test('registry: the one a cluster advertises (local-registry-hosting, KEP-1755) beats the provider default, KLAB_REGISTRY beats both; a submission\'s own', async () => {
  const { imageRegistry, parseRegistryHosting } = await import('../../cluster/provider.js');
  const { localRegistryHostingConfigMap } = await import('../../cluster/kind/config.js');
  assert.is(parseRegistryHosting(localRegistryHostingConfigMap().data['localRegistryHosting.v1']), 'localhost:5001', 'what klab\'s kind provider writes');
  assert.is(parseRegistryHosting('host: reg.example.com:443 # ours\nhelp: "x"\n'), 'reg.example.com:443');
  assert.is(parseRegistryHosting('help: "no host"\n'), undefined);
  assert.is(parseRegistryHosting(undefined), undefined);
  assert.is(imageRegistry('kind', {}, 'localhost:5123'), 'localhost:5123');
  assert.is(imageRegistry('existing', {}, 'localhost:5123'), 'localhost:5123');
  assert.is(imageRegistry('existing', { KLAB_REGISTRY: 'ecr.example' }, 'localhost:5123'), 'ecr.example');
  const { loadLab, labParams } = await import('../../labs/_engine/load.js');
  const lab = await loadLab('i-h1');
  const p = labParams(lab, 'kim', { provider: 'existing', registry: 'localhost:5123' }, { KLAB_WORK: '/w' });
  assert.match(p.image, /^localhost:5123\/dodo-[a-z0-9]{5}:1\.\d+$/);
  const { registryFromSubmission } = await import('../../grade/submission/grader.js');
  const bare = labParams(lab, 'kim', undefined, { KLAB_WORK: '/w' });
  const repo = bare.imageRepo.replace('{registry}/', '');
  assert.is(registryFromSubmission(lab, bare, ['image:\n  repository: "localhost:5000/' + repo + '"\n']), 'localhost:5000');
  assert.is(registryFromSubmission(lab, bare, [`image: { repository: 1.dkr.ecr.ap-northeast-2.amazonaws.com/team/${repo} }`]), '1.dkr.ecr.ap-northeast-2.amazonaws.com/team');
  assert.is(registryFromSubmission(lab, bare, [`repository: localhost:5000/${repo}x`]), undefined, 'another trainee\'s repository is not taken');
  assert.is(registryFromSubmission(lab, bare, ['nothing here']), undefined);
});

test('klab env: eval-able lines (bash sees KUBECONFIG), --json, a note on stderr when kubectl would use another context', () => {
  const dir = tempDir('klab env ');
  const kc = join(dir, 'config');
  writeFileSync(kc, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: a, context: {cluster: c, user: u}}, {name: b, context: {cluster: c, user: u}}]
current-context: a
`);
  const env = { XDG_STATE_HOME: tempDir() };
  const r = cli(['env', '--kubeconfig', kc], env);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `export KUBECONFIG=${shellQuote(kc)}\n`);
  assert.is(r.stderr, '');
  const sh = spawnSync('bash', ['-c', `eval "$("${process.execPath}" ${klabJs} env --kubeconfig '${kc}')" && printf %s "$KUBECONFIG"`], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.is(sh.stdout, kc, sh.stderr);
  const j = JSON.parse(cli(['env', '--json', '--kubeconfig', kc], env).stdout);
  assert.equal([j.kubeconfig, j.context, j.exports.length], [kc, 'a', 1]);
  const other = cli(['--lang', 'en', 'env', '--kubeconfig', kc, '--context', 'b'], env);
  assert.is(other.code, 0);
  assert.match(other.stderr, 'kubectl config use-context b');
  assert.match(cli(['--lang', 'ko', 'env', '--kubeconfig', kc, '--context', 'b'], env).stderr, '실습은 b를 씁니다');
});

test('klab env without a kubeconfig: exit 3 and what to do, no stack trace', () => {
  const r = cli(['--lang', 'en', 'env', '--kubeconfig', '/nonexistent/kubeconfig']);
  assert.is(r.code, 3);
  assert.match(r.stderr, 'No kubeconfig found');
  assert.not.match(r.stderr, /\n\s+at /);
});

test.run();
