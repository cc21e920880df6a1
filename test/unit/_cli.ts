// Run the compiled CLI as a user would (a child process), with a private state dir.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const klabJs = join(root, 'dist/scripts/klab.js');

export function tempDir(prefix = 'klab-test-'): string { return mkdtempSync(join(tmpdir(), prefix)); }

export interface CliResult { code: number; stdout: string; stderr: string }
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): CliResult {
  const base = { ...process.env };
  delete base.FORCE_COLOR; // set by uvu; klab must see the user's colour settings only
  const r = spawnSync(process.execPath, [klabJs, ...args], {
    cwd: root, input, encoding: 'utf8', timeout: 120_000,
    env: { ...base, NO_COLOR: '1', XDG_STATE_HOME: env.XDG_STATE_HOME ?? tempDir('klab-state-'), ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface TimedResult extends CliResult { ms: number; timedOut: boolean; /** alive this long after its last output */ afterOutputMs: number }

/** Like cli(), but asynchronous (servers in this process keep answering) and timed; killed after `limitMs`. */
export function cliAsync(args: string[], env: NodeJS.ProcessEnv = {}, limitMs = 60_000): Promise<TimedResult> {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  const t0 = Date.now();
  let last = t0;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [klabJs, ...args], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...base, NO_COLOR: '1', XDG_STATE_HOME: env.XDG_STATE_HOME ?? tempDir('klab-state-'), ...env },
    });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; last = Date.now(); });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; last = Date.now(); });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const end = Date.now();
      resolve({ code: code ?? -1, stdout, stderr, ms: end - t0, timedOut, afterOutputMs: end - last });
    });
  });
}

/** A kubeconfig whose server refuses connections (a real refused port, not a fake server). */
export function deadKubeconfig(): string {
  const dir = tempDir('klab-kc-');
  const file = join(dir, 'config');
  const yaml = `apiVersion: v1
kind: Config
clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: dead, context: {cluster: dead, user: u}}]
current-context: dead
`;
  spawnSync('sh', ['-c', `cat > '${file}'`], { input: yaml });
  return file;
}
