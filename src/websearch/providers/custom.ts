/**
 * A custom HTTP endpoint (an in-house search service, or an adapter for another provider):
 * `POST <url>` `{query, max_results, allowed_domains, blocked_domains}` answered by
 * `{results: [{title, url, snippet, page_age}]}`, with an optional bearer key. docs/web-search.md
 * documents the contract.
 */
import { hitOf, listAt, present, requestJson } from './wire.js';
import type { Fetch, ProviderSettings, SearchProvider } from './types.js';

export function customProvider(settings: ProviderSettings, fetchFn: Fetch): SearchProvider {
  return {
    type: 'custom',
    async search(query) {
      const body = await requestJson(fetchFn, 'The custom search endpoint', {
        method: 'POST',
        url: settings.baseUrl ?? '',
        headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
        body: { query: query.query, max_results: query.maxResults, allowed_domains: query.allowedDomains, blocked_domains: query.blockedDomains },
        secret: settings.apiKey,
      }, query.signal);
      return present(listAt(body, 'results').map((item) => hitOf(item, { title: 'title', url: 'url', snippet: 'snippet', age: ['page_age'] })));
    },
  };
}
