// Progress store: $XDG_STATE_HOME/klab/progress.json (or ~/.local/state/klab/), keyed by cluster context and lab.
// Writes are atomic (temp file + rename) under an exclusive lock file, so concurrent klab processes never lose an
// update. A corrupt or foreign-version file is set aside (renamed) and reported, never a crash.
import { readFileSync, renameSync } from 'node:fs';
import { tryLock, type LockResult } from '../../host/files.js';
import { join } from 'node:path';
import { stateDir, ensureDir, stateError, writeState } from '../../cluster/paths.js';
import { KlabError, ExitCode, type Text } from '../../i18n/index.js';
import { msg } from '../../i18n/messages.js';

export const PROGRESS_VERSION = 1;

export interface LabProgress {
  lab: string;
  context: string;
  seed: string;
  startedAt: string;
  updatedAt: string;
  /** 1-based steps whose checks all passed (never removed: progress does not go backwards). */
  passedSteps: number[];
  skippedSteps: number[];
  passedChecks: string[];
  currentStep: number;
  /** Steps whose solution the trainee viewed or applied. */
  solutionShown: number[];
  solved: boolean;
  answers: Record<string, string>;
  hintsShown: Record<string, number>;
  lastScore?: { score: number; maxScore: number };
}

interface ProgressFile { version: number; labs: Record<string, LabProgress> }


/** What is wrong with one lab's entry (the field), or undefined when it has the shape klab writes. */
function entryProblem(p: unknown): string | undefined {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return '(entry)';
  const e = p as Record<string, unknown>;
  for (const k of ['lab', 'context', 'seed', 'startedAt', 'updatedAt']) if (typeof e[k] !== 'string') return k;
  for (const k of ['passedSteps', 'skippedSteps', 'passedChecks', 'solutionShown']) if (!Array.isArray(e[k])) return k;
  if (!Number.isInteger(e.currentStep) || (e.currentStep as number) < 1) return 'currentStep';
  if (typeof e.solved !== 'boolean') return 'solved';
  for (const k of ['answers', 'hintsShown']) if (!e[k] || typeof e[k] !== 'object' || Array.isArray(e[k])) return k;
  if (Object.values(e.answers as object).some((v) => typeof v !== 'string')) return 'answers';
  if (Object.values(e.hintsShown as object).some((v) => typeof v !== 'number')) return 'hintsShown';
  return undefined;
}

const key = (context: string, lab: string) => `${context}|${lab}`;

export class ProgressStore {
  readonly file: string;
  /** Warnings (corrupt file set aside …) to show the user once. */
  readonly warnings: Text[] = [];
  constructor(dir = stateDir()) {
    ensureDir(dir);
    this.file = join(dir, 'progress.json');
  }

  private read(): ProgressFile {
    let raw: string;
    try { raw = readFileSync(this.file, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: PROGRESS_VERSION, labs: {} };
      throw stateError(this.file, e);
    }
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return this.setAside((path) => msg('progress.corrupt', { path }));
    }
    const d = data as Partial<ProgressFile>;
    if (typeof d !== 'object' || d === null || typeof d.labs !== 'object' || d.labs === null || Array.isArray(d.labs)) return this.setAside((path) => msg('progress.corrupt', { path }));
    if (d.version !== PROGRESS_VERSION) return this.setAside((path) => msg('progress.foreign', { version: String(d.version), path }));
    const bad = Object.entries(d.labs).find(([, p]) => entryProblem(p));
    if (bad) return this.setAside((path) => msg('progress.badEntry', { key: bad[0], field: entryProblem(bad[1])!, path }));
    return d as ProgressFile;
  }

  /** Move an unusable file out of the way; say "set aside" only when the rename worked. */
  private setAside(text: (path: string) => Text): ProgressFile {
    const aside = `${this.file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.file, aside);
      this.warnings.push(text(aside));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new KlabError(msg('progress.cannotSetAside', { path: this.file, detail: (e as NodeJS.ErrnoException).code ?? String(e) }), ExitCode.usage);
      // another klab process set it aside a moment ago: nothing to say twice
    }
    return { version: PROGRESS_VERSION, labs: {} };
  }

  private write(data: ProgressFile): void {
    writeState(this.file, JSON.stringify(data, null, 2) + '\n', 0o600);
  }

  private withLock<T>(fn: () => T): T {
    const lock = `${this.file}.lock`;
    let l: LockResult;
    try { l = tryLock(lock, { waitMs: 10_000, staleMs: 15_000 }); } catch (e) { throw stateError(lock, e); }
    if (!l.release) throw new KlabError(msg('progress.locked', { path: lock }), ExitCode.usage);
    try { return fn(); } finally { l.release(); }
  }

  get(context: string, lab: string): LabProgress | undefined {
    return this.read().labs[key(context, lab)];
  }

  all(): LabProgress[] {
    return Object.values(this.read().labs);
  }

  /** Read-modify-write one lab's progress under the lock. `fn` gets the current value (or a fresh one). */
  update(context: string, lab: string, seed: string, fn: (p: LabProgress) => void): LabProgress {
    return this.withLock(() => {
      const data = this.read();
      const now = new Date().toISOString();
      const p = data.labs[key(context, lab)] ?? {
        lab, context, seed, startedAt: now, updatedAt: now, passedSteps: [], skippedSteps: [], passedChecks: [],
        currentStep: 1, solutionShown: [], solved: false, answers: {}, hintsShown: {},
      };
      fn(p);
      p.updatedAt = now;
      p.passedSteps = [...new Set(p.passedSteps)].sort((a, b) => a - b);
      p.passedChecks = [...new Set(p.passedChecks)].sort();
      data.labs[key(context, lab)] = p;
      this.write(data);
      return p;
    });
  }

  remove(context: string, lab: string): void {
    this.withLock(() => {
      const data = this.read();
      delete data.labs[key(context, lab)];
      this.write(data);
    });
  }
}

/** What `klab status` shows for one lab: passed and skipped steps apart, and the score of the checks passed so far. */
export interface ProgressSummary { steps: number; passedSteps: number[]; skippedSteps: number[]; currentStep: number; score: number; maxScore: number }

export function summarize(def: { steps: { checks: { id: string; points: number }[] }[] }, p: LabProgress): ProgressSummary {
  const checks = def.steps.flatMap((s) => s.checks);
  const steps = def.steps.length;
  const passedSteps = p.passedSteps.filter((n) => n >= 1 && n <= steps);
  // A skipped step that later passed counts as passed, never as both.
  const skippedSteps = [...new Set(p.skippedSteps)].filter((n) => n >= 1 && n <= steps && !passedSteps.includes(n)).sort((a, b) => a - b);
  return {
    steps, passedSteps, skippedSteps, currentStep: Math.min(p.currentStep, steps + 1),
    score: checks.filter((c) => p.passedChecks.includes(c.id)).reduce((a, c) => a + c.points, 0),
    maxScore: checks.reduce((a, c) => a + c.points, 0),
  };
}
