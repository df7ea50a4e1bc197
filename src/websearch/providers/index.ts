/**
 * The provider catalogue: what the admin API lists (label, whether a key is needed, the default
 * base URL) and how to build each provider. One entry per type; the record type makes a new
 * provider type a compile error here until it is described.
 */
import { BRAVE_BASE_URL, braveProvider } from './brave.js';
import { customProvider } from './custom.js';
import { EXA_BASE_URL, exaProvider } from './exa.js';
import { searxngProvider } from './searxng.js';
import { SERPER_BASE_URL, serperProvider } from './serper.js';
import { TAVILY_BASE_URL, tavilyProvider } from './tavily.js';
import type { Fetch, ProviderSettings, ProviderType, SearchProvider } from './types.js';

export interface ProviderKind {
  readonly label: string;
  readonly needsKey: boolean;
  /** null: the admin must give the URL (a self-hosted instance, a custom endpoint). */
  readonly defaultBaseUrl: string | null;
  readonly create: (settings: ProviderSettings, fetchFn: Fetch) => SearchProvider;
}

export const PROVIDER_KINDS: Readonly<Record<ProviderType, ProviderKind>> = {
  tavily: { label: 'Tavily', needsKey: true, defaultBaseUrl: TAVILY_BASE_URL, create: tavilyProvider },
  brave: { label: 'Brave Search', needsKey: true, defaultBaseUrl: BRAVE_BASE_URL, create: braveProvider },
  serper: { label: 'Serper (Google)', needsKey: true, defaultBaseUrl: SERPER_BASE_URL, create: serperProvider },
  exa: { label: 'Exa', needsKey: true, defaultBaseUrl: EXA_BASE_URL, create: exaProvider },
  searxng: { label: 'SearXNG (self-hosted)', needsKey: false, defaultBaseUrl: null, create: searxngProvider },
  custom: { label: 'Custom HTTP endpoint', needsKey: false, defaultBaseUrl: null, create: customProvider },
};

export function createProvider(settings: ProviderSettings, fetchFn: Fetch): SearchProvider {
  return PROVIDER_KINDS[settings.type].create(settings, fetchFn);
}
