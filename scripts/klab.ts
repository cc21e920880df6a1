#!/usr/bin/env node
// klab's entry: everything happens in main.ts; this file only turns on the compile cache and sets the exit code.
import module from 'node:module';

// Node's on-disk compile cache (22.1+) roughly halves the cost of loading the Kubernetes client on later runs.
module.enableCompileCache?.();

// The Kubernetes client needs Node 22.19+ (package.json "engines"); on an older Node it dies with a stack trace at
// load. Say so instead, in both languages (no catalogue import here: this must run on any Node).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  const ko = (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '').toLowerCase().startsWith('ko');
  process.stderr.write(ko
    ? `klab: Node.js ${process.versions.node} 에서는 실행할 수 없습니다. Node.js 22.19 이상 (22 또는 24 LTS, https://nodejs.org) 을 설치하세요.\n`
    : `klab: Node.js ${process.versions.node} is too old. Install Node.js 22.19 or later (22 or 24 LTS, https://nodejs.org).\n`);
  process.exitCode = 2;
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2));
}
