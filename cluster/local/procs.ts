// Host processes of the local cluster: started detached (own process group, so one signal reaches everything a
// component forks), logging to one file each, recorded by pid so `down` can stop exactly what `up` started.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';

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
  mkdirSync(join(log, '..'), { recursive: true });
  const fd = openSync(log, 'a');
  try {
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env: opts.env ?? process.env, cwd: opts.cwd });
    if (child.pid === undefined) throw new Error(`cannot start ${bin}`);
    child.on('error', () => { /* reported through liveness checks and the log */ });
    child.unref();
    return { name, pid: child.pid, bin: realpathSync(bin), log, startedAt: new Date().toISOString() };
  } finally {
    closeSync(fd);
  }
}

function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], pgrp: Number(rest[2]) };
  } catch { return undefined; }
}

/** Alive and still the program we started (not a zombie, not a recycled pid). */
export function isAlive(rec: Pick<ProcRecord, 'pid' | 'bin'>): boolean {
  const st = procStat(rec.pid);
  if (!st || st.state === 'Z' || st.state === 'X') return false;
  try {
    const exe = readlinkSync(`/proc/${rec.pid}/exe`).replace(/ \(deleted\)$/, '');
    return exe === rec.bin;
  } catch {
    // no permission to read exe: fall back to "exists"
    try { process.kill(rec.pid, 0); return true; } catch { return false; }
  }
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
    const st = procStat(Number(d));
    if (!st || st.state === 'Z' || st.state === 'X') continue;
    if (!cmd.includes(needle)) continue;
    if (exeUnder) {
      let exe = '';
      try { exe = readlinkSync(`/proc/${d}/exe`); } catch { /* not ours to judge */ }
      if (!exe.startsWith(exeUnder)) continue;
    }
    out.push({ pid: Number(d), cmd });
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch { /* gone */ } }
}

/** SIGTERM the process group, wait up to `graceMs`, then SIGKILL whatever is left of it. */
export async function stopProcess(rec: ProcRecord, graceMs = 10_000): Promise<void> {
  const alive = () => isAlive(rec) || groupMembers(rec.pid).length > 0;
  if (!alive()) return;
  signalGroup(rec.pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if (!alive()) return;
    await sleep(100);
  }
  signalGroup(rec.pid, 'SIGKILL');
  for (const p of groupMembers(rec.pid)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  const until2 = Date.now() + 5000;
  while (Date.now() < until2 && alive()) await sleep(100);
}

/** SIGTERM one pid (not its group), SIGKILL after `graceMs`. */
export async function stopPid(pid: number, graceMs = 5000): Promise<void> {
  const alive = () => { const st = procStat(pid); return !!st && st.state !== 'Z' && st.state !== 'X'; };
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const until = Date.now() + graceMs;
  while (Date.now() < until && alive()) await sleep(100);
  if (alive()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

/** The last `n` lines of a log file ('' if absent). */
export function logTail(file: string, n = 25): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').slice(-n).join('\n');
}

/** Is a TCP port free to listen on (all interfaces)? */
export function portFree(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => res(true)));
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
  throw new Error('no free TCP port');
}

export interface GetOpts { ca?: Buffer; cert?: Buffer; key?: Buffer; insecure?: boolean; timeoutMs?: number }
/** GET a URL; resolves to {status, body} or undefined on connection errors. */
export function httpGet(url: string, o: GetOpts = {}): Promise<{ status: number; body: string } | undefined> {
  return new Promise((res) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
      method: 'GET', ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: !o.insecure, timeout: o.timeoutMs ?? 2000,
    }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c) => { body += c; });
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      r.on('error', () => res(undefined));
    });
    req.on('timeout', () => { req.destroy(); });
    req.on('error', () => res(undefined));
    req.end();
  });
}


const traceStart = Date.now();
/** KLAB_LOCAL_TRACE=1: timestamped start-up steps on stderr (for diagnosing slow or stuck `up`). */
export function trace(msg: string): void {
  if (process.env.KLAB_LOCAL_TRACE === '1') process.stderr.write(`[local +${((Date.now() - traceStart) / 1000).toFixed(2)}s] ${msg}\n`);
}
