/**
 * Web search settings in words, and the provider form with the body it sends. Pure, so
 * test/portal/web-search-logic.test.ts pins them; the server checks everything again.
 */
import type { ProviderInput, ProviderOption, ProviderType, SearchProvider, WebSearchMode } from './types.js';

export const MODE_LABEL: Record<WebSearchMode, string> = { disabled: 'Disabled', per_user: 'Per user', global: 'Global' };

export const MODE_EXPLANATION: Record<WebSearchMode, string> = {
  disabled: 'Claude Code’s web searches on Bedrock are refused with a message saying web search is off.',
  per_user: 'Each user searches with their own provider and API key, set on the Web search page; a user without one is told where to set it.',
  global: 'Everyone searches with the one provider below, with the gateway’s API key.',
};

/**
 * The providers for a member, who cannot read the admin list: the same types with their public
 * defaults. Admins get the gateway's own list (GET /admin/web-search), which wins.
 */
export const KNOWN_PROVIDERS: readonly ProviderOption[] = [
  { type: 'tavily', label: 'Tavily', needs_key: true, default_base_url: 'https://api.tavily.com' },
  { type: 'brave', label: 'Brave Search', needs_key: true, default_base_url: 'https://api.search.brave.com' },
  { type: 'serper', label: 'Serper (Google)', needs_key: true, default_base_url: 'https://google.serper.dev' },
  { type: 'exa', label: 'Exa', needs_key: true, default_base_url: 'https://api.exa.ai' },
  { type: 'searxng', label: 'SearXNG (self-hosted)', needs_key: false, default_base_url: null },
  { type: 'custom', label: 'Custom HTTP endpoint', needs_key: false, default_base_url: null },
];

/** What PUT accepts for max_results. */
export const MAX_RESULTS_LIMIT = 20;
const DEFAULT_MAX_RESULTS = 5;

export interface ProviderForm {
  type: ProviderType;
  baseUrl: string;
  /** Always starts empty: the stored key is never shown, and re-entered to change it. */
  apiKey: string;
  /** Drop the stored key of a provider whose key is optional. */
  removeKey: boolean;
  maxResults: string;
}

export type ProviderFormErrors = Partial<Record<keyof ProviderForm, string>>;

export function optionOf(type: ProviderType, options: readonly ProviderOption[]): ProviderOption {
  return options.find((option) => option.type === type) ?? KNOWN_PROVIDERS.find((option) => option.type === type)!;
}

export function providerLabel(type: ProviderType, options: readonly ProviderOption[] = KNOWN_PROVIDERS): string {
  return optionOf(type, options).label;
}

export function providerFormOf(provider: SearchProvider | null, options: readonly ProviderOption[]): ProviderForm {
  return {
    type: provider?.type ?? options[0]?.type ?? 'tavily',
    baseUrl: provider?.base_url ?? '',
    apiKey: '',
    removeKey: false,
    maxResults: String(provider?.max_results ?? DEFAULT_MAX_RESULTS),
  };
}

/** A blank key field keeps the stored key only for the same provider: another provider needs its own. */
export function keepsKey(form: Pick<ProviderForm, 'type'>, saved: SearchProvider | null): boolean {
  return saved !== null && saved.type === form.type && saved.key_set;
}

export function providerProblems(form: ProviderForm, option: ProviderOption, keep: boolean): ProviderFormErrors {
  const errors: ProviderFormErrors = {};
  const baseUrl = form.baseUrl.trim();
  if (baseUrl === '' && option.default_base_url === null) errors.baseUrl = option.type === 'custom' ? 'Required: the URL the gateway POSTs searches to.' : 'Required: your instance’s URL.';
  else if (baseUrl !== '' && !/^https?:\/\/\S+$/.test(baseUrl)) errors.baseUrl = 'A full URL, such as https://search.example.com.';
  if (option.needs_key && form.apiKey === '' && !keep) errors.apiKey = `${option.label} needs an API key.`;
  const max = Number(form.maxResults.trim());
  if (form.maxResults.trim() === '' || !Number.isInteger(max) || max < 1 || max > MAX_RESULTS_LIMIT) errors.maxResults = `A whole number from 1 to ${MAX_RESULTS_LIMIT}.`;
  return errors;
}

/**
 * The provider as PUT sends it. A blank key is left out, which keeps the stored one (same type);
 * null removes an optional key. A blank base URL is null, the provider's default: left out, the
 * server would keep the stored URL, so clearing the field could not undo a proxy.
 */
export function providerInput(form: ProviderForm): ProviderInput {
  const baseUrl = form.baseUrl.trim();
  return {
    type: form.type,
    ...(form.apiKey !== '' ? { api_key: form.apiKey } : form.removeKey ? { api_key: null } : {}),
    base_url: baseUrl === '' ? null : baseUrl,
    max_results: Number(form.maxResults.trim()),
  };
}

/** "Tavily · up to 5 results · API key set". */
export function providerSummary(provider: SearchProvider, options: readonly ProviderOption[] = KNOWN_PROVIDERS): string {
  const option = optionOf(provider.type, options);
  const parts = [option.label, `up to ${provider.max_results} ${provider.max_results === 1 ? 'result' : 'results'}`];
  if (provider.base_url) parts.push(provider.base_url);
  parts.push(provider.key_set ? 'API key set' : option.needs_key ? 'no API key' : 'no API key (optional)');
  return parts.join(' · ');
}

/**
 * Which provider a test searches with: the caller's own in per-user mode, else the saved global
 * one, which only admins may test (even while web search is disabled, to try it before turning it on).
 */
export function testPath(mode: WebSearchMode, isAdmin: boolean, globalSaved: boolean): string | undefined {
  if (mode === 'per_user') return '/admin/me/web-search/test';
  return isAdmin && globalSaved ? '/admin/web-search/test' : undefined;
}
