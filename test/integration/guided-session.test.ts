// One interactive session in a real pseudo-terminal (tmux): start → check → hint → quit → progress persisted;
// then Ctrl+C at the menu leaves cleanly with progress kept.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../unit/_cli.js';
import { klabPty } from './_pty.js';

const t = suite('guided session (pty)');

function session(name: string, state: string, lang: 'en' | 'ko') {
  return klabPty(name, { state, seed: `pty-${name}`, lang, args: ['start', 'hello'] });
}

t('start → check → hint → quit: progress persisted', async () => {
  const state = tempDir('klab-pty-');
  const s = session('klab-pty-1', state, 'en');
  try {
    await s.waitFor('What next?');
    assert.match(s.screen(), 'Step 1/2: Create a namespace');
    s.keys('Enter'); // Check now
    await s.waitFor('Not yet.');
    assert.match(s.screen(), 'does not exist');
    await s.waitFor(/What next\?[\s\S]*What next\?/);
    s.keys('Down'); s.keys('Enter'); // Show a hint
    await s.waitFor('(1/2) Namespaces are created with kubectl create namespace');
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 4; i++) s.keys('Down');
    s.keys('Enter'); // Quit
    const end = await s.waitFor('KLAB-EXIT=');
    assert.match(end, 'Progress saved. Resume with: klab start hello');
    assert.match(end, 'KLAB-EXIT=0');
    const file = join(state, 'klab', 'progress.json');
    assert.ok(existsSync(file));
    const data = JSON.parse(readFileSync(file, 'utf8'));
    const p = Object.values(data.labs)[0] as { lab: string; currentStep: number; hintsShown: Record<string, number>; passedSteps: number[] };
    assert.is(p.lab, 'hello');
    assert.is(p.currentStep, 1);
    assert.equal(p.hintsShown, { 1: 1 });
    assert.equal(p.passedSteps, []);
  } finally { s.kill(); }
});

t('Ctrl+C at the menu exits cleanly (Korean), progress kept', async () => {
  const state = tempDir('klab-pty-');
  const s = session('klab-pty-2', state, 'ko');
  try {
    await s.waitFor('무엇을 할까요?');
    s.keys('C-c');
    const end = await s.waitFor('KLAB-EXIT=');
    assert.match(end, '진행 상황을 저장했습니다');
    assert.match(end, 'KLAB-EXIT=0');
    assert.not.match(end, /\n\s+at /, 'no stack trace');
    assert.ok(existsSync(join(state, 'klab', 'progress.json')));
  } finally { s.kill(); }
});

t.run();
