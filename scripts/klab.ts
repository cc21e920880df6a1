#!/usr/bin/env node
// klab's entry: check the Node.js version, parse global flags, load only the command asked for, turn errors into a
// message and an exit code. Static imports here stay light (no Kubernetes client, nothing that needs Node 22+), so
// that on an older Node.js the version message is what the trainee sees, never a stack trace.
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { KlabError, ExitCode, detectLang, tr, type Lang } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import { nodeTooOld, nodeFix, nodeMinimum } from '../i18n/node-version.js';
import { parse, langOf, commandNames, type ParsedArgs } from './args.js';
import { useClientBundle } from './client-bundle.js';

// Node's on-disk compile cache (22.1+) roughly halves the cost of loading the Kubernetes client on later runs,
// and the client is loaded from one bundled file (scripts/client-bundle.ts).
module.enableCompileCache?.();
useClientBundle();

type Command = { run(args: ParsedArgs): Promise<number> };

const loaders: Record<string, () => Promise<Command>> = {
  list: () => import('./list.js'),
  start: () => import('./start.js'),
  check: () => import('./check.js'),
  hint: () => import('./hint.js'),
  answer: () => import('./answer.js'),
  solve: () => import('./solve.js'),
  reset: () => import('./reset.js'),
  status: () => import('./status.js'),
  doctor: () => import('./doctor.js'),
  cluster: () => import('./cluster.js'),
  env: () => import('./env.js'),
  assert: () => import('./assert.js'),
  grade: () => import('./grade.js'),
};

async function main(argv: string[]): Promise<number> {
  let lang: Lang = detectLang();
  let verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const args = parse(argv);
    lang = args.lang;
    verbose = args.verbose;
    if (args.version) {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`klab ${pkg.version}\n`);
      return ExitCode.ok;
    }
    if (!args.command || args.command === 'help' || args.help) {
      process.stdout.write((await import('./help.js')).helpText(lang));
      return args.command && args.command !== 'help' && !args.help ? ExitCode.usage : ExitCode.ok;
    }
    const load = loaders[args.command];
    if (!load || !(commandNames as readonly string[]).includes(args.command)) throw new KlabError(msg('args.unknownCommand', { cmd: args.command }), ExitCode.usage);
    return await (await load()).run(args);
  } catch (e) {
    if (e instanceof KlabError) {
      process.stderr.write(`klab: ${tr(e.text, lang)}\n`);
      if (verbose && e.detail) process.stderr.write(`${e.detail}\n`);
      return e.exitCode;
    }
    if ((e as Error)?.name === 'ExitPromptError') return ExitCode.ok; // Ctrl+C inside a prompt
    process.stderr.write(`klab: ${tr(msg('internal', { detail: (e as Error)?.message ?? String(e) }), lang)}\n`);
    if (verbose) process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    return ExitCode.internal;
  }
}

/** Exit 2 with what to install when this Node.js is too old. KLAB_TEST_NODE_VERSION fakes the version (tests only). */
function nodeTooOldExit(argv: string[]): number | undefined {
  const version = process.env.KLAB_TEST_NODE_VERSION || process.versions.node;
  if (!nodeTooOld(version)) return undefined;
  const text = msg('node.tooOld', { version, min: `${nodeMinimum.major}.${nodeMinimum.minor}`, linux: nodeFix.linux, macos: nodeFix.macos, windows: nodeFix.windows });
  process.stderr.write(`klab: ${tr(text, langOf(argv))}\n`);
  return ExitCode.usage;
}

const argv = process.argv.slice(2);
process.exitCode = nodeTooOldExit(argv) ?? await main(argv);
