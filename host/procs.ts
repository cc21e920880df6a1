// The one process module: run a tool to completion (through zx), start and stop detached daemons, look at /proc.
//
// `run` is zx's `$` (a well-kept library: quoting, input, env, cwd, timeout). What no library does is written here by
// hand, on purpose: daemons started detached in their own process group (one signal reaches everything a component
// forks), recorded by pid (a state record or a pid file) and told apart from a recycled pid through /proc; scans of
// /proc for process groups, command lines and the owner of a listening port.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { waitFor } from './wait.js';
import { KlabError, ExitCode, fill } from '../i18n/index.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Running a tool to completion

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** the executable was not found (shell exit 127) */
  notFound: boolean;
  /** killed because `timeoutMs` ran out (or `signal` aborted it) */
  timedOut: boolean;
  /** output beyond `maxOutputBytes` was dropped */
  truncated?: boolean;
  /** killed because its resident memory went over `maxRssBytes` */
  memoryExceeded?: boolean;
}
export interface RunOptions {
  env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number; logFile?: string;
  /** Aborting kills the tool (reported as timedOut): e.g. Ctrl+C while grading. */
  signal?: AbortSignal;
  /** Keep at most this many characters of stdout and of stderr each: a tool fed untrusted input cannot fill memory. */
  maxOutputBytes?: number;
  /**
   * Kill the tool when its resident memory (Linux: /proc/<pid>/status VmRSS, read every 100 ms) goes over this: a
   * template that expands without end cannot take the grader's machine down. Go tools also get GOMEMLIMIT (a soft
   * limit: the collector works harder first). Elsewhere than Linux only the soft limit applies.
   */
  maxRssBytes?: number;
}

/**
 * Run `cmd args` to completion (async, so spinners keep turning). Never throws for a non-zero exit, a missing tool or
 * a timeout: the result says which. With `logFile`, a header line and the output are appended to it as they come.
 */
