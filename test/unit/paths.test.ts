// One paths module: state and cache follow the XDG Base Directory spec (absolute values only), the package root
// is found from the compiled tree, and every provider's folders hang under those two.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stateDir, cacheDir, packageRoot, packagePath } from '../../cluster/paths.js';
import { addonNames } from '../../cluster/addons.js';

test('default environment: ~/.local/state/klab and ~/.cache/klab', () => {
  assert.is(stateDir({}), join(homedir(), '.local', 'state', 'klab'));
  assert.is(cacheDir({}), join(homedir(), '.cache', 'klab'));
});

test('XDG_STATE_HOME / XDG_CACHE_HOME are used when absolute, ignored when relative or empty (XDG spec)', () => {
  assert.is(stateDir({ XDG_STATE_HOME: '/x/state' }), '/x/state/klab');
  assert.is(cacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/klab');
  assert.is(stateDir({ XDG_STATE_HOME: 'rel/state' }), join(homedir(), '.local', 'state', 'klab'));
  assert.is(cacheDir({ XDG_CACHE_HOME: 'rel/cache' }), join(homedir(), '.cache', 'klab'));
  assert.is(stateDir({ XDG_STATE_HOME: '' }), join(homedir(), '.local', 'state', 'klab'));
});

test('every provider keeps its folders under the one state and cache dir', async () => {
  const saved = { s: process.env.XDG_STATE_HOME, c: process.env.XDG_CACHE_HOME };
  process.env.XDG_STATE_HOME = '/x/state'; process.env.XDG_CACHE_HOME = '/x/cache';
  try {
    const kind = await import('../../cluster/kind.js');
    const local = await import('../../cluster/local/cluster.js');
    const tools = await import('../../cluster/local/tools.js');
    const validator = await import('../../cluster/kind/validator.js');
    assert.is(kind.stateDir(), '/x/state/klab/kind');
    assert.is(kind.cacheDir(), '/x/cache/klab/downloads');
    assert.is(local.stateDir(), '/x/state/klab/local');
    assert.is(tools.binCacheDir(), '/x/cache/klab/bin');
    assert.is(validator.cacheBinDir(), '/x/cache/klab/bin');
  } finally {
    for (const [k, v] of [['XDG_STATE_HOME', saved.s], ['XDG_CACHE_HOME', saved.c]] as const) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
});

test('the package root holds package.json, the node groups and the labs', () => {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string };
  assert.is(pkg.name, 'klab');
  for (const p of [['cluster', 'nodegroups.yaml'], ['cluster', 'nodegroups.schema.json'], ['labs', '_engine', 'lab.schema.json'], ['cluster', 'kind', 'validate', 'go.mod']]) {
    assert.ok(existsSync(packagePath(...p)), p.join('/'));
  }
});

test('lab.yaml addons: the schema lists exactly the add-on names the providers know', () => {
  const schema = JSON.parse(readFileSync(packagePath('labs', '_engine', 'lab.schema.json'), 'utf8'));
  assert.equal([...schema.properties.addons.items.enum].sort(), [...addonNames].sort());
});

test.run();
