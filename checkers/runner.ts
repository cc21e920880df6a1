// The runner: polls each probe until it passes or its timeout runs out, reports the LAST observation, gates
// dependants, skips what the cluster cannot do, and never confuses `fail` (the trainee) with `error` (klab/cluster).
import { capabilityTable, type CapabilityName } from '../cluster/provider.js';
import { ExitCode, fill, join, tr } from '../i18n/index.js';
import type { Text, ExitCodeValue } from '../i18n/index.js';
import { CheckError } from './types.js';
import type { Check, CheckContext, CheckResult, ProbeResult, RunResult, Status } from './types.js';
import { ping, toCheckError, withDeadline } from './k8s.js';
import { poll as pollUntil } from '../host/wait.js';

/** What each probe is given (types.ts CheckContext, less the runner's own abort signal), and how to run them. */
export interface RunOptions extends Omit<CheckContext, 'signal'> {
  lab: string;
  seed: string;
  /** Only this step's checks are reported (dependencies in other steps are evaluated for gating only). */
  step?: number;
  /** Polling timeout for checks that set none (ms). Default 8000. */
  defaultTimeoutMs?: number;
  /** First polling interval (ms); grows ×1.5 up to 2 s. Default 250. */
  pollMs?: number;
  /** false: skip the quick reachability request before the checks (the caller already connected). Default true. */
  preflight?: boolean;
  /** Called as each reported check finishes (for live output). */
  onResult?: (r: CheckResult) => void;
  /** Called before each wait of a check whose state is still moving, with what it waits for (for a spinner). */
  onWaiting?: (c: Check, what: Text) => void;
}

const CAP_TEXT: Record<CapabilityName, Text> = capabilityTable;

function baseResult(c: Check, status: Status, message: Text, durationMs: number): CheckResult {
  return {
    id: c.id, title: c.title, step: c.step, status, points: 0, maxPoints: c.points, required: c.required !== false,
    message, hint: c.hint, evidence: [], durationMs,
  };
}

