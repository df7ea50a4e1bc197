/**
 * A member's own web search provider (members too; used when the mode is per-user). Each call
 * reads and writes the caller's provider only; the key is write-only, as for the admin's.
 */
import type { FastifyInstance } from 'fastify';
import { providerInputSchema, testWebSearchSchema } from '../websearch/provider-input.js';
import { callerOf, selfService } from './caller.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';
import { untilCallerLeaves } from './web-search.routes.js';

export function registerMyWebSearchRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/me/web-search', selfService, async (request) => deps.webSearch.mine(callerOf(request).userId));

  app.put('/me/web-search', selfService, async (request) => deps.webSearch.setMine(callerOf(request).userId, validate(providerInputSchema, request.body)));

  app.delete('/me/web-search', selfService, async (request) => deps.webSearch.removeMine(callerOf(request).userId));

  app.post('/me/web-search/test', selfService, async (request, reply) => deps.webSearch.testMine(callerOf(request).userId, validate(testWebSearchSchema, request.body), untilCallerLeaves(reply)));
}
