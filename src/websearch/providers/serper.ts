/** Serper (Google results): `POST /search` with `X-API-KEY`; domains go in the query as `site:` operators. */
import { hitOf, joinUrl, listAt, present, requestJson, siteOperators } from './wire.js';
import type { Fetch, ProviderSettings, SearchProvider } from './types.js';

export const SERPER_BASE_URL = 'https://google.serper.dev';

export function serperProvider(settings: ProviderSettings, fetchFn: Fetch): SearchProvider {
  const base = settings.baseUrl ?? SERPER_BASE_URL;
  return {
    type: 'serper',
    async search(query) {
      const body = await requestJson(fetchFn, 'Serper', {
        method: 'POST',
        url: joinUrl(base, '/search'),
        headers: { 'x-api-key': settings.apiKey ?? '' },
        body: { q: query.query + siteOperators(query.allowedDomains, query.blockedDomains), num: query.maxResults },
        secret: settings.apiKey,
      }, query.signal);
      return present(listAt(body, 'organic').map((item) => hitOf(item, { title: 'title', url: 'link', snippet: 'snippet', age: ['date'] })));
    },
  };
}
