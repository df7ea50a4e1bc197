import type { FastifyInstance } from 'fastify';
import { endpointInputSchema } from '../routing/endpoints.service.js';
import { listQuery, pageInMemory } from './list-query.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const endpointsQuery = listQuery({ priority: 'asc', name: 'asc', kind: 'asc', enabled: 'desc', created_at: 'desc' }, 'priority');

export function registerEndpointRoutes(app: FastifyInstance, deps: AdminDeps): void {
  // Listed in routing order (priority, then age), so equal priorities keep it.
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

  app.delete<{ Params: { id: string } }>('/endpoints/:id', async (request, reply) => {
    await deps.endpoints.remove(request.params.id);
    return reply.code(204).send();
  });
}
