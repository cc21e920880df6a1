// Grading many trainees: a bounded pool runs the grader for each one; a trainee whose grading throws, times out or
// whose cluster is unreachable becomes `error` (reported apart, no points lost) and never stops the others.
// The grader is injected: the live one talks to clusters (live.ts); tests give recorded RunResults.
import { readFileSync } from 'node:fs';
import { ExitCode, KlabError, type Text } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { RunResult } from '../checkers/types.js';
import { labParams, type Lab } from '../labs/_engine/load.js';
import { packagePath } from '../cluster/paths.js';
import { labChecks } from '../labs/_engine/checks.js';
import { gmsg } from './messages.js';
import type { RosterEntry } from './roster.js';
import { GRADE_SCHEMA, GRADE_SCHEMA_VERSION, type GradeDoc, type GradedCheck, type GradedLab, type LabInfo, type TraineeResult } from './types.js';

/** What the core needs of a lab: its definition, each check's `requires`, and the maximum score. */
export interface LabSpec { lab: Lab; requires: Map<string, string[]>; maxScore: number }

export async function labSpec(lab: Lab): Promise<LabSpec> {
  const checks = await labChecks(lab, labParams(lab, 'klab-grade'));
  return { lab, requires: new Map(checks.map((c) => [c.id, c.requires ?? []])), maxScore: checks.reduce((n, c) => n + c.points, 0) };
}

/** Grades one trainee's labs (in order); throws for anything that is not the trainee's doing. */
export type Grader = (entry: RosterEntry, labs: LabSpec[], signal: AbortSignal) => Promise<RunResult[]>;

export function klabVersion(): string {
  try { return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version; } catch { return '0.0.0'; }
}

/** Which checks' points count: `error` never does; a `skip` counts only when a failed (or counted-skipped) dependency caused it. */
export function countedChecks(run: RunResult, requires: Map<string, string[]>): GradedCheck[] {
  const byId = new Map(run.checks.map((c) => [c.id, c]));
  const memo = new Map<string, boolean>();
  const counted = (id: string, stack: string[]): boolean => {
    if (memo.has(id)) return memo.get(id)!;
    const c = byId.get(id)!;
    let v: boolean;
    if (c.status === 'pass' || c.status === 'fail') v = true;
    else if (c.status === 'error') v = false;
    else v = (requires.get(id) ?? []).some((d) => {
      const dep = byId.get(d);
      if (!dep || stack.includes(d)) return false;
      return dep.status === 'fail' || (dep.status === 'skip' && counted(d, [...stack, id]));
    });
    memo.set(id, v);
    return v;
  };
  return run.checks.map((c) => ({ ...c, counted: counted(c.id, []) }));
}

export function gradedLab(run: RunResult, spec: LabSpec, namespace: string): GradedLab {
  const checks = countedChecks(run, spec.requires);
  const ungradedPoints = checks.filter((c) => !c.counted).reduce((n, c) => n + c.maxPoints, 0);
  const status = run.unreachable || (checks.length > 0 && checks.every((c) => !c.counted)) ? 'error' : ungradedPoints > 0 ? 'partial' : 'graded';
  const submission = (run as RunResult & { submission?: GradedLab['submission'] }).submission;
  return {
    lab: run.lab, seed: run.seed, namespace: submission ? submission.namespace : namespace, status, score: run.score, maxScore: run.maxScore, ungradedPoints,
    passed: run.passed, unreachable: !!run.unreachable, checks, ...(submission ? { submission } : {}),
  };
}

function errorLab(spec: LabSpec, entry: RosterEntry, unreachable = false): GradedLab {
  return {
    lab: spec.lab.def.id, seed: entry.seed, namespace: entry.submissions ? '' : namespaceOf(spec.lab, entry), status: 'error', score: 0, maxScore: spec.maxScore,
    ungradedPoints: spec.maxScore, passed: false, unreachable, checks: [],
  };
}

export function namespaceOf(lab: Lab, entry: RosterEntry): string {
  return entry.namespaces[lab.def.id] ?? labParams(lab, entry.seed).namespace;
}

/** The text of anything a grader threw: a KlabError's own, else "internal error" (never a stack trace). */
export function errorText(e: unknown): Text {
  if (e instanceof KlabError) return e.text;
  const t = (e as { text?: Text })?.text;
  if (t && typeof t.ko === 'string' && typeof t.en === 'string') return t;
  return msg('internal', { detail: (e as Error)?.message ?? String(e) });
}

