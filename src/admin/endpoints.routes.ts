import type { FastifyInstance } from 'fastify';
import { endpointInputSchema, endpointPatchSchema } from '../routing/endpoints.service.js';
import { listQuery, pageInMemory } from './list-query.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const endpointsQuery = listQuery({ priority: 'asc', name: 'asc', kind: 'asc', enabled: 'desc', created_at: 'desc' }, 'priority');

type ById = { Params: { id: string } };

/** A check of an unsaved endpoint needs no name yet: the form may still be empty there. */
function withPlaceholderName(body: unknown): unknown {
  return typeof body === 'object' && body !== null && !('name' in body) ? { ...body, name: 'unsaved' } : body;
}

export function registerEndpointRoutes(app: FastifyInstance, deps: AdminDeps): void {
  // Listed in routing order (priority, then age), so equal priorities keep it.
  // The pool as this replica sees it: state, cooldown, in-flight and rate-limit utilization (from memory).
  app.get('/endpoints/health', async () => ({ data: deps.pool.health() }));

  app.get('/endpoints', async (request) => {
    const query = validate(endpointsQuery, request.query);
    return pageInMemory(await deps.endpoints.list(), query, {
      sort: { priority: (e) => e.priority, name: (e) => e.name, kind: (e) => e.kind, enabled: (e) => e.enabled, created_at: (e) => e.created_at },
      text: (e) => [e.name, e.kind],
    });
  });

  app.post('/endpoints', async (request, reply) => {
    const input = validate(endpointInputSchema, request.body);
    return reply.code(201).send(await deps.endpoints.create(input));
  });

  app.post('/endpoints/validate', async (request) => {
    const input = validate(endpointInputSchema, withPlaceholderName(request.body));
    return deps.endpoints.checkUnsaved(input);
  });

  app.get<ById>('/endpoints/:id', async (request) => deps.endpoints.get(request.params.id));

  app.patch<ById>('/endpoints/:id', async (request) => {
    const patch = validate(endpointPatchSchema, request.body);
    return deps.endpoints.update(request.params.id, patch);
  });

  app.post<ById>('/endpoints/:id/default', async (request) => deps.endpoints.setDefault(request.params.id));

  app.post<ById>('/endpoints/:id/validate', async (request) => deps.endpoints.check(request.params.id));

  app.get<ById>('/endpoints/:id/models', async (request) => ({ data: await deps.endpoints.models(request.params.id) }));

  app.get<ById>('/endpoints/:id/quotas', async (request) => deps.endpoints.quotas(request.params.id));

  app.delete<ById>('/endpoints/:id', async (request, reply) => {
    await deps.endpoints.remove(request.params.id);
    return reply.code(204).send();
  });
}
