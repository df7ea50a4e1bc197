/**
 * Budgets as the admin API shows them beside users and teams, and as a member sees their own.
 * Which budget applies comes from the budget book in memory, exactly as the budget gate decides;
 * spend for a whole page comes from one grouped ledger query per period (window-totals.ts), never
 * one query per row. A member's own view adds live reservations, like Claude Code's /usage.
 */
import type { SpendTotals } from '../../spend/spend-totals.js';
import { periodWindow, type PeriodWindow } from '../budget-period.js';
import type { Reservations } from '../contracts.js';
import type { AppliedBudget, Budget, BudgetBook } from './budget-book.js';
import { standingsOf, type StandingNow } from './budget-standing.js';
import { totalsInWindows } from './window-totals.js';

/** A budget in its current period with the settled spend (the ledger) of its subject. */
export interface BudgetSpend {
  readonly budget: Budget;
  readonly window: PeriodWindow;
  readonly spentMicros: number;
}

export interface TeamSpend {
  /** The team's own budget, if it has one. */
  readonly budget: BudgetSpend | undefined;
  /** The team's spend in its budget's period, else in the current UTC month. */
  readonly spentMicros: number;
  readonly since: number;
}

export interface BudgetOverviewDeps {
  readonly book: Pick<BudgetBook, 'applicable' | 'userBudget' | 'own'>;
  readonly spend: SpendTotals;
  readonly reservations: Pick<Reservations, 'standing'>;
  readonly clock?: () => number;
}

export function createBudgetOverview(deps: BudgetOverviewDeps) {
  const clock = deps.clock ?? Date.now;
  const windowOf = (budget: Budget, now: number) => periodWindow(budget.period, budget.timeZone, now);

  return {
    /** Each user's budget (their own, their team's per-member default or the global default), by user id. */
    async forUsers(users: ReadonlyArray<{ readonly id: string; readonly teamId: string | null }>): Promise<Map<string, BudgetSpend>> {
      const now = clock();
      const budgeted = users.flatMap((user) => {
        const budget = deps.book.userBudget(user.id, user.teamId);
        return budget ? [{ id: user.id, budget, window: windowOf(budget, now) }] : [];
      });
      const totals = await totalsInWindows(deps.spend, budgeted.map(({ id, window }) => ({ subject: { type: 'user', id }, window })));
      return new Map(budgeted.map(({ id, budget, window }, index) => [id, { budget, window, spentMicros: totals[index]!.micros }]));
    },

    /** Each team's own budget and spend, by team id. */
    async forTeams(teamIds: readonly string[]): Promise<Map<string, TeamSpend>> {
      const now = clock();
      const month = periodWindow('monthly', 'UTC', now);
      const teams = teamIds.map((id) => {
        const budget = deps.book.own('team', id);
        return { id, budget, window: budget ? windowOf(budget, now) : month };
      });
      const totals = await totalsInWindows(deps.spend, teams.map(({ id, window }) => ({ subject: { type: 'team', id }, window })));
      return new Map(
        teams.map(({ id, budget, window }, index) => {
          const spentMicros = totals[index]!.micros;
          return [id, { budget: budget && { budget, window, spentMicros }, spentMicros, since: window.start }];
        }),
      );
    },

    /**
     * The budgets that apply to a caller's requests (their user budget, their team's, each of their
     * keys') and where each stands now, live reservations included.
     */
    forCaller(caller: { readonly userId: string; readonly teamId: string | null; readonly keyIds: readonly string[] }): Promise<StandingNow[]> {
      const keyBudgets = caller.keyIds.flatMap((id): AppliedBudget[] => {
        const budget = deps.book.own('key', id);
        return budget ? [{ budget, subject: { type: 'key', id } }] : [];
      });
      const applied = [...deps.book.applicable({ userId: caller.userId, teamId: caller.teamId, keyId: null }), ...keyBudgets];
      return standingsOf(applied, deps.spend, deps.reservations, clock());
    },
  };
}

export type BudgetOverview = ReturnType<typeof createBudgetOverview>;
