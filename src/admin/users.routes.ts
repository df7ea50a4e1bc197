import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { UserWithTeam } from '../identity/users.repo.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const role = z.enum(['admin', 'member']);
const status = z.enum(['active', 'deactivated']);
const displayName = z.string().trim().min(1).max(200);
const teamId = z.string().trim().min(1).max(200);

const createBody = z
  .object({
    email: z.email().max(320),
    display_name: displayName.optional(),
    role: role.optional(),
    team_id: teamId.optional(),
  })
  .strict();

/** Every field is optional; `null` clears the display name or takes the user out of their team. */
const updateBody = z
  .object({
    display_name: displayName.nullable().optional(),
    role: role.optional(),
    status: status.optional(),
    team_id: teamId.nullable().optional(),
  })
  .strict();

const listQuery = z.object({ team_id: teamId.optional(), status: status.optional() });

/** Request bodies of POST and PATCH /admin/users (shared with the CLI). */
export type CreateUserBody = z.input<typeof createBody>;
export type UpdateUserBody = z.input<typeof updateBody>;

const iso = (ms: number) => new Date(ms).toISOString();

/** The whitelist of user fields the API shows; the password hash never leaves the server. */
export function presentUser(user: UserWithTeam) {
  return {
    id: user.id,
    email: user.email,
    display_name: user.display_name,
    role: user.role,
    status: user.status,
    team_id: user.team_id,
    team_name: user.team_name,
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
  };
}

/** A user as the admin API shows it (shared with the CLI). */
export type UserView = ReturnType<typeof presentUser>;

export function registerUserRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/users', async (request) => {
    const query = validate(listQuery, request.query);
    const users = await deps.users.list({ teamId: query.team_id, status: query.status });
    return { data: users.map(presentUser) };
  });

  app.post('/users', async (request, reply) => {
    const body = validate(createBody, request.body);
    const user = await deps.users.create({ email: body.email, displayName: body.display_name, role: body.role, teamId: body.team_id });
    return reply.code(201).send(presentUser(user));
  });

  app.get<{ Params: { id: string } }>('/users/:id', async (request) => presentUser(await deps.users.get(request.params.id)));

  app.patch<{ Params: { id: string } }>('/users/:id', async (request) => {
    const body = validate(updateBody, request.body);
    return presentUser(await deps.users.update(request.params.id, body));
  });

  app.post<{ Params: { id: string } }>('/users/:id/deactivate', async (request) => presentUser(await deps.users.deactivate(request.params.id)));
  app.post<{ Params: { id: string } }>('/users/:id/reactivate', async (request) => presentUser(await deps.users.reactivate(request.params.id)));

  app.post<{ Params: { id: string } }>('/users/:id/sessions/revoke', async (request) => ({
    user_id: request.params.id,
    sessions_revoked: await deps.users.revokeSessions(request.params.id),
  }));

  app.delete<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    await deps.users.delete(request.params.id);
    return reply.code(204).send();
  });
}
