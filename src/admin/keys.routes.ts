import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { KeyWithOwner } from '../identity/keys.repo.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const createBody = z
  .object({
    user_email: z.email(),
    name: z.string().trim().min(1).max(200).optional(),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    /** A team-owned key; by default the key belongs to its owner's team. */
    team_id: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** The request body of POST /admin/keys (shared with the CLI). */
export type CreateKeyBody = z.input<typeof createBody>;

const listQuery = z.object({
  user_email: z.email().optional(),
  include_revoked: z.enum(['true', 'false']).optional(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The whitelist of key fields the API shows; the hash never leaves the server. */
export function presentKey(key: KeyWithOwner, now = Date.now()) {
  const expired = key.status === 'active' && key.expires_at !== null && key.expires_at <= now;
  return {
    id: key.id,
    prefix: key.prefix,
    name: key.name,
    user_id: key.user_id,
    user_email: key.user_email,
    team_id: key.team_id,
    status: expired ? 'expired' : key.status,
    expires_at: iso(key.expires_at),
    created_at: iso(key.created_at),
    revoked_at: iso(key.revoked_at),
  };
}

/** A key as the admin API shows it (shared with the CLI). */
export type KeyView = ReturnType<typeof presentKey>;

export function registerKeyRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/keys', async (request) => {
    const query = validate(listQuery, request.query);
    const keys = await deps.keys.list({ userEmail: query.user_email, includeRevoked: query.include_revoked === 'true' });
    return { data: keys.map((key) => presentKey(key)) };
  });

  app.post('/keys', async (request, reply) => {
    const body = validate(createBody, request.body);
    const { key, record } = await deps.keys.create({
      userEmail: body.user_email,
      name: body.name ?? null,
      expiresAt: body.expires_at ? Date.parse(body.expires_at) : null,
      teamId: body.team_id ?? null,
    });
    return reply.code(201).send({ key, ...presentKey(record) });
  });

  app.post<{ Params: { id: string } }>('/keys/:id/revoke', async (request) => presentKey(await deps.keys.revoke(request.params.id)));
  app.delete<{ Params: { id: string } }>('/keys/:id', async (request) => presentKey(await deps.keys.revoke(request.params.id)));
}
