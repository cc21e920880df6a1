// Traffic recordings (issue 18): what the trainee sees (timeline, totals) and what checks read (downtime, versions,
// coexistence, share) — computed from recorded samples, no cluster.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize, timeline, timelineChars, coexisted, finalVersions, share, versionOf, totalsText, abandoned, describeRollout, type Sample, type Recording } from '../../checkers/traffic.js';
import { weightAt, CANARY_WEIGHT, SHARE_TOLERANCE } from '../../labs/d1/checks.js';

/** Samples every 100 ms from a compact script: digits answer v<digit>, x fails, a is an API-server failure. */
function samples(script: string): Sample[] {
  return [...script].map((ch, i) => ch === 'x' ? { t: i * 100, err: '503' } : ch === 'a' ? { t: i * 100, err: 'ECONNREFUSED', api: true } : { t: i * 100, v: `v${ch}` });
}
const rec = (script: string) => ({ samples: samples(script), periodMs: 100, durationMs: script.length * 100 });

test('a Recreate rollout: one gap, measured from the first failure to the next answer', () => {
  const s = summarize(rec('1111xxxxx2222'));
  assert.is(s.failed, 5);
  assert.is(s.downtimeMs, 500);
  assert.is(s.longestGapMs, 500);
  assert.equal(s.versions, ['v1', 'v2']);
  assert.equal(s.counts, { v1: 4, v2: 4 });
  assert.is(s.firstVersion, 'v1');
  assert.is(s.lastVersion, 'v2');
});

test('a rolling update without failures: no downtime, both versions answered side by side', () => {
  const r = rec('222232323333');
  const s = summarize(r);
  assert.is(s.failed, 0);
  assert.is(s.downtimeMs, 0);
  assert.ok(coexisted(r.samples, 'v2', 'v3'));
  assert.not.ok(coexisted(rec('2222x3333').samples, 'v2', 'v3'), 'v2 never answered after v3 did: no coexistence');
  assert.not.ok(coexisted(r.samples, 'v2', 'v4'), 'a version that never answered did not coexist');
});

test('several gaps add up; a gap at the end lasts until the recording ends', () => {
  const s = summarize(rec('1x1xx1xxx'));
  assert.is(s.downtimeMs, 100 + 200 + 300);
  assert.is(s.longestGapMs, 300);
  assert.is(summarize(rec('xxxx')).downtimeMs, 400, 'nothing ever answered: the whole recording is downtime');
});

test('API-server failures are not the app\'s downtime, and are counted apart', () => {
  const s = summarize(rec('11aa11'));
  assert.is(s.failed, 0);
  assert.is(s.apiFailed, 2);
  assert.is(s.downtimeMs, 0);
  assert.is(timelineChars(rec('11aa11')).join(''), '11??11');
});

test('timeline: one character per 100 ms, ✗ for a failure, · for a slot without a request, lines with their second', () => {
  assert.is(timelineChars(rec('12x')).join(''), '12✗');
  const gappy: Pick<Recording, 'samples' | 'periodMs' | 'durationMs'> = { samples: [{ t: 0, v: 'v1' }, { t: 350, v: 'v1' }], periodMs: 100, durationMs: 400 };
  assert.is(timelineChars(gappy).join(''), '1··1');
  // a failure and an answer in the same slot: the failure shows
  assert.is(timelineChars({ samples: [{ t: 10, err: '503' }, { t: 60, v: 'v2' }], periodMs: 100, durationMs: 100 }).join(''), '✗');
  const lines = timeline(rec('1'.repeat(60) + 'x'.repeat(5)), 50);
  assert.is(lines.length, 2);
  assert.is(lines[0], `   0s │${'1'.repeat(50)}`);
  assert.is(lines[1], `   5s │${'1'.repeat(10)}✗✗✗✗✗`);
});

test('versions: read from the body; the last second says what serves now; the share of a version', () => {
  assert.is(versionOf('v2\n'), 'v2');
  assert.is(versionOf('<h1>hello from v3 (web-abc)</h1>'), 'v3');
  assert.is(versionOf('blue\n'), 'blue');
  assert.is(versionOf(''), '?');
  assert.equal(finalVersions(samples('1111122222'), 400), ['v2']);
  assert.equal(finalVersions(samples('1111121212'), 400).sort(), ['v1', 'v2']);
  assert.is(share(samples('1112'), 'v2'), 0.25);
  assert.is(share(samples('xxxx'), 'v2'), undefined);
});

test('totals in both languages name requests, versions, failures and downtime', () => {
  const t = totalsText(summarize(rec('1111xxxxx2222')));
  assert.match(t.en, /13 requests over 1\.3s/);
  assert.match(t.en, /v1×4, v2×4/);
  assert.match(t.en, /failed requests: 5/);
  assert.match(t.en, /downtime\): 0\.5s/);
  assert.match(t.ko, /실패한 요청 5개/);
  assert.match(t.ko, /다운타임\) 0\.5초/);
});

test('a recording whose sampler stopped writing long ago is abandoned; a finished one never is', () => {
  const base = { state: 'recording', updatedAt: new Date(Date.now() - 60_000).toISOString() } as Recording;
  assert.ok(abandoned(base));
  assert.not.ok(abandoned({ ...base, updatedAt: new Date().toISOString() }));
  assert.not.ok(abandoned({ ...base, state: 'done' }));
});

test('an Argo Rollout as a recording keeps it: paused at a canary step, its weight, its replica split', () => {
  const ro = {
    metadata: { name: 'shop-canary' },
    spec: { replicas: 4, template: { spec: { containers: [{ image: 'r/app:v2' }] } }, strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }] } } },
    status: { currentStepIndex: 1, phase: 'Paused', pauseConditions: [{ reason: 'CanaryPauseStep' }], updatedReplicas: 1, readyReplicas: 4, replicas: 4, stableRS: 'aaa', currentPodHash: 'bbb' },
  };
  const seen = describeRollout(ro, 1500);
  assert.equal({ paused: seen.paused, step: seen.stepIndex, canary: seen.updatedReplicas, of: seen.totalReplicas, images: seen.images }, { paused: true, step: 1, canary: 1, of: 4, images: ['r/app:v2'] });
  assert.is(weightAt(seen.steps, seen.stepIndex), 25);
  assert.is(weightAt(seen.steps, 2), 50);
  assert.is(weightAt([{ pause: {} }], 0), 0, 'no setWeight yet: nothing on the canary');
  assert.not.ok(describeRollout({ ...ro, status: { ...ro.status, pauseConditions: [] } }, 0).paused);
  assert.ok(describeRollout({ ...ro, spec: { ...ro.spec, paused: true }, status: {} }, 0).paused, 'spec.paused pauses too');
});

test('the canary tolerance: 3 standard deviations of a 120-answer share at 25 %, and a 50 % canary lands outside it (≈ 2.8 of its own)', () => {
  const sd = Math.sqrt((CANARY_WEIGHT / 100) * (1 - CANARY_WEIGHT / 100) / 120);
  assert.ok(SHARE_TOLERANCE >= 2.9 * sd, `tolerance ${SHARE_TOLERANCE} vs sd ${sd.toFixed(3)}`);
  assert.ok(0.5 - CANARY_WEIGHT / 100 - SHARE_TOLERANCE >= 2.5 * Math.sqrt(0.25 / 120), 'a 50 % canary lands outside the tolerance');
});

test.run();