export async function run(cmd: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  if (o.maxOutputBytes !== undefined || o.signal || o.maxRssBytes !== undefined) return runBounded(cmd, args, o);
  const { $, quote } = await import('zx');
  let log: ReturnType<typeof createWriteStream> | undefined;
  if (o.logFile) {
    mkdirSync(path.dirname(o.logFile), { recursive: true });
    log = createWriteStream(o.logFile, { flags: 'a' });
    log.write(`\n=== ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
  }
  const p = $({
    env: o.env ?? process.env, cwd: o.cwd, nothrow: true, quiet: true,
    // zx looks for bash on PATH once, when it is imported, and sets no shell or quoting if PATH has none then (tests
    // put only stand-in tools on PATH): name them here.
    shell: which('bash') ?? '/bin/bash', quote, prefix: 'set -euo pipefail;',
  })`exec ${cmd} ${args}`;
  // The input is written here, not through zx's `input`: a tool that exits without reading it (EPIPE) must not take
  // klab down with an unhandled stream error.
  p.stdin.on('error', () => { /* the tool exited early; its exit code says why */ });
  p.stdin.end(o.input ?? '');
  if (log) { p.stdout.on('data', (b: Buffer) => log!.write(b)); p.stderr.on('data', (b: Buffer) => log!.write(b)); }
  // `exec`: the shell becomes the tool, so the pid is the tool's and it stays in klab's process group (Ctrl-C reaches
  // it). The timeout is ours, not zx's: zx's kill lists the process tree through `ps` (slower, noisy on Node 24).
  let timedOut = false;
  const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    if (p.pid) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  }, o.timeoutMs);
  const r = await p;
  if (timer) clearTimeout(timer);
  if (log) await new Promise<void>((res) => log!.end(res));
  const code = r.exitCode ?? (timedOut ? 124 : 128);
  return { code, stdout: r.stdout, stderr: r.stderr, notFound: code === 127, timedOut };
}

/**
 * `run` for tools fed untrusted input (graded submissions): hand-written on child_process because zx keeps the whole
 * output in memory; here what is kept is capped as it arrives, and an AbortSignal kills the tool.
 */
function runBounded(cmd: string, args: string[], o: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    if (o.signal?.aborted) { resolve({ code: 124, stdout: '', stderr: '', notFound: false, timedOut: true }); return; }
    const env = o.maxRssBytes ? { ...(o.env ?? process.env), GOMEMLIMIT: String(Math.floor(o.maxRssBytes * 0.8)) } : o.env ?? process.env;
    const child = spawn(cmd, args, { env, cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false, settled = false, truncated = false, memoryExceeded = false;
    const max = o.maxOutputBytes ?? Infinity;
    const kill = () => { timedOut = true; child.kill('SIGKILL'); };
    const timer = setTimeout(kill, o.timeoutMs ?? 60_000);
    const watch = o.maxRssBytes && child.pid ? setInterval(() => {
      if ((rssBytes(child.pid!) ?? 0) > o.maxRssBytes!) { memoryExceeded = true; child.kill('SIGKILL'); }
    }, 100) : undefined;
    o.signal?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (d) => { if (stdout.length < max) stdout += d; else truncated = true; });
    child.stderr.on('data', (d) => { if (stderr.length < max) stderr += d; else truncated = true; });
    const finish = (r: RunResult) => {
      if (settled) return;
      settled = true; clearTimeout(timer); clearInterval(watch); o.signal?.removeEventListener('abort', kill);
      if (memoryExceeded) r = { ...r, memoryExceeded, timedOut: false };
      resolve(truncated ? { ...r, truncated } : r);
    };
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: 127, stdout, stderr: stderr + e.message, notFound: e.code === 'ENOENT', timedOut }));
    child.on('close', (code) => finish({ code: code ?? (timedOut ? 124 : 1), stdout, stderr, notFound: false, timedOut }));
    child.stdin.on('error', () => { /* tool exited early */ });
    child.stdin.end(o.input ?? '');
  });
}

/** Resident memory of a process in bytes (Linux /proc), or undefined when it cannot be read (gone, not Linux). */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch { return undefined; }
}

/** Synchronous `run` for the few places that cannot await (cgroup set-up). */
export function runSync(cmd: string, args: string[]): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const notFound = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { code: r.status ?? (notFound ? 127 : 1), stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : ''), notFound, timedOut: false };
}

/** Absolute path of an executable on PATH, or undefined. Synchronous (used by capabilities()). */
export function which(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try { accessSync(p, constants.X_OK); return p; } catch { /* next */ }
  }
  return undefined;
}

/** Which of these executables are missing from PATH and the sbin folders (or absolute paths that do not exist)? */
export function missingExecutables(names: string[]): string[] {
  const dirs = [process.env.PATH ?? '', '/usr/sbin', '/sbin', '/usr/bin', '/bin'].join(path.delimiter);
  return names.filter((n) => (n.startsWith('/') ? !existsSync(n) : which(n, dirs) === undefined));
}

// ---------------------------------------------------------------------------------------------------------------
// Detached daemons (hand-written: no library starts a process group and tells our pid from a recycled one)

export interface ProcRecord {
  name: string;
  pid: number;
  /** real path of the executable, to tell our process from a recycled pid */
  bin: string;
  log: string;
  startedAt: string;
}

export interface StartOptions { env?: NodeJS.ProcessEnv; cwd?: string }

/** Start `bin args` detached, stdout+stderr appended to `log`. Returns at once; the caller waits for readiness. */
export function startProcess(name: string, bin: string, args: string[], log: string, opts: StartOptions = {}): ProcRecord {
  mkdirSync(path.dirname(log), { recursive: true });
  const fd = openSync(log, 'a');
  try {
    writeFileSync(fd, `\n=== ${new Date().toISOString()} ${bin} ${args.join(' ')}\n`);
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env: opts.env ?? process.env, cwd: opts.cwd });
    if (child.pid === undefined) throw new KlabError(fill({ ko: '{bin}{bin:을/를} 시작할 수 없습니다 (로그: {log}).', en: 'Cannot start {bin} (log: {log}).' }, { bin, log }), ExitCode.unreachable);
    child.on('error', () => { /* reported through liveness checks and the log */ });
    child.unref();
    let real = bin;
    try { real = realpathSync(bin); } catch { /* a name on PATH */ }
    return { name, pid: child.pid, bin: real, log, startedAt: new Date().toISOString() };
  } finally {
    closeSync(fd);
  }
}

/** A daemon recorded by a pid file (the real node's services) rather than in a state record. */
export interface Daemon { name: string; pidFile: string; logFile: string }

/** `startProcess`, then the pid written to `d.pidFile`. */
export function startDaemon(d: Daemon, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const rec = startProcess(d.name, cmd, args, d.logFile, { env });
  mkdirSync(path.dirname(d.pidFile), { recursive: true });
  writeFileSync(d.pidFile, `${rec.pid}\n`);
  return rec.pid;
}

function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0]!, pgrp: Number(rest[2]) };
  } catch { return undefined; }
}

/** The process exists and is not a zombie (a zombie still answers kill(0)). */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  const st = procStat(pid);
  if (st) return st.state !== 'Z' && st.state !== 'X';
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Alive and still the program we started (not a zombie, not a recycled pid). */
export function isAlive(rec: Pick<ProcRecord, 'pid' | 'bin'>): boolean {
  if (!alive(rec.pid)) return false;
  try {
    const exe = readlinkSync(`/proc/${rec.pid}/exe`).replace(/ \(deleted\)$/, '');
    return exe === rec.bin;
  } catch {
    return true; // no permission to read exe: "exists" is all we can tell
  }
}

export function readPid(pidFile: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isFinite(n) && n > 1 ? n : undefined;
  } catch { return undefined; }
}

/** Is the process recorded in pidFile running, and is it still the same program (by name)? */
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

/** Every live process whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(Number(d));
    if (st && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') out.push(Number(d));
  }
  return out;
}

/**
 * Live processes (other than this one) whose command line mentions `needle` — e.g. the state dir.
 * With `exeUnder`, only those whose executable lives in that folder (our cached binaries, not a user's `tail -f`).
 */
export function processesMentioning(needle: string, exeUnder?: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    let cmd: string;
    try { cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(); } catch { continue; }
    if (!cmd.includes(needle) || !alive(Number(d))) continue;
    if (exeUnder) {
      let exe = '';
      try { exe = readlinkSync(`/proc/${d}/exe`); } catch { /* not ours to judge */ }
      if (!exe.startsWith(exeUnder)) continue;
    }
    out.push({ pid: Number(d), cmd });
  }
  return out;
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(-pid, sig); } catch { /* not a group leader */ }
  try { process.kill(pid, sig); } catch { /* gone */ }
}

/** SIGTERM (the group, or the one pid), wait up to `graceMs` while `isUp()`, then SIGKILL and wait a little more. */
async function terminate(pid: number, group: boolean, graceMs: number, isUp: () => boolean): Promise<void> {
  const sig = (s: NodeJS.Signals) => { if (group) signalGroup(pid, s); else { try { process.kill(pid, s); } catch { /* gone */ } } };
  sig('SIGTERM');
  if (await waitFor(() => !isUp(), { timeoutMs: graceMs, everyMs: 100 })) return;
  sig('SIGKILL');
  if (group) for (const p of groupMembers(pid)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  await waitFor(() => !isUp(), { timeoutMs: 5000, everyMs: 50 });
}

/** SIGTERM the process group, wait up to `graceMs`, then SIGKILL whatever is left of it. */
export async function stopProcess(rec: ProcRecord, graceMs = 10_000): Promise<void> {
  const up = () => isAlive(rec) || groupMembers(rec.pid).length > 0;
  if (up()) await terminate(rec.pid, true, graceMs, up);
}

/** Stop the daemon of a pid file (its process group) like `stopProcess`; removes the pid file. Did it run? */
export async function stopDaemon(pidFile: string, graceMs = 8000): Promise<boolean> {
  const pid = readPid(pidFile);
  const running = alive(pid);
  if (running) await terminate(pid!, true, graceMs, () => alive(pid));
  rmSync(pidFile, { force: true });
  return running;
}

/** SIGTERM one pid (not its group), SIGKILL after `graceMs`. */
export async function stopPid(pid: number, graceMs = 5000): Promise<void> {
  if (alive(pid)) await terminate(pid, false, graceMs, () => alive(pid));
}

/** The last `n` non-blank lines of a log file ('' if absent), for error messages. */
export function logTail(file: string, n = 25): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(-n).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// TCP ports

/**
 * Is the TCP port free to bind on this host address? EACCES (port < 1024 for a non-root user) says nothing about
 * other processes (Docker binds as root): then a LISTEN entry in /proc/net/tcp decides, where there is one.
 */
export function portFree(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EACCES' ? portOwnerFromProc(port) === undefined : e.code !== 'EADDRINUSE'));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** `preferred` if it is free, otherwise a port the kernel hands out. */
export async function pickPort(preferred?: number, avoid: Set<number> = new Set()): Promise<number> {
  if (preferred && !avoid.has(preferred) && (await portFree(preferred))) return preferred;
  for (let i = 0; i < 20; i++) {
    const p = await new Promise<number>((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen({ port: 0, host: '0.0.0.0', exclusive: true }, () => {
        const a = s.address();
        const port = typeof a === 'object' && a ? a.port : 0;
        s.close(() => res(port));
      });
    });
    if (!avoid.has(p)) return p;
  }
  throw new KlabError({ ko: '쓸 수 있는 TCP 포트가 없습니다.', en: 'No free TCP port.' }, ExitCode.unreachable);
}

export interface PortOwner { pid?: number; command?: string; how: string }

/** Listening-socket inodes for a port from /proc/net/tcp{,6} (Linux), then the pid whose fd points at one. */
function portOwnerFromProc(port: number): PortOwner | undefined {
  const inodes = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try { text = readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const local = cols[1]!, state = cols[3]!, inode = cols[9]!;
      const p = parseInt(local.split(':')[1] ?? '', 16);
      if (p === port && state === '0A' /* LISTEN */ && inode !== '0') inodes.add(inode);
    }
  }
  if (inodes.size === 0) return undefined;
  let pids: string[] = [];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return { how: '/proc/net/tcp' }; }
  for (const pid of pids) {
    let fds: string[];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      let target: string;
      try { target = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) {
        let command = '';
        try { command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' '); } catch { /* gone */ }
        return { pid: Number(pid), command: command || undefined, how: '/proc' };
      }
    }
  }
  // The socket exists but belongs to another network namespace or user we cannot see.
  return { how: '/proc/net/tcp (owner not visible: try `sudo ss -ltnp`)' };
}

/** Which process listens on the port? /proc on Linux, `lsof` elsewhere (macOS). */
export async function portOwner(port: number): Promise<PortOwner | undefined> {
  const fromProc = portOwnerFromProc(port);
  if (fromProc) return fromProc;
  if (which('lsof')) {
    const r = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { timeoutMs: 10_000 });
    const pid = /^p(\d+)$/m.exec(r.stdout)?.[1];
    const cmd = /^c(.+)$/m.exec(r.stdout)?.[1];
    if (pid) return { pid: Number(pid), command: cmd, how: 'lsof' };
  }
  return undefined;
}

/** A docker-proxy owner means a container publishes the port: name it. */
export async function describePortOwner(port: number): Promise<string> {
  const o = await portOwner(port);
  if (!o) return `unknown process (run: sudo ss -ltnp 'sport = :${port}')`;
  let s = o.pid ? `pid ${o.pid}${o.command ? ` (${o.command})` : ''}` : o.how;
  if (o.command?.includes('docker-proxy')) {
    const r = await run('docker', ['ps', '--filter', `publish=${port}`, '--format', '{{.Names}}'], { timeoutMs: 10_000 });
    const names = r.stdout.trim();
    if (names) s += `; docker container: ${names.split('\n').join(', ')}`;
  }
  return s;
}
