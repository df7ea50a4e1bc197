/**
 * Web search settings behind the admin API: the mode, the gateway's provider and members' own
 * providers, and a test search through a saved or an unsaved provider. Keys are sealed before
 * they are stored and never leave here: views say only whether one is set.
 */
import type { OutboundGuard } from '../config/outbound-guard.js';
import { ApiError } from '../errors.js';
import { PROVIDER_KINDS, createProvider } from './providers/index.js';
import { PROVIDER_TYPES, type Fetch, type ProviderSettings } from './providers/types.js';
import { resolveProvider, settingsOf, type ProviderInput, type TestWebSearchBody, type UpdateWebSearchBody } from './provider-input.js';
import type { WebSearchMirror } from './web-search-mirror.js';
import { GLOBAL_OWNER, type StoredProvider, type WebSearchMode, type WebSearchRepo } from './web-search.repo.js';

/** What a test searches for when the admin gives no query. */
export const DEFAULT_TEST_QUERY = 'Claude Code';

export interface ProviderView {
  type: StoredProvider['type'];
  /** null: the provider's default (see `providers[].default_base_url`). */
  base_url: string | null;
  max_results: number;
  key_set: boolean;
  updated_at: string;
}

export interface ProviderKindView {
  type: StoredProvider['type'];
  label: string;
  needs_key: boolean;
  default_base_url: string | null;
}

export interface WebSearchView {
  mode: WebSearchMode;
  provider: ProviderView | null;
  price_per_search_usd: number;
  providers: ProviderKindView[];
  users_configured: number;
}

export interface MyWebSearchView {
  mode: WebSearchMode;
  provider: ProviderView | null;
}

export interface WebSearchTestResult {
  ok: boolean;
  duration_ms: number;
  results: { title: string; url: string }[];
  error: string | null;
}

export interface WebSearchServiceDeps {
  readonly repo: Pick<WebSearchRepo, 'setMode' | 'putProvider' | 'removeProvider'>;
  readonly mirror: Pick<WebSearchMirror, 'mode' | 'provider' | 'usersConfigured' | 'refresh'>;
  readonly seal: (plaintext: string) => string;
  readonly open: (sealed: string) => string;
  readonly fetch: Fetch;
  /** Refuses a provider URL that points at a private address (config/outbound-guard.ts). */
  readonly outbound: Pick<OutboundGuard, 'check'>;
  readonly pricePerSearchUsd: number;
  readonly now?: () => number;
  readonly clock?: () => number;
}

const PROVIDER_CATALOGUE: ProviderKindView[] = PROVIDER_TYPES.map((type) => ({
  type,
  label: PROVIDER_KINDS[type].label,
  needs_key: PROVIDER_KINDS[type].needsKey,
  default_base_url: PROVIDER_KINDS[type].defaultBaseUrl,
}));

export function presentProvider(provider: StoredProvider | undefined): ProviderView | null {
  if (!provider) return null;
  return { type: provider.type, base_url: provider.baseUrl, max_results: provider.maxResults, key_set: provider.apiKeySealed !== null, updated_at: new Date(provider.updatedAt).toISOString() };
}

export function createWebSearchService(deps: WebSearchServiceDeps) {
  const now = deps.now ?? Date.now;
  const clock = deps.clock ?? (() => performance.now());
  const { mirror } = deps;

  const state = (): WebSearchView => ({
    mode: mirror.mode(),
    provider: presentProvider(mirror.provider(GLOBAL_OWNER)),
    price_per_search_usd: deps.pricePerSearchUsd,
    providers: PROVIDER_CATALOGUE,
    users_configured: mirror.usersConfigured(),
  });
  const mine = (userId: string): MyWebSearchView => ({ mode: mirror.mode(), provider: presentProvider(mirror.provider(userId)) });

  /** A provider as a save would store it, its URL (the provider's own when null) checked by the SSRF guard. */
  async function resolved(owner: string, input: ProviderInput): Promise<ReturnType<typeof resolveProvider>> {
    const provider = resolveProvider(owner, input, mirror.provider(owner), deps.seal);
    if (provider.baseUrl !== null) await deps.outbound.check('provider.base_url', provider.baseUrl);
    return provider;
  }

  async function putProvider(owner: string, input: ProviderInput): Promise<void> {
    await deps.repo.putProvider(await resolved(owner, input), now());
  }

  /** A search through `input` (unsaved; a left-out key is the saved one's), else through the saved provider. */
  async function test(owner: string, body: TestWebSearchBody, signal: AbortSignal): Promise<WebSearchTestResult> {
    const saved = mirror.provider(owner);
    let settings: ProviderSettings;
    if (body.provider) {
      // Resolved exactly as a save would be (a left-out key is the saved one's), but not stored.
      settings = settingsOf(await resolved(owner, body.provider), deps.open);
    } else if (saved) {
      settings = settingsOf(saved, deps.open);
    } else {
      throw new ApiError('invalid_request', 'There is no provider to test: give one in the request, or save one first.');
    }
    const provider = createProvider(settings, deps.fetch);
    const started = clock();
    try {
      const hits = await provider.search({ query: body.query ?? DEFAULT_TEST_QUERY, maxResults: settings.maxResults, allowedDomains: [], blockedDomains: [], signal });
      return { ok: true, duration_ms: Math.round(clock() - started), results: hits.map((hit) => ({ title: hit.title, url: hit.url })), error: null };
    } catch (error) {
      return { ok: false, duration_ms: Math.round(clock() - started), results: [], error: (error as Error).message };
    }
  }

  return {
    state,

    async update(body: UpdateWebSearchBody): Promise<WebSearchView> {
      if (body.provider === null) await deps.repo.removeProvider(GLOBAL_OWNER);
      else if (body.provider) await putProvider(GLOBAL_OWNER, body.provider);
      if (body.mode) await deps.repo.setMode(body.mode, now());
      await mirror.refresh();
      return state();
    },

    test: (body: TestWebSearchBody, signal: AbortSignal) => test(GLOBAL_OWNER, body, signal),

    mine,

    async setMine(userId: string, input: ProviderInput): Promise<MyWebSearchView> {
      await putProvider(userId, input);
      await mirror.refresh();
      return mine(userId);
    },

    async removeMine(userId: string): Promise<MyWebSearchView> {
      await deps.repo.removeProvider(userId);
      await mirror.refresh();
      return mine(userId);
    },

    testMine: (userId: string, body: TestWebSearchBody, signal: AbortSignal) => test(userId, body, signal),
  };
}

export type WebSearchService = ReturnType<typeof createWebSearchService>;
