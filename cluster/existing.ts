// Placeholder until the existing provider lands: says clearly that it is not available.
import type { Provider, ProviderOptions } from './provider.js';
import { noCapabilities } from './provider.js';
import { KlabError, ExitCode } from '../i18n/index.js';

export function createProvider(_opts: ProviderOptions): Provider {
  const na = new KlabError({ ko: "'existing' 제공자는 아직 사용할 수 없습니다.", en: "The 'existing' provider is not available yet." }, ExitCode.unreachable);
  return {
    name: 'existing',
    async available() { return { ok: false, reason: na.text }; },
    async up() { throw na; },
    async down() { throw na; },
    async status() { return { provider: 'existing', running: false, details: [na.text] }; },
    capabilities() { return { ...noCapabilities }; },
  };
}
