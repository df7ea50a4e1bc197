/** Brave Search: `GET /res/v1/web/search` with `X-Subscription-Token`; domains go in the query as `site:` operators. */
import { hitOf, joinUrl, listAt, present, requestJson, siteOperators } from './wire.js';
import type { Fetch, ProviderSettings, SearchProvider } from './types.js';

export const BRAVE_BASE_URL = 'https://api.search.brave.com';
/** Brave serves at most 20 results per page. */
const BRAVE_MAX_COUNT = 20;

export function braveProvider(settings: ProviderSettings, fetchFn: Fetch): SearchProvider {
  const base = settings.baseUrl ?? BRAVE_BASE_URL;
  return {
    type: 'brave',
    async search(query) {
      const params = new URLSearchParams({ q: query.query + siteOperators(query.allowedDomains, query.blockedDomains), count: String(Math.min(query.maxResults, BRAVE_MAX_COUNT)) });
      const body = await requestJson(fetchFn, 'Brave Search', {
        method: 'GET',
        url: `${joinUrl(base, '/res/v1/web/search')}?${params}`,
        headers: { 'x-subscription-token': settings.apiKey ?? '' },
        secret: settings.apiKey,
      }, query.signal);
      return present(listAt(body, 'web.results').map((item) => hitOf(item, { title: 'title', url: 'url', snippet: 'description', age: ['page_age', 'age'] })));
    },
  };
}
