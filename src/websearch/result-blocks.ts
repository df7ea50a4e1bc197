/**
 * The blocks a search becomes: what the client sees (Anthropic's `server_tool_use` and
 * `web_search_tool_result`) and what the model reads (a `tool_result` with the excerpts). Pure.
 */
import { randomBytes } from 'node:crypto';
import type { SearchHit } from './providers/types.js';

/**
 * Anthropic encrypts each result's page content so it can be replayed to the model later; no
 * gateway can produce that, so the field holds this marker. Clients only display titles and URLs.
 */
export const ENCRYPTED_CONTENT_PLACEHOLDER = 'ccag-gateway-search:not-encrypted';

/** Anthropic's error codes for a search that did not run or failed. */
export type SearchErrorCode = 'max_uses_exceeded' | 'too_many_requests' | 'invalid_input' | 'query_too_long' | 'unavailable';

export type SearchOutcome = { readonly ok: true; readonly hits: readonly SearchHit[] } | { readonly ok: false; readonly code: SearchErrorCode };

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `srvtoolu_` and 24 random characters, the shape of Anthropic's server tool ids. */
export function serverToolUseId(): string {
  let id = 'srvtoolu_';
  for (const byte of randomBytes(24)) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

export function serverToolUseBlock(id: string, name: string, query: string): Record<string, unknown> {
  return { type: 'server_tool_use', id, name, input: { query } };
}

export function webSearchResultBlock(toolUseId: string, outcome: SearchOutcome): Record<string, unknown> {
  const content = outcome.ok
    ? outcome.hits.map((hit) => ({ type: 'web_search_result', url: hit.url, title: hit.title, encrypted_content: ENCRYPTED_CONTENT_PLACEHOLDER, page_age: hit.pageAge }))
    : { type: 'web_search_tool_result_error', error_code: outcome.code };
  return { type: 'web_search_tool_result', tool_use_id: toolUseId, content };
}

const MESSAGES: Record<SearchErrorCode, string> = {
  max_uses_exceeded: 'The search limit for this request is reached. Answer with the results you already have.',
  too_many_requests: 'The search provider is rate limiting; the search did not run.',
  invalid_input: 'The search provider refused the query.',
  query_too_long: 'The query is too long; use a shorter one.',
  unavailable: 'The search provider is unavailable; the search did not run.',
};

/** What the model reads for one search. */
export function toolResultFor(toolUseId: string, outcome: SearchOutcome): Record<string, unknown> {
  if (!outcome.ok) return { type: 'tool_result', tool_use_id: toolUseId, is_error: true, content: `Web search error (${outcome.code}): ${MESSAGES[outcome.code]}` };
  return { type: 'tool_result', tool_use_id: toolUseId, content: hitsText(outcome.hits) };
}

function hitsText(hits: readonly SearchHit[]): string {
  if (hits.length === 0) return 'No results.';
  return hits
    .map((hit, i) => [`[${i + 1}] ${hit.title}`, `URL: ${hit.url}`, ...(hit.pageAge ? [`Age: ${hit.pageAge}`] : []), ...(hit.snippet ? [hit.snippet] : [])].join('\n'))
    .join('\n\n');
}

/** A `web_search_tool_result`'s content, sent back by a client in history, as text for the model (the excerpts are not in it). */
export function resultText(content: unknown): string {
  if (!Array.isArray(content)) {
    const code = (content as { error_code?: unknown } | null)?.error_code;
    return `Web search error (${typeof code === 'string' ? code : 'unavailable'}).`;
  }
  const hits: SearchHit[] = content
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .map((item) => ({ title: String(item.title ?? ''), url: String(item.url ?? ''), snippet: '', pageAge: typeof item.page_age === 'string' ? item.page_age : null }));
  return hitsText(hits);
}
