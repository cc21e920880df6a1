// Small process helpers for the real node: start a daemon in the background with its log and pid file under the
// state dir, stop it by the recorded pid, run a command and capture its output. No systemd (PID 1 may be anything).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Daemon { name: string; pidFile: string; logFile: string }

export function readPid(pidFile: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isFinite(n) && n > 1 ? n : undefined;
  } catch { return undefined; }
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch { return false; }
  // A zombie still answers kill(0): look at its state.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch { return false; }
}

/** Is the process recorded in pidFile running, and is it still the same program (not a recycled pid)? */
export function daemonPid(pidFile: string, exe?: string): number | undefined {
  const pid = readPid(pidFile);
  if (!alive(pid)) return undefined;
  if (exe) {
    try {
      const cmd = (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '').split('/').pop() ?? '';
      if (!cmd.startsWith(exe.split('/').pop() ?? exe)) return undefined;
    } catch { return undefined; }
  }
  return pid;
}

/** Start `cmd args` detached, stdout+stderr appended to logFile, pid written to pidFile. */
export function startDaemon(d: Daemon, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  mkdirSync(dirname(d.logFile), { recursive: true });
  mkdirSync(dirname(d.pidFile), { recursive: true });
  const fd = openSync(d.logFile, 'a');
  writeFileSync(fd, `\n=== ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  child.unref();
  writeFileSync(d.pidFile, `${child.pid}\n`);
  return child.pid;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Send SIGTERM to the daemon's process group, then SIGKILL after `graceMs`; removes the pid file. */
export async function stopDaemon(pidFile: string, graceMs = 8000): Promise<boolean> {
  const pid = readPid(pidFile);
  let stopped = false;
  if (alive(pid)) {
    signalGroup(pid!, 'SIGTERM');
    const end = Date.now() + graceMs;
    while (alive(pid) && Date.now() < end) await sleep(100);
    if (alive(pid)) signalGroup(pid!, 'SIGKILL');
    const end2 = Date.now() + 3000;
    while (alive(pid) && Date.now() < end2) await sleep(50);
    stopped = true;
  }
  rmSync(pidFile, { force: true });
  return stopped;
}

function signalGroup(pid: number, sig: NodeJS.Signals) {
  try { process.kill(-pid, sig); } catch { /* not a group leader */ }
  try { process.kill(pid, sig); } catch { /* gone */ }
}

export interface RunResult { code: number; stdout: string; stderr: string }

/** Run a command to completion (async, so progress spinners keep turning). Never throws for a non-zero exit. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number; logFile?: string } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let logFd: number | undefined;
    if (opts.logFile) {
      mkdirSync(dirname(opts.logFile), { recursive: true });
      logFd = openSync(opts.logFile, 'a');
      writeFileSync(logFd, `\n=== ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
    }
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); if (logFd !== undefined) writeFileSync(logFd, b); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); if (logFd !== undefined) writeFileSync(logFd, b); });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (e) => { stderr += String(e); });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (logFd !== undefined) closeSync(logFd);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input); else child.stdin.end();
  });
}

export function runSync(cmd: string, args: string[]): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** Poll `fn` until it returns a truthy value or the time runs out (then undefined). */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 250): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch { /* keep polling */ }
    if (Date.now() >= end) return undefined;
    await sleep(everyMs);
  }
}

/** The last `n` lines of a log file, for error messages. */
export function logTail(file: string, n = 15): string {
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

/** Which of these executables are missing from PATH (or absolute paths that do not exist)? */
export function missingExecutables(names: string[]): string[] {
  const path = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin']);
  return names.filter((n) => {
    if (n.startsWith('/')) return !existsSync(n);
    return !path.some((p) => p && existsSync(`${p}/${n}`));
  });
}
