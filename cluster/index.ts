// Provider registry: each provider module is loaded only when asked for (keeps `klab --help` fast).
import type { Provider, ProviderName, ProviderOptions } from './provider.js';

/** Every provider name (the remembered-cluster file is checked against it). */
export const providerNames: ProviderName[] = ['kind', 'local', 'existing'];

export async function getProvider(name: ProviderName, opts: ProviderOptions = {}): Promise<Provider> {
  switch (name) {
    case 'kind': return (await import('./kind.js')).createProvider(opts);
    case 'local': return (await import('./local.js')).createProvider(opts);
    case 'existing': return (await import('./existing.js')).createProvider(opts);
  }
}

/** The provider `klab start`/`cluster up` use when none is named: kind where a Docker engine answers, else local
 * where Go is installed, else the current kubeconfig context. */
export async function defaultProviderName(): Promise<ProviderName> {
  const { spawnSync } = await import('node:child_process');
  const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 }).status === 0;
  if (ok('docker', ['info'])) return 'kind';
  if (ok('go', ['version'])) return 'local';
  return 'existing';
}