export async function runChecks(checks: Check[], opts: RunOptions): Promise<RunResult> {
  const byId = new Map<string, Check>();
  for (const c of checks) byId.set(c.id, c);
  const reported = opts.step === undefined ? checks : checks.filter((c) => c.step === opts.step);
  const defaultTimeout = opts.defaultTimeoutMs ?? 8000;
  const firstPoll = opts.pollMs ?? 250;
  const all = new AbortController();
  let unreachable: CheckError | null = null;

  if (opts.preflight !== false) try {
    await ping(opts.kc);
  } catch (e) {
    unreachable = toCheckError(e, opts.kc);
    if (!unreachable.unreachable) unreachable = new CheckError(unreachable.text, true);
  }

  const results = new Map<string, Promise<CheckResult>>();
  const reportedIds = new Set(reported.map((c) => c.id));

  const unreachableResult = (c: Check, ms = 0) => baseResult(c, 'error', unreachable!.text, ms);

  /** One probe call, bounded; an error, `unreachable` or a skip ends the check at once (`end`). */
  async function attempt(c: Check, start: number, deadline: number): Promise<{ probe?: ProbeResult; end?: CheckResult }> {
    if (unreachable) return { end: unreachableResult(c, Date.now() - start) };
    const ac = new AbortController();
    const onAll = () => ac.abort();
    all.signal.addEventListener('abort', onAll, { once: true });
    const ctx: CheckContext = {
      kc: opts.kc, lang: opts.lang, namespace: opts.namespace, params: opts.params,
      capabilities: opts.capabilities, answers: opts.answers, signal: ac.signal,
    };
    // A single probe call may not hang the run: it gets what is left of the timeout plus a grace period.
    const hard = Math.max(deadline - Date.now(), 0) + 15000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const probe = await Promise.race([
        withDeadline(opts.kc, deadline, ac.signal, () => c.probe(ctx)),
        new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new CheckError(fill({
          ko: '검사가 {s}초 안에 응답하지 않았습니다.', en: 'The probe did not answer within {s}s.',
        }, { s: Math.round(hard / 1000) }))), hard); }),
      ]);
      if (probe.skip) return { end: { ...baseResult(c, 'skip', probe.skip, Date.now() - start), observed: probe.observed } };
      return { probe };
    } catch (e) {
      const ce = toCheckError(e, opts.kc);
      if (ce.unreachable) {
        if (!unreachable) { unreachable = ce; all.abort(); }
        return { end: unreachableResult(c, Date.now() - start) };
      }
      return { end: baseResult(c, 'error', ce.text, Date.now() - start) };
    } finally {
      clearTimeout(timer);
      all.signal.removeEventListener('abort', onAll);
      ac.abort();
    }
  }

  async function poll(c: Check): Promise<CheckResult> {
    const start = Date.now();
    const timeout = c.timeout ?? defaultTimeout;
    const deadline = start + timeout;
    // Pass as soon as seen; a settled fail at once; otherwise wait while something is moving, up to the timeout
    // (host/wait.ts: the one wait with a deadline).
    const r = await pollUntil(() => attempt(c, start, deadline), (a) => Boolean(a.end || a.probe!.ok || a.probe!.settled), {
      timeoutMs: timeout, everyMs: firstPoll, factor: 1.5, maxEveryMs: 2000, signal: all.signal,
      onWait: (a) => opts.onWaiting?.(c, (a as { probe?: ProbeResult }).probe?.waitingFor ?? c.title),
    });
    if (r.last?.end) return r.last.end;
    // Cut short because another check found the cluster unreachable: that, not this check's last observation.
    if (!r.done && unreachable) return unreachableResult(c, Date.now() - start);
    const last = r.last!.probe!;
    const timedOut = !r.done;
    const ok = last.ok;
    const hints = [...(ok ? [] : last.hints ?? []), ...(!ok && c.hint ? [c.hint] : [])];
    const waited = last.waitingFor ?? c.title;
    const secs = Math.round((Date.now() - start) / 1000);
    const stillMoving: Text[] = !ok && timedOut && timeout > 0 ? [{
      ko: `${secs}초 동안 기다렸지만 아직 바뀌는 중입니다: ${tr(waited, 'ko')}.`, en: `Still changing after ${secs}s: ${tr(waited, 'en')}.`,
    }] : [];
    return {
      id: c.id, title: c.title, step: c.step, status: ok ? 'pass' : 'fail',
      points: ok ? c.points : 0, maxPoints: c.points, required: c.required !== false,
      ...(stillMoving.length ? { timedOut: true } : {}),
      message: last.reasons.length ? join([...stillMoving, ...last.reasons]) : join([...stillMoving, c.title]),
      hint: hints.length ? join(hints) : undefined,
      evidence: ok ? [] : last.evidence ?? [],
      observed: last.observed,
      verifiedBy: last.verifiedBy ?? 'cluster',
      durationMs: Date.now() - start,
    };
  }

  async function run(c: Check, stack: string[]): Promise<CheckResult> {
    const start = Date.now();
    const missing = (c.needs ?? []).filter((n) => !opts.capabilities[n]);
    if (missing.length) {
      const names = missing.join(', ');
      const caps = (l: 'ko' | 'en') => missing.map((m) => CAP_TEXT[m][l]).join(', ');
      return baseResult(c, 'skip', {
        ko: `이 클러스터에서는 검사할 수 없습니다: ${caps('ko')} 기능이 없습니다 (capability ${names}). 통과로 치지 않습니다.`,
        en: `Cannot be checked on this cluster: it lacks ${caps('en')} (capability ${names}). Not counted as passed.`,
      }, 0);
    }
    const deps = c.requires ?? [];
    const bad: { id: string; status: Status | 'unknown' | 'cycle' }[] = [];
    const depResults = await Promise.all(deps.map(async (d) => {
      if (!byId.has(d)) return { id: d, status: 'unknown' as const };
      if (stack.includes(d)) return { id: d, status: 'cycle' as const };
      return { id: d, status: (await resultOf(byId.get(d)!, [...stack, c.id])).status };
    }));
    for (const r of depResults) if (r.status !== 'pass') bad.push(r);
    const broken = bad.filter((b) => b.status === 'unknown' || b.status === 'cycle');
    if (broken.length) {
      return baseResult(c, 'error', fill({
        ko: "검사 정의 오류: requires의 '{ids}'이(가) 없는 검사이거나 순환 참조입니다.",
        en: "Check definition error: '{ids}' in requires is an unknown check or a cycle.",
      }, { ids: broken.map((b) => b.id).join("', '") }), Date.now() - start);
    }
    if (bad.length) {
      const ko: Record<string, string> = { fail: '실패', skip: '건너뜀', error: '오류' };
      return baseResult(c, 'skip', fill({
        ko: '먼저 통과해야 하는 검사 {list} 때문에 건너뜁니다.',
        en: 'Skipped: it requires {listEn} to pass first.',
      }, {
        list: bad.map((b) => `'${b.id}' (${ko[b.status] ?? b.status})`).join(', '),
        listEn: bad.map((b) => `'${b.id}' (${b.status})`).join(', '),
      }), Date.now() - start);
    }
    return poll(c);
  }

  function resultOf(c: Check, stack: string[]): Promise<CheckResult> {
    let p = results.get(c.id);
    if (!p) {
      p = run(c, [...stack]).then((r) => {
        if (reportedIds.has(r.id)) opts.onResult?.(r);
        return r;
      });
      results.set(c.id, p);
    }
    return p;
  }

  let out: CheckResult[];
  if (unreachable) {
    out = reported.map((c) => unreachableResult(c));
    for (const r of out) opts.onResult?.(r);
  } else {
    out = await Promise.all(reported.map((c) => resultOf(c, [])));
    if (unreachable) out = out.map((r) => (r.status === 'error' || r.status === 'pass' ? r : { ...unreachableResult(byId.get(r.id)!), durationMs: r.durationMs }));
  }
  return summarise(out, opts.lab, opts.seed, !!unreachable);
}

