/**
 * Web search on Bedrock (admin only; docs/web-search.md): the mode, the gateway's provider, and a
 * test search. The provider's API key is write-only: views carry `key_set`, never the key.
 */
import type { FastifyInstance } from 'fastify';
import { testWebSearchSchema, updateWebSearchSchema } from '../websearch/provider-input.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

export type { UpdateWebSearchBody, TestWebSearchBody, ProviderInput as WebSearchProviderBody } from '../websearch/provider-input.js';
export type { MyWebSearchView, ProviderView as WebSearchProviderView, WebSearchTestResult, WebSearchView } from '../websearch/web-search.service.js';

export function registerWebSearchRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/web-search', async () => deps.webSearch.state());

  // Either part may be left out; `provider: null` removes the gateway's provider.
  app.put('/web-search', async (request) => deps.webSearch.update(validate(updateWebSearchSchema, request.body)));

  // An unsaved provider (from the form) or, without one, the saved provider.
  app.post('/web-search/test', async (request) => {
    const aborted = new AbortController();
    request.raw.once('close', () => aborted.abort());
    return deps.webSearch.test(validate(testWebSearchSchema, request.body), aborted.signal);
  });
}
