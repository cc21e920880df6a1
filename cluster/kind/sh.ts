// Small process helpers for the kind provider and doctor: run a tool with a timeout, find tools on PATH,
// and name the process that holds a TCP port.
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface RunResult { code: number; stdout: string; stderr: string; notFound: boolean; timedOut: boolean; truncated?: boolean }

/**
 * Run a tool with a timeout (SIGKILL). `signal` kills it too (reported as timedOut); `maxOutputBytes` caps what is kept
 * of stdout and of stderr each (the rest is dropped, `truncated` set): a tool fed untrusted input cannot fill memory.
 */
export function run(cmd: string, args: string[], o: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal; maxOutputBytes?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    if (o.signal?.aborted) { resolve({ code: 124, stdout: '', stderr: '', notFound: false, timedOut: true }); return; }
    const child = spawn(cmd, args, { env: o.env ?? process.env, cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false, settled = false, truncated = false;
    const max = o.maxOutputBytes ?? Infinity;
    const kill = () => { timedOut = true; child.kill('SIGKILL'); };
    const timer = setTimeout(kill, o.timeoutMs ?? 60_000);
    o.signal?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (d) => { if (stdout.length < max) stdout += d; else truncated = true; });
    child.stderr.on('data', (d) => { if (stderr.length < max) stderr += d; else truncated = true; });
    const finish = (r: RunResult) => {
      if (settled) return;
      settled = true; clearTimeout(timer); o.signal?.removeEventListener('abort', kill);
      resolve(truncated ? { ...r, truncated } : r);
    };
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: 127, stdout, stderr: stderr + e.message, notFound: e.code === 'ENOENT', timedOut }));
    child.on('close', (code) => finish({ code: code ?? (timedOut ? 124 : 1), stdout, stderr, notFound: false, timedOut }));
    child.stdin.on('error', () => { /* tool exited early */ });
    child.stdin.end(o.input ?? '');
  });
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

/** Is the TCP port free to bind on this host address? EACCES (port < 1024 for a non-root user) says nothing about
 * other processes (Docker binds as root): then a LISTEN entry in /proc/net/tcp decides, where there is one. */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EACCES' ? portOwnerFromProc(port) === undefined : e.code !== 'EADDRINUSE'));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
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

