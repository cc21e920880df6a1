// The Kubernetes client as klab uses it everywhere (providers, doctor, checkers): loaded on first use, every request
// under a deadline scope (aborted for real when it passes), and the error details a message needs.
import type * as K from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { createRequire } from 'node:module';
import { AsyncLocalStorage } from 'node:async_hooks';

/** The Kubernetes client, loaded on first use: declaring or validating checks must not pay for it (the lab loader
 * and `klab list` use the check registry without talking to a cluster). */
let loaded: typeof K | undefined;
export function k8s(): typeof K {
  return (loaded ??= createRequire(import.meta.url)('@kubernetes/client-node') as typeof K);
}

/** Per-request undici agents client-node made for a KubeConfig: destroyed by closeClients() so none outlives a run. */
const agents = new WeakMap<KubeConfig, Set<{ destroy(): unknown }>>();

/** The abort signal of the check (or ping) whose code is running: every API request made under it carries it. */
const scope = new AsyncLocalStorage<AbortSignal>();
/**
 * The shortest time an API request is given, even when its check has almost no time left (a check settled at once,
 * `timeout: 0`, has none): a loaded machine's API server may take a second or two for a list, and 1 s made healthy
 * clusters `error` under load (seen with the suite's trainees side by side). A stalled server still ends in this.
 */
export const MIN_REQUEST_MS = 5000;

/**
 * Run `fn` so that every API request it makes with `kc` is aborted when `signal` aborts or the `deadline`
 * (epoch ms; at least MIN_REQUEST_MS from now) passes. A request cut by the deadline fails with code KLAB_DEADLINE
 * (reported as "no answer within …", an `error`, never a `fail`). The timer is unref'd and cleared when `fn` settles.
 */
export async function withDeadline<T>(kc: KubeConfig, deadline: number, signal: AbortSignal | undefined, fn: () => Promise<T>, minMs = MIN_REQUEST_MS): Promise<T> {
  boundRequests(kc);
  const ms = Math.max(deadline - Date.now(), minMs);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(Object.assign(new Error(`no answer within ${Math.round(ms / 100) / 10}s`), { code: 'KLAB_DEADLINE', seconds: Math.round(ms / 100) / 10 })), ms);
  timer.unref();
  try {
    return await scope.run(signal ? AbortSignal.any([signal, ac.signal]) : ac.signal, fn);
  } finally { clearTimeout(timer); }
}

/** The signal of the current deadline scope, if any (for requests made outside client-node, e.g. exec). */
export function currentSignal(): AbortSignal | undefined { return scope.getStore(); }

/** Destroy every connection the API clients of `kc` opened (call once the report is out). */
export function closeClients(kc: KubeConfig): void {
  for (const a of agents.get(kc) ?? []) { try { void Promise.resolve(a.destroy()).catch(() => {}); } catch { /* already gone */ } }
  agents.delete(kc);
}

/**
 * Make every request sent with `kc` — through clients() or any API client a lab's own code makes with
 * kc.makeApiClient() — carry the signal of the deadline scope it runs in, and remember the per-request agents
 * client-node creates so closeClients() can destroy them. Idempotent.
 */
export function boundRequests(kc: KubeConfig): void {
  if (agents.has(kc)) return;
  const mine = new Set<{ destroy(): unknown }>();
  agents.set(kc, mine);
  const authenticate = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (ctx) => {
    await authenticate(ctx);
    const signal = scope.getStore();
    if (signal) ctx.setSignal(signal);
    const d = ctx.getDispatcher() as { destroy(): unknown } | undefined;
    if (d) mine.add(d);
  };
}

export function causeChain(e: unknown): { code?: string; message: string }[] {
  const out: { code?: string; message: string }[] = [];
  let cur: any = e;
  for (let i = 0; cur && i < 6; i++) {
    out.push({ code: typeof cur.code === 'string' ? cur.code : undefined, message: String(cur.message ?? cur) });
    if (cur.errors && Array.isArray(cur.errors) && cur.errors[0]) cur = cur.errors[0];
    else cur = cur.cause;
  }
  return out;
}

/** The API server's own words in an ApiException (its Status message, else the body's start). */
export function apiMessage(e: K.ApiException<unknown>): string {
  const b: any = e.body;
  if (typeof b === 'string') {
    try { const j = JSON.parse(b); if (j && typeof j.message === 'string') return j.message; } catch { /* raw string body */ }
    return b.slice(0, 300);
  }
  if (b && typeof b.message === 'string') return b.message;
  return e.message.split('\n')[0];
}

