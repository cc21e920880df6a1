// Global flag parsing for every command. Pure: no I/O, so it is unit-tested directly.
import { parseArgs } from 'node:util';
import { detectLang, KlabError, ExitCode, type Lang } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';

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

const options = {
  lang: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'no-color': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  // command flags
  provider: { type: 'string' },
  seed: { type: 'string' },
  'no-guide': { type: 'boolean' },
  reset: { type: 'boolean' },
  step: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  force: { type: 'boolean' },
  file: { type: 'string', short: 'f' },
  namespace: { type: 'string', short: 'n' },
  junit: { type: 'string' },
  all: { type: 'boolean' },
  // klab grade
  lab: { type: 'string' },
  roster: { type: 'string' },
  concurrency: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  key: { type: 'string' },
  submission: { type: 'string' },
  // klab traffic
  for: { type: 'string' },
} as const;

export const commandNames = ['list', 'start', 'check', 'hint', 'solve', 'reset', 'status', 'answer', 'env', 'doctor', 'cluster', 'assert', 'grade', 'traffic', 'help'] as const;

function rawLangArg(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  return i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
}

/** The language asked for, without validating anything else (for messages printed before parsing). */
export function langOf(argv: string[], env: NodeJS.ProcessEnv = process.env): Lang {
  const raw = rawLangArg(argv);
  return raw === 'ko' || raw === 'en' ? raw : detectLang(env);
}

/** How many positional arguments each command takes; more is a usage error (`answer` joins the rest: the answer). */
const maxPositionals: Record<string, number> = { list: 0, start: 1, check: 1, hint: 1, solve: 1, reset: 1, status: 0, doctor: 0, cluster: 1, assert: 0, traffic: 2 };

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
  if (v.provider !== undefined && !['kind', 'local', 'existing'].includes(String(v.provider))) {
    throw new KlabError(msg('args.badProvider', { value: String(v.provider) }), ExitCode.usage);
  }
  if (v.step !== undefined && !/^[1-9]\d*$/.test(String(v.step))) {
    throw new KlabError(msg('args.badStep', { value: String(v.step) }), ExitCode.usage);
  }
  // An empty value is never what the user meant (`--seed ''` would give every trainee the same values,
  // `--context ''` would silently mean "the current context"): say so instead of guessing.
  for (const name of ['seed', 'context', 'kubeconfig', 'namespace', 'junit', 'file', 'provider', 'step'] as const) {
    if (v[name] === '') throw new KlabError(msg('args.emptyValue', { flag: `--${name}` }), ExitCode.usage);
  }
  const max = maxPositionals[command ?? ''];
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
