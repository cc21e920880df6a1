// Traffic sampling (issue 18): while the trainee rolls something out, klab sends requests to the lab's Service at a
// steady rate through the API server's service proxy (so it works wherever kubectl works: local, kind, EKS) and records
// for each one its time, the version that answered, or the error. The recording is stored IN THE CLUSTER (a ConfigMap
// in the lab's namespace, decision 0028), so `klab check` on the trainee's machine and `klab grade` on the instructor's
// read the same evidence; checks only read it (a check never mutates the cluster — the sampler is not a check).
//
// Pure parts (summary, timeline) are unit-tested on recorded samples; `record()` is the live sampler.
import type { KubeConfig, V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { fill, type Text } from '../i18n/index.js';
import { clients, k8s, selectorMatches, isNotFound } from './k8s.js';

/** One request. `t`: ms since the recording started (when it was sent). `v`: the version that answered. */
export interface Sample {
  t: number;
  v?: string;
  /** Why there was no answer: an HTTP status from the proxy (`503`: no ready endpoint), `timeout`, or a network code. */
  err?: string;
  /** The API server itself was not reached: the recording cannot say anything about the app at that moment. */
  api?: boolean;
}

/** A Deployment behind the Service as the sampler saw it whenever its generation changed. */
export interface DeploymentSeen {
  t: number;
  name: string;
  generation: number;
  strategy: string;
  maxSurge?: string;
  maxUnavailable?: string;
  images: string[];
  replicas: number;
}

/**
 * An Argo Rollout in the namespace as the sampler saw it whenever its spec or status changed (a canary's pauses and
 * replica split are only visible while they happen; checks read them here, decision 0035).
 */
export interface RolloutSeen {
  t: number;
  name: string;
  images: string[];
  replicas: number;
  /** spec.strategy.canary.steps, as written (setWeight / pause …). */
  steps: Record<string, unknown>[];
  /** status.currentStepIndex: the step it is on (or waiting at). */
  stepIndex?: number;
  phase?: string;
  /** Paused by a pause step (status.pauseConditions) or by spec.paused. */
  paused: boolean;
  /** Pods of the new (canary) ReplicaSet, and of the Rollout in all. */
  updatedReplicas: number;
  readyReplicas: number;
  totalReplicas: number;
  stableRS?: string;
  currentPodHash?: string;
}

export interface Recording {
  format: 1;
  lab: string;
  step: string;
  namespace: string;
  service: string;
  port: string;
  periodMs: number;
  startedAt: string;
  /** Last write (a heartbeat while recording). */
  updatedAt: string;
  durationMs: number;
  state: 'recording' | 'done';
  stoppedBy?: 'settled' | 'limit' | 'interrupted' | 'steady';
  samples: Sample[];
  deployments: DeploymentSeen[];
  /** Argo Rollouts in the namespace (absent in recordings made before they were recorded, or where none ran). */
  rollouts?: RolloutSeen[];
  /** A steady-state recording: it ran its fixed length (lab.yaml traffic.steady), it did not wait for a rollout. */
  steady?: boolean;
  /** The Service's selector whenever it changed (Blue/Green switches it). */
  selectors: { t: number; selector: Record<string, string> }[];
}

export const PERIOD_MS = 100;
/** Longest recording, whatever is asked: bounds the requests sent and the ConfigMap's size. */
export const MAX_RECORDING_MS = 300_000;
export const DEFAULT_RECORDING_MS = 120_000;
/** Once the rollout looks finished, keep sampling this long so the end is on the record. */
export const TAIL_MS = 3000;
/** One request never waits longer than this. */
export const REQUEST_TIMEOUT_MS = 2000;
/** A recording whose heartbeat is older than this was abandoned (its sampler was killed). */
export const HEARTBEAT_MS = 5000;
export const STALE_MS = 20_000;

/** The version an answer names: the first `v<digits>` in the body, else its first word (cut short). */
export function versionOf(body: string): string {
  const m = /\bv\d+(?:\.\d+)*\b/.exec(body);
  if (m) return m[0];
  return body.trim().split(/\s+/)[0]?.slice(0, 20) || '?';
}

export interface TrafficSummary {
  total: number;
  answered: number;
  /** Requests that got no answer from the app (the API server was reached). */
  failed: number;
  /** Requests that did not reach the API server (not the app's fault; the recording has a hole there). */
  apiFailed: number;
  /** Versions in the order they first answered. */
  versions: string[];
  counts: Record<string, number>;
  /** Sum of the spans with no answer: from a failed request to the next answered one. */
  downtimeMs: number;
  longestGapMs: number;
  firstVersion?: string;
  lastVersion?: string;
  durationMs: number;
}

const sorted = (samples: Sample[]) => [...samples].sort((a, b) => a.t - b.t);

export function summarize(rec: Pick<Recording, 'samples' | 'periodMs' | 'durationMs'>): TrafficSummary {
  const s = sorted(rec.samples).filter((x) => !x.api);
  const counts: Record<string, number> = {};
  const versions: string[] = [];
  let failed = 0, downtimeMs = 0, longestGapMs = 0;
  let gapStart: number | undefined;
  const closeGap = (end: number) => {
    if (gapStart === undefined) return;
    const len = Math.max(end - gapStart, rec.periodMs);
    downtimeMs += len;
    longestGapMs = Math.max(longestGapMs, len);
    gapStart = undefined;
  };
  for (const x of s) {
    if (x.v !== undefined) {
      closeGap(x.t);
      counts[x.v] = (counts[x.v] ?? 0) + 1;
      if (!versions.includes(x.v)) versions.push(x.v);
    } else {
      failed++;
      gapStart ??= x.t;
    }
  }
  if (gapStart !== undefined) closeGap((s.at(-1)?.t ?? gapStart) + rec.periodMs);
  const answeredList = s.filter((x) => x.v !== undefined);
  return {
    total: rec.samples.length, answered: answeredList.length, failed, apiFailed: rec.samples.length - s.length,
    versions, counts, downtimeMs, longestGapMs, firstVersion: answeredList[0]?.v, lastVersion: answeredList.at(-1)?.v, durationMs: rec.durationMs,
  };
}

/** true when `older` still answered after `newer` first did: both versions served traffic at the same time. */
export function coexisted(samples: Sample[], older: string, newer: string): boolean {
  const s = sorted(samples);
  const first = s.findIndex((x) => x.v === newer);
  return first >= 0 && s.slice(first + 1).some((x) => x.v === older);
}

/** The versions answering at the end: those of the answered samples in the last `windowMs`. */
export function finalVersions(samples: Sample[], windowMs = 1000): string[] {
  const s = sorted(samples).filter((x) => !x.api);
  const end = s.at(-1)?.t;
  if (end === undefined) return [];
  return [...new Set(s.filter((x) => x.t >= end - windowMs && x.v !== undefined).map((x) => x.v!))];
}

/** Share of `version` among answered samples in [from, to] (ms), 0..1; undefined when nothing answered there. */
export function share(samples: Sample[], version: string, from = 0, to = Infinity): number | undefined {
  const a = samples.filter((x) => x.t >= from && x.t <= to && x.v !== undefined);
  return a.length ? a.filter((x) => x.v === version).length / a.length : undefined;
}

/** The character a version gets on the timeline: `v2` → `2`, else its first letter. */
export function versionChar(v: string): string {
  const m = /^v(\d)/.exec(v);
  return m ? m[1]! : (v[0] ?? '?');
}

export const FAIL_CHAR = '✗';
export const NO_SAMPLE_CHAR = '·';

/** One character per period: the version that answered, ✗ when a request in that slot failed, · when none was sent. */
export function timelineChars(rec: Pick<Recording, 'samples' | 'periodMs' | 'durationMs'>): string[] {
  const slots = Math.max(1, Math.ceil(rec.durationMs / rec.periodMs));
  const out: string[] = Array(slots).fill(NO_SAMPLE_CHAR);
  for (const x of sorted(rec.samples)) {
    const i = Math.min(slots - 1, Math.floor(x.t / rec.periodMs));
    if (x.api) { if (out[i] === NO_SAMPLE_CHAR) out[i] = '?'; continue; }
    if (out[i] === FAIL_CHAR) continue;
    out[i] = x.v === undefined ? FAIL_CHAR : versionChar(x.v);
  }
  return out;
}

/** The timeline as lines of `width` characters, each prefixed with its start second (`  5s │1111✗✗✗2222`). */
export function timeline(rec: Pick<Recording, 'samples' | 'periodMs' | 'durationMs'>, width = 50): string[] {
  const chars = timelineChars(rec);
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i += width) {
    const sec = (i * rec.periodMs) / 1000;
    lines.push(`${String(Number.isInteger(sec) ? sec : sec.toFixed(1)).padStart(4)}s │${chars.slice(i, i + width).join('')}`);
  }
  return lines;
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

/** The totals line the trainee sees after a recording and in check diagnoses. */
export function totalsText(sum: TrafficSummary): Text {
  return fill({
    ko: '요청 {n}개 ({d}초) · 응답한 버전: {vs} · 실패한 요청 {f}개 · 응답 없는 시간(다운타임) {down}초 (가장 긴 공백 {gap}초)',
    en: '{n} requests over {d}s · versions answering: {vs} · failed requests: {f} · time without an answer (downtime): {down}s (longest gap {gap}s)',
  }, { n: sum.total, d: secs(sum.durationMs), vs: sum.versions.map((v) => `${v}×${sum.counts[v]}`).join(', ') || '-', f: sum.failed, down: secs(sum.downtimeMs), gap: secs(sum.longestGapMs) });
}

/** The legend under a timeline. */
export const legend: Text = { ko: '한 글자 = 0.1초: 숫자 = 응답한 버전 (1 = v1 …), ✗ = 응답 없음, · = 요청 없음', en: 'one character = 0.1 s: digit = the version that answered (1 = v1 …), ✗ = no answer, · = no request' };

// ---- storage: a ConfigMap per (lab, step) in the lab's namespace ------------------------------------------------

export const configMapName = (step: string) => `klab-traffic-${step}`;
const KEY = 'recording.json';

/** The recording of `step`, or null when none was made. A malformed one counts as none. */
export async function loadRecording(kc: KubeConfig, namespace: string, step: string): Promise<Recording | null> {
  try {
    const cm = await clients(kc).core.readNamespacedConfigMap({ name: configMapName(step), namespace });
    const raw = cm.data?.[KEY];
    if (!raw) return null;
    const rec = JSON.parse(raw) as Recording;
    return rec.format === 1 && Array.isArray(rec.samples) ? rec : null;
  } catch (e) {
    if (isNotFound(e) || e instanceof SyntaxError) return null;
    throw e;
  }
}

/** A recording still marked `recording` whose sampler stopped writing long ago. */
export function abandoned(rec: Recording, now = Date.now()): boolean {
  return rec.state === 'recording' && now - Date.parse(rec.updatedAt) > STALE_MS;
}

export async function saveRecording(kc: KubeConfig, rec: Recording, labels: Record<string, string>): Promise<void> {
  const core = clients(kc).core;
  const body: V1ConfigMap = {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: configMapName(rec.step), namespace: rec.namespace, labels: { ...labels, 'klab.dev/traffic': rec.step } },
    data: { [KEY]: JSON.stringify(rec) },
  };
  try {
    await core.replaceNamespacedConfigMap({ name: body.metadata!.name!, namespace: rec.namespace, body });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await core.createNamespacedConfigMap({ namespace: rec.namespace, body });
  }
}

