// Provider registry: each provider module is loaded only when asked for (keeps `klab --help` fast).
import type { Provider, ProviderName, ProviderOptions } from './provider.js';

export const providerNames: ProviderName[] = ['kind', 'local', 'existing'];

export async function getProvider(name: ProviderName, opts: ProviderOptions = {}): Promise<Provider> {
  switch (name) {
    case 'kind': return (await import('./kind.js')).createProvider(opts);
    case 'local': return (await import('./local.js')).createProvider(opts);
    case 'existing': return (await import('./existing.js')).createProvider(opts);
  }
}
