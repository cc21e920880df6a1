// The Node.js version klab needs, checked first thing by the entry (scripts/klab.ts) and by `klab doctor`.
// Pure and import-free: it must load on any Node.js, before anything that needs Node 22+ (the Kubernetes client).

/** package.json engines (test/unit/node-version.test.ts keeps them equal). */
export const nodeMinimum = { major: 22, minor: 19 } as const;

/** How to install Node 24 (LTS), per OS; "windows" means inside WSL 2. */
export const nodeFix = {
  linux: 'curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.40.3/install.sh | bash && nvm install 24',
  macos: 'brew install node@24   # or: nvm install 24',
  windows: '(WSL) curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.40.3/install.sh | bash && nvm install 24',
} as const;

/** True when `version` (e.g. "20.11.1" or "v20.11.1") is older than nodeMinimum; an unreadable version is too old. */
export function nodeTooOld(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)\./.exec(version);
  if (!m) return true;
  const major = Number(m[1]), minor = Number(m[2]);
  return major < nodeMinimum.major || (major === nodeMinimum.major && minor < nodeMinimum.minor);
}
