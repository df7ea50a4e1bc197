import type { FastifyInstance } from 'fastify';
import { endpointInputSchema } from '../routing/endpoints.service.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

export function registerEndpointRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/endpoints', async () => ({ data: await deps.endpoints.list() }));

  app.post('/endpoints', async (request, reply) => {
    const input = validate(endpointInputSchema, request.body);
    return reply.code(201).send(await deps.endpoints.create(input));
  });

  app.delete<{ Params: { id: string } }>('/endpoints/:id', async (request, reply) => {
    await deps.endpoints.remove(request.params.id);
    return reply.code(204).send();
  });
}
