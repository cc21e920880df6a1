// helm, run on a submission: its template engine only. Every run gets a private, empty helm home (no plugins, no
// repositories, no registry logins of the grader), HELM_NO_PLUGINS, never --post-renderer, no network fetch of
// dependencies (a chart's Chart.yaml dependencies must be vendored in charts/), a timeout, a cap on its output, and
// a memory limit (host/procs.ts maxRssBytes: killed above KLAB_GRADE_HELM_MEMORY MiB, default 512).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KlabError, ExitCode } from '../../i18n/index.js';
import { run, type RunResult } from '../../host/procs.js';
import { findTool } from '../../cluster/local/tools.js';
import { gmsg } from '../messages.js';

export interface Helm {
  bin: string;
  run(args: string[], o?: { kubeconfig?: string; timeoutMs?: number; signal?: AbortSignal }): Promise<RunResult>;
  dispose(): void;
}

const MAX_OUTPUT = 4 << 20;

/** The most memory one helm run on a submission may use (MiB): KLAB_GRADE_HELM_MEMORY, default 512. */
export function helmMemoryMiB(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.KLAB_GRADE_HELM_MEMORY);
  return Number.isFinite(n) && n >= 64 ? Math.floor(n) : 512;
}

export async function openHelm(): Promise<Helm> {
  const bin = findTool('helm');
  if (!bin) throw new KlabError(gmsg('sub.noHelm'), ExitCode.usage);
  const home = mkdtempSync(join(tmpdir(), 'klab-helm-'));
  for (const d of ['config', 'cache', 'data', 'plugins']) mkdirSync(join(home, d));
  const env = (kubeconfig?: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: tmpdir(),
    HELM_CONFIG_HOME: join(home, 'config'), HELM_CACHE_HOME: join(home, 'cache'), HELM_DATA_HOME: join(home, 'data'),
    HELM_PLUGINS: join(home, 'plugins'), HELM_NO_PLUGINS: '1',
    HELM_REGISTRY_CONFIG: join(home, 'config', 'registry.json'), HELM_REPOSITORY_CONFIG: join(home, 'config', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(home, 'cache', 'repository'),
    // No cluster for lint/template: an empty kubeconfig path, so helm can never use the grader's own credentials.
    KUBECONFIG: kubeconfig ?? join(home, 'no-kubeconfig'),
  });
  return {
    bin,
    run: (args, o = {}) => run(bin, args, { env: env(o.kubeconfig), timeoutMs: o.timeoutMs ?? 60_000, signal: o.signal, maxOutputBytes: MAX_OUTPUT, maxRssBytes: helmMemoryMiB() << 20 }),
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** `file:line` of a helm template error, relative to the chart ("templates/deployment.yaml:12"), when it says one. */
export function templateErrorWhere(stderr: string): string | undefined {
  // template: dodo/templates/deployment.yaml:12:5: executing … / parse error at (dodo/templates/x.yaml:3): …
  // YAML parse error on dodo/templates/x.yaml: error converting YAML to JSON: yaml: line 4: …
  let m = /template: [^/\s]+\/((?:charts\/[^\s:]+\/)?templates\/[^\s:]+):(\d+)/.exec(stderr) ?? /\([^/\s]+\/((?:charts\/[^\s:]+\/)?templates\/[^\s:)]+):(\d+)\)/.exec(stderr);
  if (m) return `${m[1]}:${m[2]}`;
  m = /YAML parse error on [^/\s]+\/(\S+?): .*?line (\d+)/.exec(stderr);
  if (m) return `${m[1]}:${m[2]}`;
  return undefined;
}

/** The first meaningful line of helm's error output (without "Error: "), at most 400 characters. */
export function helmError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^(WARNING|walk\.go|install\.go|\[debug\])/.test(l));
  const line = (lines.find((l) => l.startsWith('Error:')) ?? lines[0] ?? '').replace(/^Error:\s*/, '');
  return line.length > 400 ? line.slice(0, 400) + '…' : line;
}

/** True when helm could not reach the cluster (a grader error, never the trainee's). */
export function helmUnreachable(stderr: string): boolean {
  return /Kubernetes cluster unreachable|connection refused|no such host|i\/o timeout|TLS handshake timeout|certificate signed by unknown authority|Unauthorized/.test(stderr);
}
