// klab start <lab>: ensure a cluster, run the lab's setup, then guide step by step (TTY, unless --no-guide).
// A lab in progress (progress recorded, or its namespace exists) is resumed: setup only re-creates what is missing
// and never touches the trainee's work.
// --reset starts over (removes what the lab and the trainee made; asks first on a terminal unless --yes).

import { msg } from '../i18n/messages.js';
import { tr, type Text } from '../i18n/index.js';
import type { ParsedArgs } from './args.js';
import { session, say, targetFlags, labArg } from './common.js';
import { runLabModule, resetLab, sharedArgo, ownProvider } from '../labs/_engine/session.js';
import type { ProviderName } from '../cluster/provider.js';

export async function run(args: ParsedArgs): Promise<number> {
  labArg(args, 'start');
  const { getProvider, defaultProviderName } = await import('../cluster/index.js');
  const { rememberCluster, connect, providerOptions, missingCapabilities } = await import('../cluster/target.js');
  const flags = targetFlags(args);
  // Make sure the lab file is sound before anything touches a cluster.
  let s = await session(args, 'start');
  let name: ProviderName | undefined = flags.provider ?? (flags.context || flags.kubeconfig ? 'existing' : undefined);
  if (!name) name = s.progress || s.info.context ? s.info.provider : await defaultProviderName();
  const provider = await getProvider(name, providerOptions(flags));
  const { consoleProgress } = await import('./progress-ui.js');
  const upOpts = { progress: consoleProgress(args), yes: flags.yes, force: flags.force, addons: s.lab.def.addons };
  let info = await provider.up(upOpts);
  // A context named with --kubeconfig/--context may be klab's own kind or local cluster: its provider installs the
  // lab's add-ons there (e.g. Argo Rollouts), then the capabilities are read again.
  if (name === 'existing' && s.lab.def.addons?.length) {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kcx = new KubeConfig();
    kcx.loadFromFile(info.kubeconfig);
    kcx.setCurrentContext(info.context);
    const own = await ownProvider('existing', kcx.getCurrentCluster()?.server, args.lang);
    if (own) { await own.up({ ...upOpts, yes: true }); info = await provider.up(upOpts); }
  }
  rememberCluster(info);
  s = await session({ ...args, flags: { ...args.flags, provider: name } }, 'start');
  s.info = { ...s.info, ...info };
  say(args, msg('cluster.using', { provider: info.provider, context: info.context }));
  const { shellEnv } = await import('../cluster/shell-env.js');
  const sh = shellEnv(s.info);
  if (!sh.current) say(args, msg('cluster.shellEnv', { lines: sh.exports.map((l) => `  ${l}`).join('\n') }));
  const kc = await connect(s.info);
  const missing = missingCapabilities(info.capabilities, s.lab.def.needs);
  if (missing.length) say(args, msg('cluster.missingCaps', { caps: missing.join(', ') }));

  const explicitSeed = args.flags.seed as string | undefined;
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // On a terminal, what drops work or progress is asked first (--yes answers yes); elsewhere the flag is the answer.
  const agreed = async (question: Text) => {
    if (!tty || flags.yes) return true;
    const { confirm } = await import('@inquirer/prompts');
    if (await confirm({ message: tr(question, args.lang), default: false })) return true;
    say(args, msg('start.resetDeclined', { lab: s.lab.def.id }));
    return false;
  };
  if (args.flags.reset) {
    if (!(await agreed(msg('start.confirmReset', { lab: s.lab.def.id, namespace: s.params.namespace })))) return 0;
    say(args, msg('start.resetting', { lab: s.lab.def.id }));
    await resetLab(s, args.lang, kc);
  } else if (s.progress && explicitSeed && explicitSeed !== s.progress.seed) {
    // A new seed is a new attempt (other names, another namespace); the old attempt's objects stay until reset.
    if (!(await agreed(msg('start.confirmNewSeed', { lab: s.lab.def.id, old: s.progress.seed, seed: explicitSeed })))) return 0;
    s.store.remove(info.context, s.lab.def.id);
    s.progress = undefined;
  } else if (s.progress) {
    say(args, msg('start.seedKept', { seed: s.progress.seed }));
    say(args, msg('start.resuming', { lab: s.lab.def.id, step: Math.min(s.progress.currentStep, s.lab.def.steps.length), total: s.lab.def.steps.length }));
  }
  // No progress (lost, another context name) but the namespace is there: what is in it may be the trainee's work.
  const { namespaceExists } = await import('../labs/_engine/runtime.js');
  const nsLeft = !s.progress && !args.flags.reset && await namespaceExists(kc, s.params.namespace);
  if (nsLeft) say(args, msg('start.namespaceKept', { lab: s.lab.def.id, namespace: s.params.namespace }));
  const resuming = Boolean(s.progress) || nsLeft;
  say(args, msg('start.setup', { lab: s.lab.def.id, seed: s.seed }));
  // A lab that runs workflows on klab's Argo gets it back if a lab with its own Argo (i-m2) paused it (decision 0015).
  if (s.lab.def.needs?.includes('argo') && await sharedArgo(s, args.lang, kc, true)) say(args, msg('start.argoResumed'));
  await runLabModule(s, args.lang, kc, 'setup', { resuming });
  s.progress = s.store.update(info.context, s.lab.def.id, s.seed, () => {});
  say(args, msg('start.ready', { namespace: s.params.namespace }));

  const guided = !args.flags['no-guide'] && tty;
  if (!guided) { say(args, msg('start.noGuide', { lab: s.lab.def.id })); return 0; }
  const { guide } = await import('./guide.js');
  return guide(s, args, kc);
}

