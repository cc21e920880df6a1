// Small pieces every command uses: the lab argument, the target cluster, the seed, printing.
import { userInfo } from 'node:os';
import { styleText } from 'node:util';
import { KlabError, ExitCode, tr, type Lang, type Text } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import type { ClusterInfo, ProviderName } from '../cluster/provider.js';
import type { Lab } from '../labs/_engine/load.js';
import { openSession, type LabSession } from '../labs/_engine/session.js';
import type { Check, RunResult } from '../checkers/types.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { writeFileSync, statSync, accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function say(args: Pick<ParsedArgs, 'lang'>, text: Text | string, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(tr(text, args.lang) + '\n');
}

type Style = Parameters<typeof styleText>[0];
export function paint(args: Pick<ParsedArgs, 'color'>, style: Style, s: string): string {
  return args.color ? styleText(style, s, { validateStream: false }) : s;
}

export function labArg(args: ParsedArgs, cmd: string): string {
  const id = args.positionals[0];
  if (!id) throw new KlabError(msg('args.needLab', { cmd }), ExitCode.usage);
  return id;
}

export function targetFlags(args: ParsedArgs) {
  return {
    provider: args.flags.provider as ProviderName | undefined,
    kubeconfig: args.kubeconfig,
    context: args.context,
    yes: Boolean(args.flags.yes),
    force: Boolean(args.flags.force),
    verbose: args.verbose,
    lang: args.lang,
  };
}

export function defaultSeed(): string {
  return process.env.KLAB_TRAINEE || userInfo().username || 'trainee';
}

/** A command's lab session: the service in labs/_engine/session.ts. */
export type Session = LabSession;

/** Load the lab (exit 2 if broken), find the cluster (without connecting), the seed and the progress. */
export async function session(args: ParsedArgs, cmd: string): Promise<Session> {
  const s = await openSession(labArg(args, cmd), targetFlags(args), args.flags.seed as string | undefined, defaultSeed);
  for (const w of s.warnings) say(args, w, process.stderr);
  return s;
}

export function stepArg(args: ParsedArgs, lab: Lab): number | undefined {
  if (args.flags.step === undefined) return undefined;
  const n = Number(args.flags.step);
  if (n > lab.def.steps.length) throw new KlabError(msg('args.stepRange', { lab: lab.def.id, max: lab.def.steps.length, step: n }), ExitCode.usage);
  return n;
}

export function json(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export type { Lang };

// ---- printing a check run, shared by check, assert and the guided flow ----

/** On a terminal, one line that names what a check is waiting for ("waiting for the rollout of web: 1/2 …"). */
export function waitingLine(args: ParsedArgs): { waiting: (c: Check, what: Text) => void; clear: () => void } {
  const tty = !args.json && process.stderr.isTTY === true;
  let shown = false;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let i = 0;
  return {
    waiting(c, what) {
      if (!tty) return;
      const line = tr(msg('check.waiting', { id: c.id, what: tr(what, args.lang) }), args.lang);
      process.stderr.write(`\r\x1b[K${frames[i++ % frames.length]} ${line.slice(0, (process.stderr.columns ?? 100) - 3)}`);
      shown = true;
    },
    clear() { if (shown) { process.stderr.write('\r\x1b[K'); shown = false; } },
  };
}

export async function printResult(result: RunResult, args: ParsedArgs): Promise<void> {
  if (args.json) {
    const { toJson } = await import('../checkers/report/json.js');
    json(toJson(result, args.lang));
  } else {
    const { renderTerminal } = await import('../checkers/report/terminal.js');
    process.stdout.write(renderTerminal(result, { lang: args.lang, color: args.color, verbose: args.verbose }));
    if (result.checks.some((c) => c.status === 'error')) say(args, msg('check.errorsNotYours'));
  }
  if (typeof args.flags.junit === 'string') {
    const { toJUnit } = await import('../checkers/report/junit.js');
    try { writeFileSync(args.flags.junit, toJUnit(result, args.lang)); } catch (e) { throw junitError(args.flags.junit, e); }
  }
}

function junitError(path: string, e: unknown): KlabError {
  return new KlabError(msg('check.junitPath', { path, detail: (e as NodeJS.ErrnoException).code ?? String(e) }), ExitCode.usage);
}

/** `--junit FILE` must be writable: checked before any check runs, so a bad path never hides the real exit code. */
export function checkJunitPath(args: ParsedArgs): void {
  const file = args.flags.junit;
  if (typeof file !== 'string') return;
  let st;
  try { st = statSync(file); } catch { st = undefined; }
  if (st?.isDirectory()) throw junitError(file, Object.assign(new Error(), { code: 'EISDIR' }));
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(st ? file : dir, constants.W_OK);
  } catch (e) { throw junitError(file, e); }
}

/** Connect (one probe); an unreachable cluster is returned, not thrown, so the caller can report every check `error`. */
export async function connectOrReason(info: ClusterInfo, args: ParsedArgs): Promise<{ kc?: KubeConfig; unreachable?: KlabError }> {
  const { connect } = await import('../cluster/target.js');
  try { return { kc: await connect(info) }; } catch (e) {
    if (!(e instanceof KlabError) || e.exitCode !== ExitCode.unreachable) throw e;
    if (!args.json) process.stderr.write(`klab: ${tr(e.text, args.lang)}\n`);
    return { unreachable: e };
  }
}

/** After the report: close every connection so nothing keeps the process alive. */
export async function closeCluster(kc: KubeConfig | undefined): Promise<void> {
  if (kc) (await import('../checkers/k8s.js')).closeClients(kc);
}

