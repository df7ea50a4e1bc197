import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TeamWithCounts } from '../identity/teams.repo.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const teamBody = z.object({ name: z.string().trim().min(1).max(200) }).strict();

/** The request body of POST and PATCH /admin/teams (shared with the CLI). */
export type TeamBody = z.input<typeof teamBody>;

/** The whitelist of team fields the API shows. */
export function presentTeam(team: TeamWithCounts) {
  return {
    id: team.id,
    name: team.name,
    member_count: team.member_count,
    key_count: team.key_count,
    created_at: new Date(team.created_at).toISOString(),
    updated_at: new Date(team.updated_at).toISOString(),
  };
}

/** A team as the admin API shows it (shared with the CLI). */
export type TeamView = ReturnType<typeof presentTeam>;

export function registerTeamRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/teams', async () => ({ data: (await deps.teams.list()).map(presentTeam) }));

  app.post('/teams', async (request, reply) => {
    const { name } = validate(teamBody, request.body);
    return reply.code(201).send(presentTeam(await deps.teams.create(name)));
  });

  app.get<{ Params: { id: string } }>('/teams/:id', async (request) => presentTeam(await deps.teams.get(request.params.id)));

  app.patch<{ Params: { id: string } }>('/teams/:id', async (request) => {
    const { name } = validate(teamBody, request.body);
    return presentTeam(await deps.teams.rename(request.params.id, name));
  });

  app.delete<{ Params: { id: string } }>('/teams/:id', async (request, reply) => {
    await deps.teams.delete(request.params.id);
    return reply.code(204).send();
  });
}
