/**
 * The admin API's bodies for web search, validated once here (shared by the admin and member
 * routes), and the rules that turn a provider input into what is stored: a key given is sealed,
 * a key left out is kept while the type stays the same ("re-enter to change").
 */
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { PROVIDER_KINDS } from './providers/index.js';
import { PROVIDER_TYPES, type ProviderSettings } from './providers/types.js';
import type { StoredProvider } from './web-search.repo.js';
import { WEB_SEARCH_MODES } from './web-search.repo.js';

export const DEFAULT_MAX_RESULTS = 5;
export const MAX_RESULTS_LIMIT = 20;

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' });

export const providerInputSchema = z
  .object({
    type: z.enum(PROVIDER_TYPES),
    /** Omitted: keep the stored key (same type). null: remove it (providers whose key is optional). */
    api_key: z.string().trim().min(1).max(1000).nullable().optional(),
    /** Omitted: keep the stored URL (same type), else the provider's default. null: the default. */
    base_url: httpUrl.nullable().optional(),
    max_results: z.number().int().min(1).max(MAX_RESULTS_LIMIT).optional(),
  })
  .strict();
export type ProviderInput = z.infer<typeof providerInputSchema>;

export const updateWebSearchSchema = z
  .object({ mode: z.enum(WEB_SEARCH_MODES).optional(), provider: providerInputSchema.nullable().optional() })
  .strict()
  .refine((body) => body.mode !== undefined || body.provider !== undefined, 'give mode, provider or both');
export type UpdateWebSearchBody = z.infer<typeof updateWebSearchSchema>;

export const testWebSearchSchema = z
  .object({ provider: providerInputSchema.optional(), query: z.string().trim().min(1).max(500).optional() })
  .strict();
export type TestWebSearchBody = z.infer<typeof testWebSearchSchema>;

/** What to store for `input`, given what `owner` has now; the key sealed, never kept in the clear. */
export function resolveProvider(owner: string, input: ProviderInput, existing: StoredProvider | undefined, seal: (key: string) => string): Omit<StoredProvider, 'updatedAt'> {
  const kind = PROVIDER_KINDS[input.type];
  const same = existing?.type === input.type ? existing : undefined;
  const baseUrl = input.base_url === undefined ? (same?.baseUrl ?? null) : input.base_url;
  if (baseUrl === null && kind.defaultBaseUrl === null) {
    throw new ApiError('invalid_request', `provider.base_url: ${kind.label} needs the URL of its endpoint`);
  }
  const apiKeySealed = input.api_key === undefined ? (same?.apiKeySealed ?? null) : input.api_key === null ? null : seal(input.api_key);
  if (apiKeySealed === null && kind.needsKey) {
    throw new ApiError('invalid_request', `provider.api_key: ${kind.label} needs an API key${existing ? ' (keys are not kept when the provider type changes)' : ''}`);
  }
  return { owner, type: input.type, baseUrl, apiKeySealed, maxResults: input.max_results ?? same?.maxResults ?? DEFAULT_MAX_RESULTS };
}

/** A stored provider's settings for one search, its key opened. */
export function settingsOf(stored: Omit<StoredProvider, 'owner' | 'updatedAt'>, open: (sealed: string) => string): ProviderSettings {
  return { type: stored.type, baseUrl: stored.baseUrl, apiKey: stored.apiKeySealed === null ? null : open(stored.apiKeySealed), maxResults: stored.maxResults };
}
