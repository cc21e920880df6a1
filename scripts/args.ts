// Global flag parsing for every command. Pure: no I/O, so it is unit-tested directly.
import { parseArgs } from 'node:util';
import { detectLang, KlabError, ExitCode, type Lang } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import { commandByName, commandNames, flagTable } from './commands.js';
import { providerNames } from '../cluster/provider.js';

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  lang: Lang;
  json: boolean;
  color: boolean;
  verbose: boolean;
  kubeconfig?: string;
  context?: string;
  help: boolean;
  version: boolean;
  /** Command-specific flags, by long name. */
  flags: Record<string, string | boolean | undefined>;
}

const options = flagTable;

export { commandNames };

function rawLangArg(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  return i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
}

/** The language asked for, without validating anything else (for messages printed before parsing). */
export function langOf(argv: string[], env: NodeJS.ProcessEnv = process.env): Lang {
  const raw = rawLangArg(argv);
  return raw === 'ko' || raw === 'en' ? raw : detectLang(env);
}


export function parse(argv: string[], env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout.isTTY)): ParsedArgs {
  // Language first, so that even a parse error is reported in the right language.
  const rawLang = rawLangArg(argv);
  if (rawLang !== undefined && rawLang !== 'ko' && rawLang !== 'en') {
    throw new KlabError(msg('args.badLang', { value: rawLang }), ExitCode.usage);
  }
  const lang: Lang = (rawLang as Lang | undefined) ?? detectLang(env);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const m = /'(-{1,2}[^']+)'/.exec((e as Error).message);
    throw new KlabError(msg('args.unknownFlag', { flag: m ? m[1] : (e as Error).message }), ExitCode.usage);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const [command, ...positionals] = parsed.positionals;
  if (v.provider !== undefined && !(providerNames as readonly string[]).includes(String(v.provider))) {
    throw new KlabError(msg('args.badProvider', { value: String(v.provider), list: providerNames.join(', ') }), ExitCode.usage);
  }
  if (v.step !== undefined && !/^[1-9]\d*$/.test(String(v.step))) {
    throw new KlabError(msg('args.badStep', { value: String(v.step) }), ExitCode.usage);
  }
  // An empty value is never what the user meant (`--seed ''` would give every trainee the same values,
  // `--context ''` would silently mean "the current context"): say so instead of guessing.
  for (const name of ['seed', 'context', 'kubeconfig', 'namespace', 'junit', 'file', 'provider', 'step'] as const) {
    if (v[name] === '') throw new KlabError(msg('args.emptyValue', { flag: `--${name}` }), ExitCode.usage);
  }
  const max = commandByName(command)?.maxPositionals;
  if (max !== undefined && positionals.length > max) {
    throw new KlabError(msg('args.extraArgs', { cmd: command!, extra: positionals.slice(max).map((a) => JSON.stringify(a)).join(' ') }), ExitCode.usage);
  }
  // Colour on a terminal (or with FORCE_COLOR), never with --no-color or NO_COLOR (https://no-color.org).
  const noColor = Boolean(v['no-color']) || (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || (!isTTY && !env.FORCE_COLOR);
  return {
    command,
    positionals,
    lang,
    json: Boolean(v.json),
    color: !noColor,
    verbose: Boolean(v.verbose),
    kubeconfig: v.kubeconfig as string | undefined,
    context: v.context as string | undefined,
    help: Boolean(v.help),
    version: Boolean(v.version),
    flags: v,
  };
}
