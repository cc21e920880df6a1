#!/usr/bin/env node
// klab's entry: check the Node.js version, turn on the compile cache and the bundled Kubernetes client, then run the
// CLI (scripts/main.ts, kept apart so tests can run many invocations in one process). Static imports here stay light
// (no Kubernetes client, nothing that needs Node 22+), so that on an older Node.js the version message is what the
// trainee sees, never a stack trace.
import module from 'node:module';
import { ExitCode, tr } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import { nodeTooOld, nodeFix, nodeMinimum } from '../i18n/node-version.js';
import { langOf } from './args.js';
import { useClientBundle } from './client-bundle.js';

// Node's on-disk compile cache (22.1+) roughly halves the cost of loading the Kubernetes client on later runs,
// and the client is loaded from one bundled file (scripts/client-bundle.ts).
module.enableCompileCache?.();

/** Exit 2 with what to install when this Node.js is too old. KLAB_TEST_NODE_VERSION fakes the version (tests only). */
function nodeTooOldExit(argv: string[]): number | undefined {
  const version = process.env.KLAB_TEST_NODE_VERSION || process.versions.node;
  if (!nodeTooOld(version)) return undefined;
  const text = msg('node.tooOld', { version, min: `${nodeMinimum.major}.${nodeMinimum.minor}`, linux: nodeFix.linux, macos: nodeFix.macos, windows: nodeFix.windows });
  process.stderr.write(`klab: ${tr(text, langOf(argv))}\n`);
  return ExitCode.usage;
}

const argv = process.argv.slice(2);
const tooOld = nodeTooOldExit(argv);
if (tooOld !== undefined) process.exitCode = tooOld;
else {
  useClientBundle();
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}
