/**
 * A web search provider: one query in, hits out. Each provider speaks its own wire format
 * (src/websearch/providers/<type>.ts); the base URL is overridable for proxies, self-hosted
 * instances and tests.
 */

export const PROVIDER_TYPES = ['tavily', 'brave', 'serper', 'exa', 'searxng', 'custom'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface SearchHit {
  readonly title: string;
  readonly url: string;
  /** The excerpt the model reads; never shown to the client. */
  readonly snippet: string;
  /** When the page was published or last changed, as the provider says it, or null. */
  readonly pageAge: string | null;
}

export interface SearchQuery {
  readonly query: string;
  readonly maxResults: number;
  readonly allowedDomains: readonly string[];
  readonly blockedDomains: readonly string[];
  readonly signal: AbortSignal;
}

/** Decrypted settings of one provider, built per search from the mirror (src/websearch/web-search-mirror.ts). */
export interface ProviderSettings {
  readonly type: ProviderType;
  readonly baseUrl: string | null;
  readonly apiKey: string | null;
  readonly maxResults: number;
}

export interface SearchProvider {
  readonly type: ProviderType;
  search(query: SearchQuery): Promise<SearchHit[]>;
}

/** Injected so providers are testable against a local mock. */
export type Fetch = typeof fetch;

/** A provider's failure with the Anthropic error code the client gets for it. */
export class SearchProviderError extends Error {
  constructor(
    readonly code: 'too_many_requests' | 'invalid_input' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'SearchProviderError';
  }
}
