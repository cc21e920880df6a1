// The trainee's loop in a real terminal (tmux), lab i-m1: start → check fails → an answer given from a second
// terminal (`klab answer`, as kind/name) is seen by the next check → the Secret and ConfigMap made from a second
// terminal pass step 2 → Ctrl+C → `klab start` again resumes at step 3 and the trainee's objects are still the same
// objects (same uid, same data). Then `start --reset --yes` starts over.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../unit/_cli.js';
import { klabPty } from './_pty.js';
import { trainee, applyCommands } from './_labs.js';
import { testKubeConfig } from './_env.js';
import { loadLab, labParams } from '../../labs/_engine/load.js';

const t = suite('resume keeps the work (pty, i-m1)');

async function uids(ns: string, p: Record<string, string>): Promise<Record<string, string | null>> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = (await testKubeConfig()).makeApiClient(CoreV1Api);
  const uid = async (f: () => Promise<{ metadata?: { uid?: string } }>) => { try { return (await f()).metadata?.uid ?? null; } catch (e) { if ((e as { code?: number }).code === 404) return null; throw e; } };
  return {
    secret: await uid(() => core.readNamespacedSecret({ name: p.secret, namespace: ns })),
    configmap: await uid(() => core.readNamespacedConfigMap({ name: p.config, namespace: ns })),
  };
}

t('answer and work from a second terminal are seen; Ctrl+C; start again keeps the Secret and ConfigMap', async () => {
  const state = tempDir('klab-pty-resume-');
  const seed = 'pty-resume';
  const p = labParams(await loadLab('i-m1'), seed);
  const other = trainee(seed, 'en', state); // the second terminal: the same trainee and state dir
  const klab2 = (...args: string[]) => { const r = other.klab(...args); assert.is(r.code, 0, r.stderr + r.stdout); return r; };
  let s = klabPty('klab-pty-resume-1', { state, seed, lang: 'en', args: ['start', 'i-m1'] });
  try {
    await s.waitFor('What next?', 180_000);
    assert.match(s.screen(), 'Step 1/5');
    assert.match(s.screen(), 'export KUBECONFIG=', 'start prints the line that makes kubectl work');
    s.keys('Enter'); // Check now
    await s.waitFor('Not yet.');
    assert.match(s.screen(), 'Not answered yet');

    klab2('answer', 'i-m1', 'missing', `secret/${p.secret}`);
    await s.waitFor('What next?', 30_000, 2);
    s.keys('Enter'); // Check now: the answer from the other terminal is read now
    await s.waitFor('Passed!');
    await s.waitFor('Step 2/5');

    applyCommands([
      `kubectl -n ${p.namespace} create secret generic ${p.secret} --from-literal=TOKEN=${p.token}`,
      `kubectl -n ${p.namespace} create configmap ${p.config} --from-literal=GREETING=${p.greeting} --from-literal=LOG_LEVEL=info`,
    ], p);
    await s.waitFor('What next?', 30_000, 3);
    s.keys('Enter');
    await s.waitFor('Passed!', 120_000, 2);
    await s.waitFor('Step 3/5');
    await s.waitFor('What next?', 30_000, 4);
    s.keys('C-c');
    const end = await s.waitFor('KLAB-EXIT=');
    assert.match(end, 'KLAB-EXIT=0');
    s.kill();

    const made = await uids(p.namespace, p);
    assert.ok(made.secret && made.configmap, 'the trainee made both');
    s = klabPty('klab-pty-resume-2', { state, seed, lang: 'en', args: ['start', 'i-m1'] });
    await s.waitFor('What next?', 180_000);
    const screen = s.screen();
    assert.match(screen, 'Resuming lab i-m1 at step 3/5');
    assert.match(screen, 'Step 3/5');
    assert.equal(await uids(p.namespace, p), made, 'the same Secret and ConfigMap: not deleted, not re-created');
    s.keys('C-c');
    await s.waitFor('KLAB-EXIT=0');
    s.kill();

    // Starting over is explicit, and then the lab starts without them.
    const reset = klab2('start', 'i-m1', '--no-guide', '--reset', '--yes');
    assert.match(reset.stdout, 'Starting lab i-m1 over');
    assert.equal(await uids(p.namespace, p), { secret: null, configmap: null });
  } finally {
    s.kill();
    other.klab('reset', 'i-m1');
  }
});

t.run();
