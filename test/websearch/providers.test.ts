/**
 * Each search provider's request and response mapping against a mock speaking its wire format:
 * where the key goes, how the query, result count and domains are sent, and how its results
 * become hits; and how a provider's failure becomes Anthropic's error code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createProvider } from '../../src/websearch/providers/index.js';
import { PROVIDER_TYPES, SearchProviderError, type ProviderType } from '../../src/websearch/providers/types.js';
import { startMockSearchProvider, type MockSearchProvider } from '../support/mock-search-provider.js';

let mock: MockSearchProvider;
beforeAll(async () => {
  mock = await startMockSearchProvider();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.requests.length = 0;
  mock.failWith = undefined;
});

const baseUrl = (type: ProviderType) => (type === 'custom' ? `${mock.url}/custom/hook` : `${mock.url}/${type}`);
const provider = (type: ProviderType, apiKey: string | null = mock.key) => createProvider({ type, baseUrl: baseUrl(type), apiKey, maxResults: 3 }, fetch);
const search = (type: ProviderType, domains: { allowed?: string[]; blocked?: string[] } = {}) =>
  provider(type).search({ query: 'ccag gateway', maxResults: 3, allowedDomains: domains.allowed ?? [], blockedDomains: domains.blocked ?? [], signal: new AbortController().signal });

describe('search providers', () => {
  test.each(PROVIDER_TYPES)('%s maps its results to hits', async (type) => {
    const hits = await search(type);
    expect(hits[0]).toEqual({ title: 'CCAG documentation', url: 'https://docs.example.com/ccag', snippet: 'CCAG is a gateway for Claude Code.', pageAge: '2026-01-15' });
    expect(hits[1]).toEqual({ title: 'CCAG on GitHub', url: 'https://github.com/example/ccag', snippet: 'Source code of CCAG.', pageAge: null });
    expect(mock.requests).toHaveLength(1);
  });

  test('Tavily: bearer key, max_results, include/exclude domains', async () => {
    await search('tavily', { allowed: ['example.com'], blocked: ['spam.example.net'] });
    const [request] = mock.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/search', body: { query: 'ccag gateway', max_results: 3, include_domains: ['example.com'], exclude_domains: ['spam.example.net'] } });
    expect(request!.headers.authorization).toBe(`Bearer ${mock.key}`);
  });

  test('Brave: X-Subscription-Token, count, domains as site: operators', async () => {
    await search('brave', { allowed: ['a.com', 'b.org'], blocked: ['c.net'] });
    const [request] = mock.requests;
    expect(request).toMatchObject({ method: 'GET', path: '/res/v1/web/search', query: { q: 'ccag gateway (site:a.com OR site:b.org) -site:c.net', count: '3' } });
    expect(request!.headers['x-subscription-token']).toBe(mock.key);
  });

  test('Serper: X-API-KEY, q and num', async () => {
    await search('serper', { allowed: ['a.com'] });
    const [request] = mock.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/search', body: { q: 'ccag gateway site:a.com', num: 3 } });
    expect(request!.headers['x-api-key']).toBe(mock.key);
  });

  test('Exa: x-api-key, numResults, page text, include/exclude domains', async () => {
    await search('exa', { allowed: ['a.com'], blocked: ['c.net'] });
    const [request] = mock.requests;
    expect(request!.body).toEqual({ query: 'ccag gateway', numResults: 3, contents: { text: { maxCharacters: 1000 } }, includeDomains: ['a.com'], excludeDomains: ['c.net'] });
    expect(request!.headers['x-api-key']).toBe(mock.key);
  });

  test('SearXNG: GET /search?format=json, the key as an optional bearer, its page cut to max_results', async () => {
    mock.hits = [...mock.hits, ...mock.hits];
    try {
      const hits = await createProvider({ type: 'searxng', baseUrl: `${mock.url}/searxng/`, apiKey: null, maxResults: 2 }, fetch).search({ query: 'q', maxResults: 2, allowedDomains: [], blockedDomains: [], signal: new AbortController().signal });
      expect(hits).toHaveLength(2);
      expect(mock.requests[0]).toMatchObject({ method: 'GET', path: '/search', query: { q: 'q', format: 'json' } });
      expect(mock.requests[0]!.headers.authorization).toBeUndefined();
      await search('searxng');
      expect(mock.requests[1]!.headers.authorization).toBe(`Bearer ${mock.key}`);
    } finally {
      mock.hits = mock.hits.slice(0, 3);
    }
  });

  test('custom: POST to its URL with the documented body', async () => {
    await search('custom', { blocked: ['c.net'] });
    expect(mock.requests[0]).toMatchObject({ method: 'POST', path: '/hook', body: { query: 'ccag gateway', max_results: 3, allowed_domains: [], blocked_domains: ['c.net'] } });
  });

  test('a wrong key is `unavailable`, 429 is `too_many_requests`, and no error text carries the key', async () => {
    const wrong = provider('tavily', 'tvly-wrong-key').search({ query: 'q', maxResults: 3, allowedDomains: [], blockedDomains: [], signal: new AbortController().signal });
    await expect(wrong).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('HTTP 401') });
    mock.failWith = { status: 429, body: `{"error":"slow down, ${mock.key}"}` };
    const error = await search('serper').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SearchProviderError);
    expect(error).toMatchObject({ code: 'too_many_requests' });
    expect((error as Error).message).not.toContain(mock.key);
  });

  test('an unreachable provider is `unavailable`', async () => {
    const closed = createProvider({ type: 'exa', baseUrl: 'http://127.0.0.1:9', apiKey: 'k', maxResults: 3 }, fetch);
    await expect(closed.search({ query: 'q', maxResults: 3, allowedDomains: [], blockedDomains: [], signal: new AbortController().signal })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
