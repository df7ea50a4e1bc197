/** Tavily: `POST /search` with a bearer key; results carry `content` excerpts. */
import { hitOf, joinUrl, listAt, present, requestJson } from './wire.js';
import type { Fetch, ProviderSettings, SearchProvider } from './types.js';

export const TAVILY_BASE_URL = 'https://api.tavily.com';

export function tavilyProvider(settings: ProviderSettings, fetchFn: Fetch): SearchProvider {
  const base = settings.baseUrl ?? TAVILY_BASE_URL;
  return {
    type: 'tavily',
    async search(query) {
      const body = await requestJson(fetchFn, 'Tavily', {
        method: 'POST',
        url: joinUrl(base, '/search'),
        headers: { authorization: `Bearer ${settings.apiKey ?? ''}` },
        body: {
          query: query.query,
          max_results: query.maxResults,
          ...(query.allowedDomains.length > 0 ? { include_domains: query.allowedDomains } : {}),
          ...(query.blockedDomains.length > 0 ? { exclude_domains: query.blockedDomains } : {}),
        },
        secret: settings.apiKey,
      }, query.signal);
      return present(listAt(body, 'results').map((item) => hitOf(item, { title: 'title', url: 'url', snippet: 'content', age: ['published_date'] })));
    },
  };
}
