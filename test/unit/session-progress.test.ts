// What the trainee's loop reads back from the progress store: `klab status` (passed and skipped apart, the score),
// and answers given from another terminal being seen by the next check.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProgressStore, summarize } from '../../labs/_engine/progress.js';
import { loadLab } from '../../labs/_engine/load.js';
import { parse } from '../../scripts/args.js';
import { session } from '../../scripts/common.js';
import { reloadProgress } from '../../labs/_engine/session.js';
import { cli, tempDir, deadKubeconfig } from './_cli.js';

function i_m1Progress(state: string) {
  // steps 1–3 passed (1 was skipped first, then passed), 4 skipped, now at 5
  new ProgressStore(`${state}/klab`).update('kind-klab', 'i-m1', 'kim', (p) => {
    p.passedChecks.push('missing', 'env-token', 'token-b64');
    p.passedSteps.push(1, 2, 3);
    p.skippedSteps.push(1, 4);
    p.currentStep = 5;
  });
}

test('summarize: passed and skipped apart (a skipped step that passed later is passed), score of the passed checks', async () => {
  const state = tempDir();
  i_m1Progress(state);
  const p = new ProgressStore(`${state}/klab`).get('kind-klab', 'i-m1')!;
  const s = summarize((await loadLab('i-m1')).def, p);
  assert.equal(s.passedSteps, [1, 2, 3]);
  assert.equal(s.skippedSteps, [4]);
  assert.is(s.score, 10);
  assert.is(s.maxScore, 18);
  assert.is(s.steps, 5);
});

test('klab status: "3/5 steps passed, 1 skipped", the score (not -/-), in both languages and in JSON', () => {
  const state = tempDir();
  i_m1Progress(state);
  const en = cli(['--lang', 'en', 'status'], { XDG_STATE_HOME: state });
  assert.is(en.code, 0, en.stderr);
  assert.match(en.stdout, 'i-m1\t3/5 steps passed, 1 skipped\tscore 10/18\tkind-klab');
  const ko = cli(['--lang', 'ko', 'status'], { XDG_STATE_HOME: state });
  assert.match(ko.stdout, 'i-m1\t5단계 중 3단계 통과, 1단계 건너뜀\t점수 10/18');
  const rows = JSON.parse(cli(['status', '--json'], { XDG_STATE_HOME: state }).stdout);
  assert.is(rows.length, 1);
  assert.equal([rows[0].stepsDone, rows[0].passedSteps, rows[0].skippedSteps, rows[0].score, rows[0].maxScore, rows[0].lastFullCheck], [3, [1, 2, 3], [4], 10, 18, null]);
});

test('an answer given by another klab process is seen by the next check (progress reloaded)', async () => {
  const state = tempDir();
  const kc = deadKubeconfig();
  const saved = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = state;
  try {
    const s = await session(parse(['check', 'i-l1', '--kubeconfig', kc, '--seed', 'kim'], {}), 'check');
    assert.is(s.progress, undefined);
    const other = cli(['answer', 'i-l1', 'token', 'ABC123', '--kubeconfig', kc, '--seed', 'kim'], { XDG_STATE_HOME: state });
    assert.is(other.code, 0, other.stderr);
    assert.is(reloadProgress(s)?.answers.token, 'ABC123');
    const again = cli(['answer', 'i-l1', 'token', 'XYZ', '--kubeconfig', kc], { XDG_STATE_HOME: state });
    assert.is(again.code, 0, again.stderr);
    assert.is(reloadProgress(s)?.answers.token, 'XYZ', 'a changed answer too');
  } finally {
    if (saved === undefined) delete process.env.XDG_STATE_HOME; else process.env.XDG_STATE_HOME = saved;
  }
});

test.run();
