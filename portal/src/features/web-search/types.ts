/**
 * The web search admin API's wire shapes (docs/admin-api.md, "Web search"). Declared here until
 * the server's own types are shared through src/cli/admin-types.ts like the other areas'.
 */

export const WEB_SEARCH_MODES = ['disabled', 'per_user', 'global'] as const;
export type WebSearchMode = (typeof WEB_SEARCH_MODES)[number];

export type ProviderType = 'tavily' | 'brave' | 'serper' | 'exa' | 'searxng' | 'custom';

/** A configured provider; the API key itself is never returned. */
export interface SearchProvider {
  type: ProviderType;
  base_url: string | null;
  max_results: number;
  key_set: boolean;
  updated_at: string;
}

/** A provider the gateway can call. `default_base_url` null: the base URL must be given (self-hosted or custom). */
export interface ProviderOption {
  type: ProviderType;
  label: string;
  needs_key: boolean;
  default_base_url: string | null;
}

/** GET /admin/web-search (admins). */
export interface WebSearchState {
  mode: WebSearchMode;
  provider: SearchProvider | null;
  price_per_search_usd: number;
  providers: ProviderOption[];
  users_configured: number;
}

/** GET/PUT /admin/me/web-search (anyone): the caller's own provider, used in per-user mode. */
export interface MyWebSearch {
  mode: WebSearchMode;
  provider: SearchProvider | null;
}

/** A provider as PUT sends it. api_key: omitted keeps the stored one (same type), null removes it; base_url: null is the provider's default. */
export interface ProviderInput {
  type: ProviderType;
  api_key?: string | null;
  base_url?: string | null;
  max_results?: number;
}

/** PUT /admin/web-search */
export interface WebSearchUpdate {
  mode?: WebSearchMode;
  provider?: ProviderInput | null;
}

/** POST /admin/web-search/test and /admin/me/web-search/test */
export interface SearchTestResult {
  ok: boolean;
  duration_ms: number;
  results: { title: string; url: string }[];
  error: string | null;
}