/** The report when nothing could be checked (the cluster did not answer): every check `error` with the reason, score 0,
 * `unreachable` (exit 3). The same result the runner gives when the cluster goes away mid-run. */
export function unreachableReport(checks: Check[], lab: string, seed: string, text: Text): RunResult {
  return summarise(checks.map((c) => baseResult(c, 'error', text, 0)), lab, seed, true);
}

/** Score, max score, per-step subtotals and `passed` (every required check passed). */
export function summarise(checks: CheckResult[], lab: string, seed: string, unreachable = false): RunResult {
  const steps = new Map<number, { step: number; score: number; maxScore: number }>();
  let score = 0, maxScore = 0;
  for (const r of checks) {
    score += r.points;
    maxScore += r.maxPoints;
    if (r.step !== undefined) {
      const s = steps.get(r.step) ?? { step: r.step, score: 0, maxScore: 0 };
      s.score += r.points;
      s.maxScore += r.maxPoints;
      steps.set(r.step, s);
    }
  }
  return {
    lab, seed, unreachable,
    passed: !unreachable && checks.every((r) => !r.required || r.status === 'pass'),
    score, maxScore,
    steps: [...steps.values()].sort((a, b) => a.step - b.step),
    checks,
  };
}

/** The documented exit code for a run: 3 when nothing could be graded (unreachable, or no check passed or failed
 * and at least one is `error`, e.g. every request refused with 401/403), 0 passed, 1 otherwise. */
export function exitCodeFor(r: RunResult): ExitCodeValue {
  const graded = r.checks.some((c) => c.status === 'pass' || c.status === 'fail');
  if (r.unreachable || (!graded && r.checks.some((c) => c.status === 'error'))) return ExitCode.unreachable;
  return r.passed ? ExitCode.ok : ExitCode.checksFailed;
}
