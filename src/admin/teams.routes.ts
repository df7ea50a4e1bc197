import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TeamWithCounts } from '../identity/teams.repo.js';
import type { TeamSpend } from '../limits/budgets/budget-overview.js';
import { envelope, listQuery, pageInMemory, type ListEnvelope } from './list-query.js';
import { iso, percentOf, usd } from './wire-format.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const teamBody = z.object({ name: z.string().trim().min(1).max(200) }).strict();

const teamsQuery = listQuery({ name: 'asc', member_count: 'desc', key_count: 'desc', spent_usd: 'desc', created_at: 'desc' }, 'name');

/** The request body of POST and PATCH /admin/teams (shared with the CLI). */
export type TeamBody = z.input<typeof teamBody>;

/** The whitelist of team fields the API shows. */
export function presentTeam(team: TeamWithCounts, spend: TeamSpend) {
  const own = spend.budget;
  return {
    id: team.id,
    name: team.name,
    member_count: team.member_count,
    key_count: team.key_count,
    /** The team's own budget (not the per-member default) with its spend this period. */
    budget: own
      ? {
          id: own.budget.id,
          amount_usd: usd(own.budget.amountMicros),
          period: own.budget.period,
          resets_at: iso(own.window.end),
          spent_usd: usd(own.spentMicros),
          percent: percentOf(own.spentMicros, own.budget.amountMicros),
        }
      : null,
    /** Spend in the budget's period, or in the current UTC month without a budget. */
    spend: { usd: usd(spend.spentMicros), since: iso(spend.since) },
    created_at: iso(team.created_at),
    updated_at: iso(team.updated_at),
  };
}

/** A team as the admin API shows it (shared with the CLI). */
export type TeamView = ReturnType<typeof presentTeam>;

export function registerTeamRoutes(app: FastifyInstance, deps: AdminDeps): void {
  /** Teams with their budgets and spend: one grouped spend query for all of them. */
  const presentAll = async (teams: readonly TeamWithCounts[]) => {
    const spend = await deps.budgetOverview.forTeams(teams.map((team) => team.id));
    return teams.map((team) => presentTeam(team, spend.get(team.id)!));
  };
  const present = async (team: TeamWithCounts) => (await presentAll([team]))[0]!;

  app.get('/teams', async (request): Promise<ListEnvelope<TeamView>> => {
    const query = validate(teamsQuery, request.query);
    if (query.sort !== 'spent_usd') {
      const { rows, total } = await deps.teams.page({ ...query, sort: query.sort });
      return envelope(await presentAll(rows), total, query);
    }
    // Spend lives in the ledger and each team's budget period in memory, so SQL cannot order by
    // it: every matching team (teams are few) is measured, then sorted and paged here.
    const { rows } = await deps.teams.page({ ...query, sort: 'name', order: 'asc', limit: null });
    return pageInMemory(await presentAll(rows), { ...query, sort: query.sort, q: undefined }, { sort: { spent_usd: (team) => team.spend.usd } });
  });

  app.post('/teams', async (request, reply) => {
    const { name } = validate(teamBody, request.body);
    return reply.code(201).send(await present(await deps.teams.create(name)));
  });

  app.get<{ Params: { id: string } }>('/teams/:id', async (request) => present(await deps.teams.get(request.params.id)));

  app.patch<{ Params: { id: string } }>('/teams/:id', async (request) => {
    const { name } = validate(teamBody, request.body);
    return present(await deps.teams.rename(request.params.id, name));
  });

  app.delete<{ Params: { id: string } }>('/teams/:id', async (request, reply) => {
    await deps.teams.delete(request.params.id);
    return reply.code(204).send();
  });
}
