// The one wait with a deadline. Every "poll until ready or the time runs out" in klab goes through `poll`/`waitFor`:
// observe at once, then again after `everyMs`, growing by `factor` up to `maxEveryMs` (backoff), never sleeping past
// the deadline; what comes back is the last observation (or the last error), so a caller can say what it saw last
// instead of only "timed out".

export interface WaitOptions {
  /** give up after this long (the first observation is always made) */
  timeoutMs: number;
  /** first pause between observations (default 250 ms) */
  everyMs?: number;
  /** each pause is the previous one times `factor` (default 1: no backoff) … */
  factor?: number;
  /** … up to this (default `everyMs`·8) */
  maxEveryMs?: number;
  /** stop early (counts as not done); a pause in progress ends at once */
  signal?: AbortSignal;
  /** called with the last value before each pause (e.g. a spinner saying what is awaited) */
  onWait?: (last: unknown) => void;
  /** an error for which this returns true ends the wait at once (rethrown): e.g. "the component died" */
  fatal?: (e: unknown) => boolean;
}

export interface Polled<T> {
  done: boolean;
  /** the last value observed (also when not done) */
  last: T | undefined;
  /** the last error thrown by the observation, if the last one threw */
  error?: unknown;
  elapsedMs: number;
  observations: number;
}

/** A pause that ends early when `signal` aborts. */
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((r) => {
  if (signal?.aborted) return r();
  const t = setTimeout(() => { signal?.removeEventListener('abort', end); r(); }, ms);
  const end = () => { clearTimeout(t); r(); };
  signal?.addEventListener('abort', end, { once: true });
});

/**
 * Observe until `done(value)` or the deadline. An observation that throws counts as "not yet" (kept in `error`),
 * unless `fatal` says the error ends the wait.
 */
export async function poll<T>(observe: () => T | Promise<T>, done: (v: T) => boolean, o: WaitOptions): Promise<Polled<T>> {
  const t0 = Date.now();
  const end = t0 + o.timeoutMs;
  let every = o.everyMs ?? 250;
  const factor = o.factor ?? 1;
  const max = o.maxEveryMs ?? every * 8;
  let last: T | undefined;
  let error: unknown;
  let n = 0;
  for (;;) {
    n++;
    try {
      last = await observe();
      error = undefined;
      if (done(last)) return { done: true, last, elapsedMs: Date.now() - t0, observations: n };
    } catch (e) {
      if (o.fatal?.(e)) throw e;
      error = e;
    }
    const left = end - Date.now();
    if (left <= 0 || o.signal?.aborted) return { done: false, last, error, elapsedMs: Date.now() - t0, observations: n };
    if (error === undefined) o.onWait?.(last);
    await sleep(Math.min(every, left), o.signal);
    every = Math.min(max, every * factor);
  }
}

/** Poll `fn` until it returns a truthy value (returned) or the time runs out (then undefined). */
export async function waitFor<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, o: WaitOptions): Promise<T | undefined> {
  const r = await poll(fn, (v) => !!v, o);
  return r.done ? (r.last as T) : undefined;
}
