// Which cluster a command talks to, and whether it answers.
// Order: --provider, then --context/--kubeconfig (existing), then the cluster of the last `klab start`/`cluster up`
// (state/current.json), then the kubeconfig's current context (existing).
import { existsSync, readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { KlabError, ExitCode, type Lang, type Text } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import { getProvider } from './index.js';
import { stateDir, defaultKubeconfig } from './paths.js';
import type { Capabilities, ClusterInfo, ProviderName, ProviderOptions } from './provider.js';

export interface TargetFlags { provider?: ProviderName; kubeconfig?: string; context?: string; yes?: boolean; force?: boolean; verbose?: boolean; lang?: Lang }

const currentFile = () => join(stateDir(), 'current.json');

export function rememberCluster(info: ClusterInfo): void {
  mkdirSync(stateDir(), { recursive: true });
  const tmp = `${currentFile()}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ provider: info.provider, kubeconfig: info.kubeconfig, context: info.context }) + '\n');
  renameSync(tmp, currentFile());
}

function remembered(): { provider: ProviderName; kubeconfig: string; context: string } | undefined {
  try { return JSON.parse(readFileSync(currentFile(), 'utf8')); } catch { return undefined; }
}

export function providerOptions(f: TargetFlags): ProviderOptions {
  return { kubeconfig: f.kubeconfig, context: f.context, yes: f.yes, force: f.force, verbose: f.verbose, lang: f.lang };
}

/** Resolve the target cluster without starting anything. */
export async function resolveTarget(f: TargetFlags): Promise<ClusterInfo> {
  let name: ProviderName | undefined = f.provider;
  const opts = providerOptions(f);
  if (!name && !f.context && !f.kubeconfig) {
    const r = remembered();
    if (r) {
      if (r.provider === 'existing') { opts.kubeconfig = r.kubeconfig; opts.context = r.context; }
      name = r.provider;
    }
  }
  name ??= 'existing';
  const provider = await getProvider(name, opts);
  const st = await provider.status();
  const kubeconfig = st.kubeconfig ?? f.kubeconfig ?? defaultKubeconfig();
  const context = st.context ?? f.context ?? '';
  return { provider: name, kubeconfig, context, capabilities: provider.capabilities(), binDir: st.binDir };
}

/** Load the kubeconfig for `info` and make sure the API server answers; KlabError exit 3 when it does not. */
export async function connect(info: ClusterInfo, timeoutMs = 5000): Promise<KubeConfig> {
  const k8s = await import('@kubernetes/client-node');
  if (!existsSync(info.kubeconfig)) throw new KlabError(msg('cluster.noKubeconfig', { path: info.kubeconfig }), ExitCode.unreachable);
  const kc = new k8s.KubeConfig();
  try { kc.loadFromFile(info.kubeconfig); } catch (e) {
    throw new KlabError(msg('cluster.noKubeconfig', { path: `${info.kubeconfig}: ${(e as Error).message}` }), ExitCode.usage);
  }
  if (info.context) {
    if (!kc.getContextObject(info.context)) {
      throw new KlabError(msg('cluster.noContext', { context: info.context, contexts: kc.getContexts().map((c) => c.name).join(', ') || '-' }), ExitCode.usage);
    }
    kc.setCurrentContext(info.context);
  }
  info.context ||= kc.getCurrentContext();
  const server = kc.getCurrentCluster()?.server ?? '?';
  const unreachable = (detail: string) => new KlabError(msg('cluster.unreachable', { server, context: info.context, detail }), ExitCode.unreachable);
  const api = kc.makeApiClient(k8s.VersionApi);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      api.getCode(),
      new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`no answer in ${timeoutMs / 1000}s`)), timeoutMs); }),
    ]);
  } catch (e) {
    const err = e as { code?: number | string; cause?: { code?: string }; message?: string };
    // An HTTP answer (even 401/403) means the server is there; only transport failures are "unreachable".
    if (typeof err.code === 'number') return kc;
    throw unreachable(err.cause?.code ?? (typeof err.code === 'string' ? err.code : undefined) ?? err.message ?? String(e));
  } finally {
    clearTimeout(timer);
  }
  return kc;
}

export function missingCapabilities(have: Capabilities, need: (keyof Capabilities)[] = []): (keyof Capabilities)[] {
  return need.filter((c) => !have[c]);
}

export type { Text };
