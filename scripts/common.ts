// Small pieces every command uses: the lab argument, the target cluster, the seed, printing.
import { userInfo } from 'node:os';
import { styleText } from 'node:util';
import { KlabError, ExitCode, tr, type Lang, type Text } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import type { ClusterInfo, ProviderName } from '../cluster/provider.js';
import { loadLab, labParams, type Lab } from '../labs/_engine/load.js';
import { ProgressStore, type LabProgress } from '../labs/_engine/progress.js';

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

export interface Session {
  lab: Lab;
  info: ClusterInfo;
  seed: string;
  params: Record<string, string>;
  store: ProgressStore;
  progress?: LabProgress;
}

/** Load the lab (exit 2 if broken), find the cluster (without connecting), the seed and the progress. */
export async function session(args: ParsedArgs, cmd: string): Promise<Session> {
  const lab = await loadLab(labArg(args, cmd));
  const { resolveTarget } = await import('../cluster/target.js');
  const info = await resolveTarget(targetFlags(args));
  const store = new ProgressStore();
  const progress = store.get(info.context, lab.def.id);
  for (const w of store.warnings) say(args, w, process.stderr);
  const seed = (args.flags.seed as string | undefined) ?? progress?.seed ?? defaultSeed();
  return { lab, info, seed, params: labParams(lab, seed, info), store, progress };
}

/**
 * Read the lab's progress again from the store: another klab (`klab answer` in a second terminal, a `klab check`)
 * may have changed it since this session loaded it. Called before every check.
 */
export function reloadProgress(s: Session): LabProgress | undefined {
  s.progress = s.store.get(s.info.context, s.lab.def.id) ?? s.progress;
  return s.progress;
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

/** The runtime handed to a lab's setup/solution/reset. `resuming`: setup must keep the trainee's work. */
export async function runtimeFor(s: Session, args: ParsedArgs, kc: import('@kubernetes/client-node').KubeConfig, resuming = false) {
  const { createRuntime } = await import('../labs/_engine/runtime.js');
  const sharedArgo = async (run: boolean) => {
    if (s.info.provider === 'existing') return false; // the trainee's own cluster: klab installed no Argo there
    const { getProvider } = await import('../cluster/index.js');
    return (await getProvider(s.info.provider, { lang: args.lang })).sharedArgo?.(run) ?? false;
  };
  return createRuntime({ lab: s.lab, params: s.params, lang: args.lang, kc, kubeconfig: s.info.kubeconfig, context: s.info.context, capabilities: s.info.capabilities, binPath: s.info.binDir, resuming, sharedArgo, dockerHost: s.info.dockerHost });
}

/** Run one of the lab's code modules (setup/solution/reset); its failure is a KlabError naming the stage. */
export async function runLabModule(s: Session, args: ParsedArgs, kc: import('@kubernetes/client-node').KubeConfig, name: 'setup' | 'solution' | 'reset', opts: { resuming?: boolean } = {}): Promise<boolean> {
  const { labModule } = await import('../labs/_engine/load.js');
  const mod = await labModule<{ default: (rt: Awaited<ReturnType<typeof runtimeFor>>) => Promise<void> }>(s.lab, name);
  if (!mod) return false;
  try {
    await mod.default(await runtimeFor(s, args, kc, opts.resuming));
  } catch (e) {
    if (e instanceof KlabError) throw e;
    const key = name === 'setup' ? 'setup.failed' : name === 'solution' ? 'solve.failed' : 'reset.failed';
    // A command the cluster refused (or a wait it did not finish) is the cluster's failure, exit 3; anything else
    // thrown by lab code is a bug, exit 4. The API's own errors (client-node) count as the cluster's too.
    const { LabCommandError } = await import('../labs/_engine/runtime.js');
    const clusters = e instanceof LabCommandError || typeof (e as { code?: unknown })?.code === 'number';
    throw new KlabError(msg(key, { detail: (e as Error).message }), clusters ? ExitCode.unreachable : ExitCode.internal, (e as Error).stack);
  }
  return true;
}

/** Remove everything the lab created (its reset.ts, then its labelled namespaces) and forget its progress. */
export async function resetLab(s: Session, args: ParsedArgs, kc: import('@kubernetes/client-node').KubeConfig): Promise<void> {
  await runLabModule(s, args, kc, 'reset');
  const { deleteLabNamespaces } = await import('../labs/_engine/runtime.js');
  await deleteLabNamespaces(kc, s.lab.def.id);
  s.store.remove(s.info.context, s.lab.def.id);
  s.progress = undefined;
}
