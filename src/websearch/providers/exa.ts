/** Exa: `POST /search` with `x-api-key`; asks for a short text of each page, which the model reads. */
import { hitOf, joinUrl, listAt, present, requestJson } from './wire.js';
import type { Fetch, ProviderSettings, SearchProvider } from './types.js';

export const EXA_BASE_URL = 'https://api.exa.ai';
/** Enough of each page for the model to judge it, without filling its context. */
const EXA_TEXT_CHARACTERS = 1_000;

export function exaProvider(settings: ProviderSettings, fetchFn: Fetch): SearchProvider {
  const base = settings.baseUrl ?? EXA_BASE_URL;
  return {
    type: 'exa',
    async search(query) {
      const body = await requestJson(fetchFn, 'Exa', {
        method: 'POST',
        url: joinUrl(base, '/search'),
        headers: { 'x-api-key': settings.apiKey ?? '' },
        body: {
          query: query.query,
          numResults: query.maxResults,
          contents: { text: { maxCharacters: EXA_TEXT_CHARACTERS } },
          ...(query.allowedDomains.length > 0 ? { includeDomains: query.allowedDomains } : {}),
          ...(query.blockedDomains.length > 0 ? { excludeDomains: query.blockedDomains } : {}),
        },
        secret: settings.apiKey,
      }, query.signal);
      return present(listAt(body, 'results').map((item) => hitOf(item, { title: 'title', url: 'url', snippet: 'text', age: ['publishedDate'] })));
    },
  };
}
