/**
 * Web search on Bedrock (admin only; docs/web-search.md): the mode, the gateway's provider, and a
 * test search. The provider's API key is write-only: views carry `key_set`, never the key.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { testWebSearchSchema, updateWebSearchSchema } from '../websearch/provider-input.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

export type { UpdateWebSearchBody, TestWebSearchBody, ProviderInput as WebSearchProviderBody } from '../websearch/provider-input.js';
export type { MyWebSearchView, ProviderView as WebSearchProviderView, WebSearchTestResult, WebSearchView } from '../websearch/web-search.service.js';

/** Aborts a test search when the caller goes away before the answer (the response closes unfinished). */
export function untilCallerLeaves(reply: FastifyReply): AbortSignal {
  const left = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) left.abort();
  });
  return left.signal;
}

export function registerWebSearchRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/web-search', async () => deps.webSearch.state());

  // Either part may be left out; `provider: null` removes the gateway's provider.
  app.put('/web-search', async (request) => deps.webSearch.update(validate(updateWebSearchSchema, request.body)));

  // An unsaved provider (from the form) or, without one, the saved provider.
  app.post('/web-search/test', async (request, reply) => deps.webSearch.test(validate(testWebSearchSchema, request.body), untilCallerLeaves(reply)));
}
