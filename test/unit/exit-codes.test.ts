// Exit 3 means "nothing could be graded" (decision 0013): a run where no check passed or failed and one is `error`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarise, exitCodeFor } from '../../checkers/runner.js';
import type { CheckResult, Status } from '../../checkers/types.js';

const r = (id: string, status: Status): CheckResult => ({
  id, title: { ko: id, en: id }, status, points: status === 'pass' ? 1 : 0, maxPoints: 1, required: true,
  message: { ko: '', en: '' }, evidence: [], durationMs: 0,
});

test('every check error (e.g. 403 on every request): exit 3, not the trainee\'s 1', () => {
  assert.is(exitCodeFor(summarise([r('a', 'error'), r('b', 'error')], 'lab', 's')), 3);
  assert.is(exitCodeFor(summarise([r('a', 'error'), r('b', 'skip')], 'lab', 's')), 3, 'a dependant skipped because of the error');
});

test('something was graded: the usual 0 / 1', () => {
  assert.is(exitCodeFor(summarise([r('a', 'error'), r('b', 'fail')], 'lab', 's')), 1);
  assert.is(exitCodeFor(summarise([r('a', 'error'), r('b', 'pass')], 'lab', 's')), 1, 'a required check in error does not pass the lab');
  assert.is(exitCodeFor(summarise([r('a', 'pass')], 'lab', 's')), 0);
  assert.is(exitCodeFor(summarise([r('a', 'skip')], 'lab', 's')), 1, 'all skipped (capabilities): not passed, nothing errored');
});

test.run();