// ---- the live sampler --------------------------------------------------------------------------------------------

export interface RecordOptions {
  lab: string;
  step: string;
  namespace: string;
  service: string;
  port?: string;
  periodMs?: number;
  maxMs?: number;
  tailMs?: number;
  signal?: AbortSignal;
  /** Labels for the stored recording (the lab's). */
  labels: Record<string, string>;
  /** Record a steady state for `maxMs` (e.g. a paused canary): do not stop when a rollout settles. */
  steady?: boolean;
  /** Called after each sample and status poll (for a live timeline). */
  onProgress?: (rec: Recording) => void;
}

function describeDeployment(d: V1Deployment, t: number): DeploymentSeen {
  const s = d.spec?.strategy;
  const ru = s?.rollingUpdate;
  return {
    t, name: d.metadata!.name!, generation: d.metadata?.generation ?? 0, strategy: s?.type ?? 'RollingUpdate',
    maxSurge: ru?.maxSurge === undefined ? undefined : String(ru.maxSurge), maxUnavailable: ru?.maxUnavailable === undefined ? undefined : String(ru.maxUnavailable),
    images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''), replicas: d.spec?.replicas ?? 1,
  };
}

function complete(d: V1Deployment): boolean {
  const st = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (st.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && (st.updatedReplicas ?? 0) === want
    && (st.availableReplicas ?? 0) === want && (st.replicas ?? 0) === want;
}

interface RolloutObject {
  metadata?: { name?: string };
  spec?: { replicas?: number; paused?: boolean; template?: { spec?: { containers?: { image?: string }[] } }; strategy?: { canary?: { steps?: Record<string, unknown>[] } } };
  status?: { currentStepIndex?: number; phase?: string; pauseConditions?: unknown[]; updatedReplicas?: number; readyReplicas?: number; replicas?: number; stableRS?: string; currentPodHash?: string };
}

export function describeRollout(r: RolloutObject, t: number): RolloutSeen {
  const st = r.status ?? {};
  return {
    t, name: r.metadata?.name ?? '?', images: (r.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''), replicas: r.spec?.replicas ?? 1,
    steps: r.spec?.strategy?.canary?.steps ?? [], stepIndex: st.currentStepIndex, phase: st.phase, paused: Boolean(r.spec?.paused) || (st.pauseConditions?.length ?? 0) > 0,
    updatedReplicas: st.updatedReplicas ?? 0, readyReplicas: st.readyReplicas ?? 0, totalReplicas: st.replicas ?? 0, stableRS: st.stableRS, currentPodHash: st.currentPodHash,
  };
}

/** Is the request's failure the API server's (not reached) rather than the app's (the proxy answered with an error)? */
function classify(e: unknown): { err: string; api?: boolean } {
  const K = k8s();
  if (e instanceof K.ApiException) return { err: String(e.code) };
  const code = (e as { code?: string; cause?: { code?: string } })?.cause?.code ?? (e as { code?: string })?.code;
  if (code === 'KLAB_TIMEOUT') return { err: 'timeout' };
  return { err: code ?? 'error', api: true };
}

/**
 * Sample the Service until the rollout it sees settles (plus TAIL_MS), `maxMs` passes, or `signal` aborts. Writes the
 * recording to the cluster at the start, every HEARTBEAT_MS, and at the end. Only `service` in `namespace` is sent
 * requests: one every `periodMs`, each given REQUEST_TIMEOUT_MS, at most 20 in flight.
 */
export async function record(kc: KubeConfig, o: RecordOptions): Promise<Recording> {
  const c = clients(kc);
  const periodMs = o.periodMs ?? PERIOD_MS;
  const maxMs = Math.min(o.maxMs ?? DEFAULT_RECORDING_MS, MAX_RECORDING_MS);
  const tailMs = o.tailMs ?? TAIL_MS;
  const svc = await c.core.readNamespacedService({ name: o.service, namespace: o.namespace });
  const port = o.port ?? String(svc.spec?.ports?.[0]?.port ?? 80);
  const t0 = Date.now();
  const now = () => Date.now() - t0;
  const rec: Recording = {
    format: 1, lab: o.lab, step: o.step, namespace: o.namespace, service: o.service, port, periodMs,
    startedAt: new Date(t0).toISOString(), updatedAt: new Date(t0).toISOString(), durationMs: 0, state: 'recording',
    samples: [], deployments: [], rollouts: [], selectors: [{ t: 0, selector: svc.spec?.selector ?? {} }], ...(o.steady ? { steady: true } : {}),
  };
  await saveRecording(kc, rec, o.labels);

  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const send = () => {
    if (inFlight >= 20) return;
    const t = now();
    inFlight++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(Object.assign(new Error('timeout'), { code: 'KLAB_TIMEOUT' })), REQUEST_TIMEOUT_MS); });
    const p = Promise.race([c.core.connectGetNamespacedServiceProxyWithPath({ name: `${o.service}:${port}`, namespace: o.namespace, path: '' }), timeout])
      .then((body) => { rec.samples.push({ t, v: versionOf(typeof body === 'string' ? body : JSON.stringify(body)) }); },
        (e) => { rec.samples.push({ t, ...classify(e) }); })
      .finally(() => { clearTimeout(timer); inFlight--; pending.delete(p); o.onProgress?.(rec); });
    pending.add(p);
  };

  // What is behind the Service: has a rollout happened since the start (a Deployment got a new revision — a strategy
  // change alone does not count — the selector changed, or a second version answered), and is it settled now?
  const initialRev = new Map<string, string>();
  let changed = false, settledSince: number | undefined, stoppedBy: Recording['stoppedBy'] = 'limit';
  // Argo Rollouts, while the cluster serves them (a 404 — no CRD — ends the looking).
  let rolloutsServed = true;
  const listRollouts = async (): Promise<RolloutObject[]> => {
    if (!rolloutsServed) return [];
    try {
      return ((await c.custom.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace: o.namespace, plural: 'rollouts' })) as { items?: RolloutObject[] }).items ?? [];
    } catch (e) {
      if (isNotFound(e)) rolloutsServed = false;
      return [];
    }
  };
  const poll = async () => {
    const t = now();
    const [s, deps, ros] = await Promise.all([
      c.core.readNamespacedService({ name: o.service, namespace: o.namespace }),
      c.apps.listNamespacedDeployment({ namespace: o.namespace }),
      listRollouts(),
    ]);
    for (const r of ros) {
      const seen = describeRollout(r, t);
      const last = [...rec.rollouts!].reverse().find((x) => x.name === seen.name);
      if (!last || JSON.stringify({ ...last, t: 0 }) !== JSON.stringify({ ...seen, t: 0 })) rec.rollouts!.push(seen);
    }
    const sel = s.spec?.selector ?? {};
    if (JSON.stringify(sel) !== JSON.stringify(rec.selectors.at(-1)!.selector)) { rec.selectors.push({ t, selector: sel }); changed = true; }
    // Every Deployment whose pods the selector picks (Blue/Green: after a switch, a different one).
    const behind = deps.items.filter((d) => selectorMatches(sel, d.spec?.template?.metadata?.labels));
    for (const d of deps.items) {
      const name = d.metadata!.name!;
      const rev = d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '';
      if (!initialRev.has(name)) initialRev.set(name, rev);
      else if (initialRev.get(name) !== rev) changed = true;
      const last = [...rec.deployments].reverse().find((x) => x.name === name);
      if (!last || last.generation !== (d.metadata?.generation ?? 0)) rec.deployments.push(describeDeployment(d, t));
    }
    if (new Set(rec.samples.filter((x) => x.v).map((x) => x.v)).size > 1) changed = true;
    if (changed && behind.every(complete)) settledSince ??= t; else settledSince = undefined;
  };

  let lastSave = 0;
  const tick = setInterval(send, periodMs);
  try {
    send();
    while (true) {
      await new Promise((r) => setTimeout(r, 250));
      if (o.signal?.aborted) { stoppedBy = 'interrupted'; break; }
      try { await poll(); } catch { /* a missed poll only delays the stop */ }
      o.onProgress?.(rec);
      const t = now();
      if (!o.steady && settledSince !== undefined && t - settledSince >= tailMs) { stoppedBy = 'settled'; break; }
      if (t >= maxMs) { stoppedBy = o.steady ? 'steady' : 'limit'; break; }
      if (t - lastSave >= HEARTBEAT_MS) {
        lastSave = t;
        rec.durationMs = t;
        rec.updatedAt = new Date().toISOString();
        try { await saveRecording(kc, rec, o.labels); } catch { /* the final write reports failures */ }
      }
    }
  } finally {
    clearInterval(tick);
  }
  await Promise.allSettled([...pending]);
  rec.durationMs = now();
  rec.updatedAt = new Date().toISOString();
  rec.state = 'done';
  rec.stoppedBy = stoppedBy;
  rec.samples.sort((a, b) => a.t - b.t);
  await saveRecording(kc, rec, o.labels);
  return rec;
}