export interface GradeOptions {
  labs: LabSpec[];
  grader: Grader;
  concurrency: number;
  timeoutMs: number;
  version?: string;
  /** Aborted on Ctrl+C: running graders are told (they clean up and return what they have), the rest are not started. */
  signal?: AbortSignal;
  onStart?: (entry: RosterEntry, running: string[]) => void;
  onDone?: (r: TraineeResult, done: number, total: number, running: string[]) => void;
}

export async function gradeTrainee(entry: RosterEntry, o: GradeOptions): Promise<TraineeResult> {
  const started = new Date();
  const ac = new AbortController();
  const onInterrupt = () => ac.abort();
  o.signal?.addEventListener('abort', onInterrupt, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let error: Text | undefined;
  let labs: GradedLab[];
  try {
    if (o.signal?.aborted) throw new KlabError(gmsg('sub.interrupted'), ExitCode.unreachable);
    const runs = await Promise.race([
      o.grader(entry, o.labs, ac.signal),
      new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new KlabError(gmsg('trainee.timeout', { s: Math.round(o.timeoutMs / 1000) }))), o.timeoutMs); }),
    ]);
    labs = o.labs.map((spec) => {
      const run = runs.find((r) => r.lab === spec.lab.def.id);
      return run ? gradedLab(run, spec, namespaceOf(spec.lab, entry)) : errorLab(spec, entry);
    });
    const unreachable = runs.find((r) => r.unreachable);
    if (unreachable) error = unreachable.checks[0]?.message ?? gmsg('trainee.unreachable', {});
    // A lab with no check judged (e.g. every read forbidden) makes the trainee `error`: say why, from its first check.
    error ??= labs.find((l) => l.status === 'error')?.checks.find((c) => c.status === 'error')?.message;
    if (labs.some((l) => l.submission?.interrupted)) error ??= gmsg('sub.interrupted');
  } catch (e) {
    error = errorText(e);
    const unreachable = e instanceof KlabError && e.exitCode === ExitCode.unreachable && !o.signal?.aborted;
    labs = o.labs.map((spec) => errorLab(spec, entry, unreachable));
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onInterrupt);
    ac.abort();
  }
  const flagged = labs.some((l) => l.submission?.flagged);
  const finished = new Date();
  const sum = (f: (l: GradedLab) => number) => labs.reduce((n, l) => n + f(l), 0);
  return {
    id: entry.id, name: entry.name, seed: entry.seed, context: entry.context ?? '',
    status: error || labs.some((l) => l.status === 'error') ? 'error' : labs.some((l) => l.status === 'partial') ? 'partial' : 'graded',
    ...(error ? { error } : {}),
    ...(flagged ? { flagged } : {}),
    score: sum((l) => l.score), maxScore: sum((l) => l.maxScore), ungradedPoints: sum((l) => l.ungradedPoints),
    startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(),
    klabVersion: o.version ?? klabVersion(), labs,
  };
}

/** Run `fn` over `items` with at most `limit` at once; results in input order. `fn` must not throw. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i], i); } };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export async function gradeAll(entries: RosterEntry[], o: GradeOptions, mode: GradeDoc['mode']): Promise<GradeDoc> {
  let done = 0;
  const running = new Set<string>();
  const trainees = await pool(entries, o.concurrency, async (entry) => {
    running.add(entry.id);
    o.onStart?.(entry, [...running]);
    const r = await gradeTrainee(entry, o);
    running.delete(entry.id);
    o.onDone?.(r, ++done, entries.length, [...running]);
    return r;
  });
  return newDoc(mode, o.labs.map(labInfo), trainees, o.version);
}

export function labInfo(spec: LabSpec): LabInfo {
  return { id: spec.lab.def.id, title: spec.lab.def.title, maxScore: spec.maxScore };
}

export function newDoc(mode: GradeDoc['mode'], labs: LabInfo[], trainees: TraineeResult[], version = klabVersion()): GradeDoc {
  return { schema: GRADE_SCHEMA, schemaVersion: GRADE_SCHEMA_VERSION, klabVersion: version, createdAt: new Date().toISOString(), mode, labs, trainees };
}

