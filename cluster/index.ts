// Provider registry: each provider module is loaded only when asked for (keeps `klab --help` fast).
import { providerTable, type Provider, type ProviderName, type ProviderOptions } from './provider.js';

export { providerNames } from './provider.js';

export async function getProvider(name: ProviderName, opts: ProviderOptions = {}): Promise<Provider> {
  return (await providerTable[name]()).createProvider(opts);
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
