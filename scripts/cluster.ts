// klab cluster up|down|status|build [--provider …]: wired to the providers in cluster/.
import { KlabError, ExitCode, tr } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { json, say, targetFlags } from './common.js';
import type { ProviderName } from '../cluster/provider.js';

export async function run(args: ParsedArgs): Promise<number> {
  const sub = args.positionals[0];
  if (!sub || !['up', 'down', 'status', 'build'].includes(sub)) throw new KlabError(msg('args.needSubcommand'), ExitCode.usage);
  const flags = targetFlags(args);
  const { getProvider, defaultProviderName } = await import('../cluster/index.js');
  const { providerOptions, rememberCluster, resolveTarget } = await import('../cluster/target.js');
  const { consoleProgress } = await import('./progress-ui.js');
  const progress = consoleProgress(args);
  let name: ProviderName | undefined = flags.provider ?? (flags.context || flags.kubeconfig ? 'existing' : undefined);
  if (!name && sub !== 'up') name = (await resolveTarget(flags)).provider;
  name ??= await defaultProviderName();

  if (sub === 'build') {
    if (name !== 'local') throw new KlabError(msg('cluster.buildOnlyLocal'), ExitCode.usage);
    const local = (await import('../cluster/local.js')) as unknown as { buildLocal(p: typeof progress): Promise<void> };
    await local.buildLocal(progress);
    progress.total();
    return 0;
  }
  const provider = await getProvider(name, providerOptions(flags));
  if (sub === 'up') {
    const info = await provider.up({ progress, yes: flags.yes, force: flags.force });
    progress.total();
    rememberCluster(info);
    if (args.json) json(info);
    else {
      say(args, msg('cluster.upDone', { context: info.context, kubeconfig: info.kubeconfig }));
      const { shellEnv } = await import('../cluster/shell-env.js');
      say(args, msg('cluster.shellEnv', { lines: shellEnv(info).exports.map((l) => `  ${l}`).join('\n') }));
    }
    return 0;
  }
  if (sub === 'down') {
    await provider.down({ progress, force: flags.force });
    if (name !== 'existing') say(args, msg('cluster.down', { provider: name })); // existing says itself that it deletes nothing
    return 0;
  }
  const st = await provider.status();
  if (args.json) { json({ ...st, details: st.details.map((d) => tr(d, args.lang)), capabilities: provider.capabilities() }); return st.running ? 0 : ExitCode.unreachable; }
  say(args, st.running ? msg('cluster.statusRunning', { provider: name, context: st.context }) : msg('cluster.statusStopped', { provider: name }));
  for (const d of st.details) say(args, `  ${tr(d, args.lang)}`);
  return st.running ? 0 : ExitCode.unreachable;
}
