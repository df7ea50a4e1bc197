/**
 * GET /admin/me/budgets (members too): the budgets that apply to the caller's own requests (their
 * user budget, their team's, their keys') and where each stands now, reservations included, the
 * way the budget gate and Claude Code's /usage see them. Nothing here names another user.
 */
import type { FastifyInstance } from 'fastify';
import type { SubjectNames } from '../identity/subject-names.repo.js';
import type { StandingNow } from '../limits/budgets/budget-standing.js';
import { budgetSubjectName } from './budget-names.js';
import { callerOf, selfService } from './caller.js';
import { iso, percentOf, usd } from './wire-format.js';
import type { AdminDeps } from './plugin.js';

export function presentMyBudget({ measured, view }: StandingNow, names: SubjectNames) {
  return {
    subject_type: measured.budget.subjectType,
    subject_name: budgetSubjectName(measured.budget, names),
    amount_usd: usd(measured.budget.amountMicros),
    period: measured.budget.period,
    /** The thresholds and what happens at each: a member should know when they will be slowed or stopped. */
    rules: measured.budget.rules,
    /** Strict: a request is admitted only when its worst case fits what remains (docs/budgets.md). */
    strict: measured.budget.strict,
    /** Settled spend plus requests still running. */
    spent_usd: usd(view.committedMicros),
    percent: percentOf(view.committedMicros, view.limitMicros),
    resets_at: iso(view.window.end),
    status: view.status,
  };
}

/** One of the caller's budgets as the admin API shows it (shared with the CLI). */
export type MyBudgetView = ReturnType<typeof presentMyBudget>;

export function registerMyBudgetRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/me/budgets', selfService, async (request) => {
    const caller = callerOf(request);
    const [user, keys] = await Promise.all([deps.users.get(caller.userId), deps.keys.list({ userEmail: caller.email })]);
    const standings = await deps.budgetOverview.forCaller({ userId: user.id, teamId: user.team_id, keyIds: keys.map((key) => key.id) });
    // Every name is the caller's own: their email, their team's name, their keys' prefixes.
    const names: SubjectNames = {
      user: new Map([[user.id, user.email]]),
      team: new Map(user.team_id !== null && user.team_name !== null ? [[user.team_id, user.team_name]] : []),
      key: new Map(keys.map((key) => [key.id, key.prefix])),
    };
    return { data: standings.map((standing) => presentMyBudget(standing, names)) };
  });
}
