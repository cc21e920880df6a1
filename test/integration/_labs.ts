// Helpers for lab integration tests: run the CLI against the test cluster, apply a lab's known-wrong solutions.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cli, tempDir, root, type CliResult } from '../unit/_cli.js';
import { testCluster } from './_env.js';
import { substitute } from '../../labs/_engine/params.js';
import { imageRegistry } from '../../cluster/provider.js';
import type { Text } from '../../i18n/index.js';

/**
 * A trainee's environment: private state and working folder. The CLI reaches the test cluster by --kubeconfig/--context,
 * i.e. as an `existing` cluster: its registry is named the way an instructor would (KLAB_REGISTRY).
 */
export function traineeEnv(state: string, seed: string): Record<string, string> {
  const registry = imageRegistry(testCluster().provider, {});
  return { XDG_STATE_HOME: state, KLAB_TRAINEE: seed, KLAB_WORK: join(state, 'work'), ...(registry ? { KLAB_REGISTRY: registry } : {}) };
}

/** One trainee: a private state dir (progress; or `state`, e.g. shared with a pty session), the test cluster, a seed. */
export function trainee(seed: string, lang: 'ko' | 'en' = 'en', state = tempDir('klab-trainee-')) {
  const info = testCluster();
  const env = traineeEnv(state, seed);
  const flags = ['--kubeconfig', info.kubeconfig, '--context', info.context, '--lang', lang];
  return {
    state, seed, info, env,
    klab: (...args: string[]): CliResult => cli([...args, ...flags], env),
    checkJson(lab: string, ...extra: string[]) {
      const r = cli(['check', lab, '--json', ...extra, ...flags], env);
      let json: CheckJson | undefined;
      try { json = JSON.parse(r.stdout) as CheckJson; } catch { /* asserted by the caller */ }
      return { ...r, json };
    },
  };
}

export interface CheckJson {
  lab: string; seed: string; passed: boolean; score: number; maxScore: number; unreachable?: boolean;
  checks: { id: string; status: 'pass' | 'fail' | 'skip' | 'error'; points: number; maxPoints: number; message: string; hint?: string; verifiedBy?: string }[];
}

export interface Mistake {
  file: string;
  description: Text;
  commands: string[];
  expect: { fail: Record<string, Text>; pass?: string[] };
  /** Optional: question id → a shell command whose output is what this trainee answers. */
  answers?: Record<string, string>;
}

export function mistakes(lab: string): Mistake[] {
  const dir = join(root, 'labs', lab, 'mistakes');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: f, ...(parseYaml(readFileSync(join(dir, f), 'utf8')) as Omit<Mistake, 'file'>) }));
}

/** Run a mistake's commands (bash, params filled in) as the trainee would, against the test cluster. */
export function applyCommands(commands: string[], params: Record<string, string>): void {
  const info = testCluster();
  for (const c of commands) {
    const cmd = substitute(c, params);
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, KUBECONFIG: info.kubeconfig } });
    if (r.status !== 0) throw new Error(`mistake command failed: ${cmd}\n${r.stderr}`);
  }
}
