import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { UserWithTeam } from '../identity/users.repo.js';
import type { BudgetSpend } from '../limits/budgets/budget-overview.js';
import { envelope, listQuery } from './list-query.js';
import { iso, percentOf, usd } from './wire-format.js';
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

const usersQuery = listQuery({ email: 'asc', created_at: 'desc', role: 'asc', status: 'asc', team_name: 'asc' }, 'email', {
  team_id: teamId.optional(),
  status: status.optional(),
  role: role.optional(),
});

/** Request bodies of POST and PATCH /admin/users (shared with the CLI). */
export type CreateUserBody = z.input<typeof createBody>;
export type UpdateUserBody = z.input<typeof updateBody>;

/** Where a user's budget comes from (BudgetBook.userBudget): their own, their team's per-member default, or the global default. */
type UserBudgetSource = 'user' | 'team_default' | 'global_default';

function presentUserBudget(applied: BudgetSpend | undefined) {
  if (!applied) return null;
  const { budget, window, spentMicros } = applied;
  return {
    amount_usd: usd(budget.amountMicros),
    period: budget.period,
    source: budget.subjectType as UserBudgetSource,
    spent_usd: usd(spentMicros),
    percent: percentOf(spentMicros, budget.amountMicros),
    resets_at: iso(window.end),
  };
}

/** The whitelist of user fields the API shows; the password hash never leaves the server. */
export function presentUser(user: UserWithTeam, budget: BudgetSpend | undefined) {
  return {
    id: user.id,
    email: user.email,
    display_name: user.display_name,
    role: user.role,
    status: user.status,
    team_id: user.team_id,
    team_name: user.team_name,
    /** The budget that applies to the user, with their spend in its current period. */
    budget: presentUserBudget(budget),
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
  };
}

/** A user as the admin API shows it (shared with the CLI). */
export type UserView = ReturnType<typeof presentUser>;

export function registerUserRoutes(app: FastifyInstance, deps: AdminDeps): void {
  /** Users with their budgets: one grouped spend query for all of them. */
  const presentAll = async (users: readonly UserWithTeam[]) => {
    const budgets = await deps.budgetOverview.forUsers(users.map((user) => ({ id: user.id, teamId: user.team_id })));
    return users.map((user) => presentUser(user, budgets.get(user.id)));
  };
  const present = async (user: UserWithTeam) => (await presentAll([user]))[0]!;

  app.get('/users', async (request) => {
    const query = validate(usersQuery, request.query);
    const { rows, total } = await deps.users.page({ ...query, teamId: query.team_id });
    return envelope(await presentAll(rows), total, query);
  });

  app.post('/users', async (request, reply) => {
    const body = validate(createBody, request.body);
    const user = await deps.users.create({ email: body.email, displayName: body.display_name, role: body.role, teamId: body.team_id });
    return reply.code(201).send(await present(user));
  });

  app.get<{ Params: { id: string } }>('/users/:id', async (request) => present(await deps.users.get(request.params.id)));

  app.patch<{ Params: { id: string } }>('/users/:id', async (request) => {
    const body = validate(updateBody, request.body);
    return present(await deps.users.update(request.params.id, body));
  });

  app.post<{ Params: { id: string } }>('/users/:id/deactivate', async (request) => present(await deps.users.deactivate(request.params.id)));
  app.post<{ Params: { id: string } }>('/users/:id/reactivate', async (request) => present(await deps.users.reactivate(request.params.id)));

  app.post<{ Params: { id: string } }>('/users/:id/sessions/revoke', async (request) => ({
    user_id: request.params.id,
    sessions_revoked: await deps.users.revokeSessions(request.params.id),
  }));

  app.delete<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    await deps.users.delete(request.params.id);
    return reply.code(204).send();
  });
}
