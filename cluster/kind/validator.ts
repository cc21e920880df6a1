// Builds and runs cluster/kind/validate (kind's own config loader + validation, without Docker).
// The binary is cached under ~/.cache/klab/bin/kind-validate-<hash of the Go sources>; it is rebuilt whenever the
// cache is missing or the sources change (nothing depends on the cache being there).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, packagePath } from '../paths.js';
import { run } from '../../host/procs.js';
import { KlabError, ExitCode, fill } from '../../i18n/index.js';

export interface ValidateResult { file: string; ok: boolean; errors: string[]; nodes: number }

/** The Go module directory (in the package's source tree, also when running from dist/). */
export const validatorSourceDir = () => packagePath('cluster', 'kind', 'validate');

export function validatorHash(dir = validatorSourceDir()): string {
  const h = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) h.update(f).update('\0').update(readFileSync(path.join(dir, f)));
  return h.digest('hex').slice(0, 16);
}

export const cacheBinDir = () => path.join(cacheDir(), 'bin');

export async function goAvailable(): Promise<boolean> {
  const r = await run('go', ['version'], { timeoutMs: 20_000 });
  return r.code === 0;
}

/** Path of a built validator; builds it (nice'd, one package at a time) when missing. Returns build seconds (0 if cached). */
export async function ensureValidator(): Promise<{ bin: string; built: boolean; seconds: number }> {
  const dir = validatorSourceDir();
  const bin = path.join(cacheBinDir(), `kind-validate-${validatorHash(dir)}`);
  if (existsSync(bin)) return { bin, built: false, seconds: 0 };
  mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  const t0 = performance.now();
  // CPU is shared: -p 1 and nice keep the build from starving other work.
  const r = await run('nice', ['-n', '10', 'go', 'build', '-p', '1', '-trimpath', '-o', tmp, '.'], { cwd: dir, env: { ...process.env, GOFLAGS: '-mod=readonly' }, timeoutMs: 20 * 60_000 });
  if (r.code !== 0) {
    rmSync(tmp, { force: true });
    throw new KlabError(fill({ ko: 'cluster/kind/validate 빌드에 실패했습니다 (종료 코드 {code}). go 가 설치되어 있는지 확인하세요 (klab doctor).', en: 'Building cluster/kind/validate failed (exit code {code}). Check that Go is installed (klab doctor).' }, { code: r.code }), ExitCode.unreachable, r.stderr.slice(-4000));
  }
  renameSync(tmp, bin);
  return { bin, built: true, seconds: (performance.now() - t0) / 1000 };
}

/** Run kind's loader+validation on the given config files. */
export async function validateKindConfigs(bin: string, files: string[]): Promise<ValidateResult[]> {
  const r = await run(bin, files, { timeoutMs: 60_000 });
  if (r.code !== 0 && r.code !== 1) throw new KlabError(fill({ ko: 'kind 설정 검사기가 비정상으로 끝났습니다 (종료 코드 {code}).', en: 'The kind config validator exited with code {code}.' }, { code: r.code }), ExitCode.unreachable, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ValidateResult);
}
