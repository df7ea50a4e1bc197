/**
 * The HTTP call every provider makes, and reading hits out of its JSON. A provider's failure
 * becomes a SearchProviderError whose message is safe for the admin's test view and the log:
 * it names the status and the provider's own error text, never the request's key.
 */
import { SearchProviderError, type Fetch, type SearchHit } from './types.js';

/** A search that takes longer is worth less than an answer without it. */
export const SEARCH_TIMEOUT_MS = 15_000;

type Json = Record<string, unknown>;

export interface ProviderCall {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  /** Removed from any error text, in case a provider echoes it. */
  readonly secret: string | null;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

function codeFor(status: number): SearchProviderError['code'] {
  if (status === 429) return 'too_many_requests';
  if (status === 400 || status === 422) return 'invalid_input';
  return 'unavailable';
}

function excerpt(text: string, secret: string | null): string {
  const cleaned = (secret ? text.split(secret).join('***') : text).replace(/\s+/g, ' ').trim();
  return cleaned.length > 200 ? `${cleaned.slice(0, 200)}…` : cleaned;
}

export async function requestJson(fetchFn: Fetch, what: string, call: ProviderCall, signal: AbortSignal): Promise<Json> {
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetchFn(call.url, {
      method: call.method,
      headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(SEARCH_TIMEOUT_MS)]),
    });
  } catch (error) {
    // The client leaving is not the provider's failure: let the caller see the abort as it is.
    if (signal.aborted) throw error;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${SEARCH_TIMEOUT_MS / 1000} s` : (error as Error).message;
    throw new SearchProviderError('unavailable', `${what} is unreachable: ${reason}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new SearchProviderError(codeFor(response.status), `${what} answered HTTP ${response.status}${text ? `: ${excerpt(text, call.secret)}` : ''}`);
  }
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Json;
  } catch {
    // reported below
  }
  throw new SearchProviderError('unavailable', `${what} answered with something that is not a JSON object`);
}

/** The array at `path` (dot-separated), or [] when the provider left it out (no results). */
export function listAt(body: Json, path: string): Json[] {
  let value: unknown = body;
  for (const part of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Json)[part] : undefined;
  return Array.isArray(value) ? value.filter((item): item is Json => typeof item === 'object' && item !== null) : [];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** One hit from a provider's result object, by the field names that provider uses; null without a URL. */
export function hitOf(item: Json, fields: { title: string; url: string; snippet: string; age: readonly string[] }): SearchHit | null {
  const url = text(item[fields.url]);
  if (!url) return null;
  return {
    title: text(item[fields.title]) ?? url,
    url,
    snippet: text(item[fields.snippet]) ?? '',
    pageAge: fields.age.map((name) => text(item[name])).find((age) => age !== null) ?? null,
  };
}

export const present = <T>(items: readonly (T | null)[]): T[] => items.filter((item): item is T => item !== null);

/** `site:` operators for providers that filter by query (Brave, Google through Serper). */
export function siteOperators(allowed: readonly string[], blocked: readonly string[]): string {
  const only = allowed.length === 0 ? '' : allowed.length === 1 ? ` site:${allowed[0]}` : ` (${allowed.map((domain) => `site:${domain}`).join(' OR ')})`;
  return only + blocked.map((domain) => ` -site:${domain}`).join('');
}
