// On a Node.js older than klab needs, every command says what to install (ko/en) and exits 2 — never a stack trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, root, klabJs, deadKubeconfig } from './_cli.js';
import { nodeTooOld, nodeMinimum } from '../../i18n/node-version.js';

test('nodeTooOld: below the minimum, unreadable → too old; the minimum and newer → fine', () => {
  for (const v of ['20.20.2', 'v20.11.1', '22.18.0', '18.0.0', 'garbage', '']) assert.ok(nodeTooOld(v), v);
  for (const v of ['22.19.0', 'v22.20.1', '24.21.0', '26.0.0']) assert.not.ok(nodeTooOld(v), v);
});

test('the minimum is package.json engines', () => {
  const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node as string;
  assert.is(engines, `>=${nodeMinimum.major}.${nodeMinimum.minor}`);
});

test('every command on a (faked) Node 20: exit 2, what to install, in English and Korean, no stack trace', () => {
  const env = { KLAB_TEST_NODE_VERSION: '20.11.1' };
  for (const args of [['doctor'], ['check', 'hello', '--kubeconfig', deadKubeconfig()], ['list'], ['status'], ['--version'], []]) {
    const r = cli(['--lang', 'en', ...args], env);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, 'klab needs Node.js 22.19 or newer (this is 20.11.1)');
    assert.match(r.stderr, 'nvm install 24');
    assert.is(r.stdout, '', 'nothing else runs');
    assert.not.match(r.stderr, /\n\s+at /);
  }
  const ko = cli(['doctor'], { ...env, LANG: 'ko_KR.UTF-8' });
  assert.is(ko.code, 2);
  assert.match(ko.stderr, 'klab 에는 Node.js 22.19 이상이 필요합니다 (지금: 20.11.1)');
  assert.match(cli(['--lang', 'ko', 'list'], env).stderr, 'Node.js 24 (LTS)를 설치한 뒤');
});

test('on the supported Node the check lets commands run', () => {
  const r = cli(['--lang', 'en', 'list'], { KLAB_TEST_NODE_VERSION: '22.19.0' });
  assert.is(r.code, 0, r.stderr);
});

// The real thing where the machine has an old system Node (this one has v20 as /usr/bin/node): no fake at all.
const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p) && nodeTooOld(spawnSync(p, ['--version'], { encoding: 'utf8' }).stdout.trim()));
if (oldNode) {
  test(`the built CLI on a real old Node (${oldNode}): doctor and check say what to install, exit 2`, () => {
    for (const args of [['doctor'], ['check', 'i-m1']]) {
      const r = spawnSync(oldNode, [klabJs, '--lang', 'en', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', KLAB_TEST_NODE_VERSION: '' } });
      assert.is(r.status, 2, r.stderr);
      assert.match(r.stderr, 'klab needs Node.js 22.19 or newer');
      assert.not.match(r.stderr, /\n\s+at /);
    }
  });
}

test.run();
