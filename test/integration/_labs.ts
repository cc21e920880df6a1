// Helpers for lab integration tests: run the CLI against the test cluster, apply a lab's known-wrong solutions.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cli, tempDir, root, klabJs, type CliResult } from '../unit/_cli.js';
import { testCluster } from './_env.js';
import { substitute } from '../../labs/_engine/params.js';
import type { Text } from '../../i18n/index.js';

/** One trainee: a private state dir (progress; or `state`, e.g. shared with a pty session), the test cluster, a seed. */
export function trainee(seed: string, lang: 'ko' | 'en' = 'en', state = tempDir('klab-trainee-')) {
  const info = testCluster();
  const env = { XDG_STATE_HOME: state, KLAB_TRAINEE: seed };
  const flags = ['--kubeconfig', info.kubeconfig, '--context', info.context, '--lang', lang];
  return {
    state, seed, info,
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

let shimDir: string | undefined;
/** A folder holding a `klab` that runs this build: a mistake's or alternative's commands may call klab (d1's `klab traffic`). */
export function klabBinDir(): string {
  if (shimDir) return shimDir;
  shimDir = tempDir('klab-bin-');
  writeFileSync(join(shimDir, 'klab'), `#!/bin/sh\nexec '${process.execPath}' '${klabJs}' "$@"\n`);
  chmodSync(join(shimDir, 'klab'), 0o755);
  return shimDir;
}

/**
 * Run a mistake's commands (bash, params filled in) as the trainee would, against the test cluster. `trainee`: the
 * trainee's klab environment (XDG_STATE_HOME, KLAB_TRAINEE), so a `klab …` command finds the same cluster and seed.
 */
export function applyCommands(commands: string[], params: Record<string, string>, trainee: Record<string, string> = {}): void {
  const info = testCluster();
  for (const c of commands) {
    const cmd = substitute(c, params);
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...trainee, NO_COLOR: '1', PATH: `${klabBinDir()}:${info.binDir ? `${info.binDir}:` : ''}${process.env.PATH}`, KUBECONFIG: info.kubeconfig } });
    if (r.status !== 0) throw new Error(`mistake command failed: ${cmd}\n${r.stderr}`);
  }
}
