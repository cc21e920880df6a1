import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../../scripts/args.js';
import { KlabError } from '../../i18n/index.js';

test('language comes from --lang, else LANG/LC_ALL (Korean when it starts with ko)', () => {
  assert.is(parse(['list'], { LANG: 'ko_KR.UTF-8' }).lang, 'ko');
  assert.is(parse(['list'], { LANG: 'en_US.UTF-8' }).lang, 'en');
  assert.is(parse(['list'], { LC_ALL: 'ko_KR.UTF-8', LANG: 'en_US' }).lang, 'ko');
  assert.is(parse(['--lang', 'en', 'list'], { LANG: 'ko_KR.UTF-8' }).lang, 'en');
  assert.is(parse(['list', '--lang=ko'], {}).lang, 'ko');
  assert.is(parse(['list'], {}).lang, 'en');
});

test('command, positionals and command flags', () => {
  const a = parse(['check', 'i-m1', '--step', '2', '--json', '--context', 'kind-klab', '--kubeconfig', '/k'], {});
  assert.is(a.command, 'check');
  assert.equal(a.positionals, ['i-m1']);
  assert.is(a.flags.step, '2');
  assert.ok(a.json);
  assert.is(a.context, 'kind-klab');
  assert.is(a.kubeconfig, '/k');
  const s = parse(['start', 'i-l1', '--provider', 'local', '--seed', 'kim', '--no-guide'], {});
  assert.is(s.flags.provider, 'local');
  assert.is(s.flags.seed, 'kim');
  assert.is(s.flags['no-guide'], true);
});

test('colour: on a terminal by default, off with --no-color, NO_COLOR or when piped', () => {
  assert.ok(parse(['list'], {}, true).color);
  assert.not.ok(parse(['list', '--no-color'], {}, true).color);
  assert.not.ok(parse(['list'], { NO_COLOR: '1' }, true).color);
  assert.not.ok(parse(['list'], {}, false).color);
  assert.ok(parse(['list'], { FORCE_COLOR: '1' }, false).color);
});

function usageError(argv: string[], env: NodeJS.ProcessEnv = {}): KlabError {
  try { parse(argv, env); } catch (e) { assert.instance(e, KlabError); return e as KlabError; }
  assert.unreachable(`expected ${argv.join(' ')} to be rejected`);
  throw new Error('unreachable');
}

test('bad flags are usage errors (exit 2) in the chosen language', () => {
  const e = usageError(['list', '--bogus'], { LANG: 'ko_KR.UTF-8' });
  assert.is(e.exitCode, 2);
  assert.match(e.text.ko, '알 수 없는 옵션');
  assert.match(e.text.en, '--bogus');
  assert.is(usageError(['--lang', 'fr', 'list']).exitCode, 2);
  assert.match(usageError(['start', 'x', '--provider', 'minikube']).text.en, "'minikube' does not exist");
  assert.match(usageError(['check', 'x', '--step', '0']).text.en, 'whole number');
  assert.match(usageError(['check', 'x', '--step', 'two']).text.ko, '정수');
});

test.run();
