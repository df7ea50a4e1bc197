import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminApiKeyWithOwner } from '../identity/admin-api-keys.repo.js';
import { envelope, listQuery } from './list-query.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';
import { iso, isoOrNull } from './wire-format.js';

const createBody = z.object({ name: z.string().trim().min(1).max(200) }).strict();

const keysQuery = listQuery({ created_at: 'desc', name: 'asc', prefix: 'asc', owner_email: 'asc', status: 'asc' }, 'created_at');

/** The request body of POST /admin/api-keys (shared with the CLI). */
export type CreateAdminApiKeyBody = z.input<typeof createBody>;


/** The whitelist of admin API key fields the API shows; the hash never leaves the server. */
export function presentAdminApiKey(key: AdminApiKeyWithOwner) {
  return {
    id: key.id,
    prefix: key.prefix,
    name: key.name,
    owner_email: key.owner_email,
    status: key.status,
    created_at: iso(key.created_at),
    last_used_at: isoOrNull(key.last_used_at),
    revoked_at: isoOrNull(key.revoked_at),
  };
}

/** An admin API key as the admin API shows it (shared with the CLI). */
export type AdminApiKeyView = ReturnType<typeof presentAdminApiKey>;

export function registerAdminApiKeyRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/api-keys', async (request) => {
    const query = validate(keysQuery, request.query);
    const { rows, total } = await deps.adminKeys.page(query);
    return envelope(rows.map(presentAdminApiKey), total, query);
  });

  // The caller owns the new key: nobody can mint a credential that acts as another admin.
  app.post('/api-keys', async (request, reply) => {
    const body = validate(createBody, request.body);
    const { key, record } = await deps.adminKeys.create(request.adminUser!.userId, body.name);
    return reply.code(201).send({ key, ...presentAdminApiKey(record) });
  });

  app.post<{ Params: { id: string } }>('/api-keys/:id/revoke', async (request) => presentAdminApiKey(await deps.adminKeys.revoke(request.params.id)));
}
