/**
 * SearXNG (self-hosted): `GET /search?format=json` on the instance's URL (the instance must allow
 * the json format). It has no keys of its own; a key, when set, is sent as a bearer for the proxy
 * in front of it.
 */
import { hitOf, joinUrl, listAt, present, requestJson } from './wire.js';
import type { Fetch, ProviderSettings, SearchProvider } from './types.js';

export function searxngProvider(settings: ProviderSettings, fetchFn: Fetch): SearchProvider {
  const base = settings.baseUrl ?? '';
  return {
    type: 'searxng',
    async search(query) {
      const params = new URLSearchParams({ q: query.query, format: 'json' });
      const body = await requestJson(fetchFn, 'SearXNG', {
        method: 'GET',
        url: `${joinUrl(base, '/search')}?${params}`,
        headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
        secret: settings.apiKey,
      }, query.signal);
      // SearXNG has no result-count parameter: its page is cut here.
      return present(listAt(body, 'results').map((item) => hitOf(item, { title: 'title', url: 'url', snippet: 'content', age: ['publishedDate'] }))).slice(0, query.maxResults);
    },
  };
}
