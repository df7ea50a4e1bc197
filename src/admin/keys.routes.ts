import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { keyListOwner, mayManageKey, newKeyOwner, newKeyTeam } from '../identity/access-policy.js';
import type { KeyWithOwner } from '../identity/keys.repo.js';
import { callerOf, selfService } from './caller.js';
import { envelope, listQuery } from './list-query.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';
import { iso, isoOrNull } from './wire-format.js';

const createBody = z
  .object({
    /** Required for admins; a member's keys are always their own. */
    user_email: z.email().optional(),
    name: z.string().trim().min(1).max(200).optional(),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    /** A team-owned key; by default the key belongs to its owner's team. */
    team_id: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** The request body of POST /admin/keys (shared with the CLI). */
export type CreateKeyBody = z.input<typeof createBody>;

const keysQuery = listQuery({ created_at: 'desc', prefix: 'asc', name: 'asc', user_email: 'asc', team_name: 'asc', status: 'asc' }, 'created_at', {
  user_email: z.email().optional(),
  team_id: z.string().trim().min(1).max(200).optional(),
  /** `revoked` lists revoked keys without include_revoked. */
  status: z.enum(['active', 'expired', 'revoked']).optional(),
  include_revoked: z.enum(['true', 'false']).optional(),
});


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
    team_name: key.team_name,
    status: expired ? 'expired' : key.status,
    expires_at: isoOrNull(key.expires_at),
    created_at: iso(key.created_at),
    revoked_at: isoOrNull(key.revoked_at),
  };
}

/** A key as the admin API shows it (shared with the CLI). */
export type KeyView = ReturnType<typeof presentKey>;

export function registerKeyRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/keys', selfService, async (request) => {
    const query = validate(keysQuery, request.query);
    const userEmail = keyListOwner(callerOf(request), query.user_email);
    const now = Date.now();
    const { rows, total } = await deps.keys.page({ ...query, userEmail, teamId: query.team_id, includeRevoked: query.include_revoked === 'true', now });
    return envelope(rows.map((key) => presentKey(key, now)), total, query);
  });

  app.post('/keys', selfService, async (request, reply) => {
    const body = validate(createBody, request.body);
    const caller = callerOf(request);
    const { key, record } = await deps.keys.create({
      userEmail: newKeyOwner(caller, body.user_email),
      name: body.name ?? null,
      expiresAt: body.expires_at ? Date.parse(body.expires_at) : null,
      teamId: newKeyTeam(caller, body.team_id) ?? null,
    });
    return reply.code(201).send({ key, ...presentKey(record) });
  });

  const revoke = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const caller = callerOf(request);
    const revoked = await deps.keys.revoke(request.params.id, (key) => mayManageKey(caller, key));
    return presentKey(revoked);
  };
  app.post<{ Params: { id: string } }>('/keys/:id/revoke', selfService, revoke);
  app.delete<{ Params: { id: string } }>('/keys/:id', selfService, revoke);
}
