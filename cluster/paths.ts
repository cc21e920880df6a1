// Where klab keeps state (progress, clusters) and caches (built binaries), following the XDG base directories.
import { join, dirname } from 'node:path';
import { homedir } from 'node:os';
import { mkdirSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { KlabError, ExitCode, fill } from '../i18n/index.js';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'klab');
}
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'klab');
}
export function defaultKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  return (env.KUBECONFIG || join(homedir(), '.kube', 'config')).split(process.platform === 'win32' ? ';' : ':')[0];
}

/** The state folder can be unusable through no fault of klab (a file in its place, no permission): exit 2, saying how
 * to fix it, instead of a crash. */
export function stateError(path: string, e: unknown): KlabError {
  const code = (e as NodeJS.ErrnoException)?.code ?? String(e);
  return new KlabError(fill({
    ko: '상태 폴더에 쓸 수 없습니다: {path} ({code}). 권한을 고치거나 (폴더가 아닌 파일이 있다면 치우고) XDG_STATE_HOME 으로 다른 폴더를 지정하세요.',
    en: 'Cannot write the state folder: {path} ({code}). Fix its permissions (or move away a file standing where a folder should be), or point XDG_STATE_HOME elsewhere.',
  }, { path, code }), ExitCode.usage);
}

/** mkdir -p, or exit 2 when the state folder cannot be made. */
export function ensureDir(dir: string): void {
  try { mkdirSync(dir, { recursive: true }); } catch (e) { throw stateError(dir, e); }
}

/** Write a state file atomically (temp file + rename); an unwritable state folder is exit 2, not a crash. */
export function writeState(file: string, text: string, mode?: number): void {
  ensureDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
    renameSync(tmp, file);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* never written */ }
    throw stateError(file, e);
  }
}
