// Files that several klab processes may touch at once: the one atomic write (temp file in the same folder, then
// rename — a reader sees the old content or the new, never half) and the one lock (a lock file made with O_EXCL that
// holds its owner's pid; a lock whose owner is dead, or older than `staleMs`, is taken over).
// Hand-written on purpose: both are a few lines over node:fs, and they must be synchronous (the progress store is).
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AtomicOptions {
  mode?: number;
  /** never replace an existing file (another process made it first): throws EEXIST, the file is untouched */
  exclusive?: boolean;
}

/** Write `data` to `file` atomically (its folder is made if missing). Errors are node's (ErrnoException). */
export function writeAtomic(file: string, data: string | Uint8Array, o: AtomicOptions = {}): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    writeFileSync(tmp, data, o.mode === undefined ? undefined : { mode: o.mode });
    // link() fails with EEXIST where rename() would replace: the exclusive create, complete from the first byte.
    if (o.exclusive) linkSync(tmp, file); else renameSync(tmp, file);
  } finally {
    try { unlinkSync(tmp); } catch { /* renamed */ }
  }
}

export interface LockOptions {
  /** how long to wait for a live owner to let go (default 0: answer at once) */
  waitMs?: number;
  /** a lock file older than this is stale even if its pid looks alive (a recycled pid); default: never */
  staleMs?: number;
}
export type LockResult = { release: () => void; owner?: undefined } | { release?: undefined; owner: number | undefined };

function pidAlive(pid: number): boolean {
  if (!pid || pid === process.pid) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * Take the lock file `file`: `{release}` when this process holds it, else `{owner}` (the pid holding it, if it says)
 * once `waitMs` has passed. Errors other than "taken" (no permission, a folder missing) are thrown as node's.
 */
export function tryLock(file: string, o: LockOptions = {}): LockResult {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + (o.waitMs ?? 0);
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      try { writeFileSync(fd, String(process.pid)); } finally { closeSync(fd); }
      return { release: () => { try { if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file); } catch { /* gone */ } } };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner: number | undefined;
    let stale = false;
    try {
      const text = readFileSync(file, 'utf8').trim();
      owner = text ? Number(text) : undefined;
      const age = Date.now() - statSync(file).mtimeMs;
      // An empty file is an owner between open and write: stale only by age (or if it stays so for a second).
      stale = owner !== undefined ? !pidAlive(owner) : age > 1000;
      if (o.staleMs !== undefined && age > o.staleMs) stale = true;
    } catch { continue; /* released meanwhile: try again */ }
    if (stale) {
      // Read again just before removing: another process may have taken the stale lock over a moment ago.
      try { if (readFileSync(file, 'utf8').trim() === String(owner ?? '')) unlinkSync(file); } catch { /* gone */ }
      continue;
    }
    if (Date.now() >= deadline) return { owner };
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
  }
}
