/**
 * Where a request's budgets stand, shared by the budget gate, GET /api/oauth/usage and the
 * portal's "my budgets" (GET /admin/me/budgets): each applied budget in its current period with the
 * reservation counter it uses, and the view of it the headers and usage answers are made from.
 */
import type { SpendTotals } from '../../spend/spend-totals.js';
import { periodWindow } from '../budget-period.js';
import { blockAtMicros, standing } from '../budget-policy.js';
import type { CounterStanding, Reservations, ReserveLine } from '../contracts.js';
import type { AppliedBudget } from './budget-book.js';
import type { BudgetView } from './budget-headers.js';

/** One applied budget in its current period, with the counter it reserves on. */
export interface MeasuredBudget extends AppliedBudget {
  readonly window: { readonly start: number; readonly end: number };
  readonly line: ReserveLine;
}

export function measure(applied: AppliedBudget, spend: SpendTotals, now: number): MeasuredBudget {
  const { budget, subject } = applied;
  const window = periodWindow(budget.period, budget.timeZone, now);
  return {
    ...applied,
    window,
    line: {
      key: `${subject.type}:${subject.id}:${budget.period}:${window.start}`,
      capMicros: blockAtMicros(budget.rules, budget.amountMicros),
      strict: budget.strict,
      expiresAt: window.end,
      seed: () => spend.spentBetween(subject, window.start, window.end),
    },
  };
}

export function viewOf(measured: MeasuredBudget, counter: CounterStanding): BudgetView {
  const committedMicros = counter.spentMicros + counter.reservedMicros;
  const where = standing(measured.budget.rules, measured.budget.amountMicros, committedMicros);
  return {
    period: measured.budget.period,
    window: measured.window,
    limitMicros: measured.budget.amountMicros,
    committedMicros,
    percent: where.percent,
    status: where.status,
    shapeRpm: where.shapeRpm,
  };
}

/** The index of the most constraining budget: the highest percent used. */
export function speakerOf(views: readonly BudgetView[]): number {
  let best = 0;
  for (let index = 1; index < views.length; index++) if (views[index]!.percent > views[best]!.percent) best = index;
  return best;
}


/** An applied budget measured now, with where its counter stands (settled spend plus live reservations). */
export interface StandingNow {
  readonly measured: MeasuredBudget;
  readonly view: BudgetView;
}

export function standingsOf(applied: readonly AppliedBudget[], spend: SpendTotals, reservations: Pick<Reservations, 'standing'>, now: number): Promise<StandingNow[]> {
  return Promise.all(
    applied.map(async (item) => {
      const measured = measure(item, spend, now);
      return { measured, view: viewOf(measured, await reservations.standing(measured.line)) };
    }),
  );
}
