// The CLI itself: parse global flags, load only the command asked for, turn errors into a message and an exit code.
// Kept apart from the entry (klab.ts) so tests can run many invocations in one process (test/unit/corpus.test.ts).
import { readFileSync } from 'node:fs';
import { KlabError, ExitCode, detectLang, tr, type Lang, type Text, type ExitCodeValue } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import { parse, commandNames } from './args.js';
import type { ParsedArgs } from './args.js';

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
  traffic: () => import('./traffic.js'),
};

/** The `error.code` of the JSON error object, by exit code (docs/checks.*.md). */
const errorCodes: Record<number, string> = { [ExitCode.usage]: 'usage', [ExitCode.unreachable]: 'unreachable', [ExitCode.internal]: 'internal' };

/** Tell the user (stderr), and with --json also stdout: {error: {code, message}, exitCode}. */
function fail(text: Text, exitCode: ExitCodeValue, lang: Lang, json: boolean): number {
  process.stderr.write(`klab: ${tr(text, lang)}\n`);
  if (json) process.stdout.write(JSON.stringify({ error: { code: errorCodes[exitCode] ?? 'error', message: tr(text, lang) }, exitCode }, null, 2) + '\n');
  return exitCode;
}

export async function main(argv: string[]): Promise<number> {
  let lang: Lang = detectLang();
  let verbose = argv.includes('--verbose') || argv.includes('-v');
  let json = argv.includes('--json');
  try {
    const args = parse(argv);
    lang = args.lang;
    verbose = args.verbose;
    json = args.json;
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
      const code = fail(e.text, e.exitCode, lang, json);
      if (verbose && e.detail) process.stderr.write(`${e.detail}\n`);
      return code;
    }
    if ((e as Error)?.name === 'ExitPromptError') return ExitCode.ok; // Ctrl+C inside a prompt
    const code = fail(msg('internal', { detail: (e as Error)?.message ?? String(e) }), ExitCode.internal, lang, json);
    if (verbose) process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    return code;
  }
}

