/**
 * The budget events (spec §8) one settle raises: every threshold rule the settled spend went
 * across with this request's cost (prior < threshold ≤ after). Counters add each settle
 * atomically, so under concurrency exactly one settle sees a given threshold crossed; the events
 * table's unique constraint still guards against a counter re-seeded from the ledger.
 */
import type { ThresholdRule } from '../budget-policy.js';
import type { CounterStanding } from '../contracts.js';
import type { BudgetEventInput } from './budget-events.repo.js';
import type { MeasuredBudget } from './budget-standing.js';

const EVENT_KIND = { notify: 'warning', shape: 'shaped', block: 'blocked' } as const;
const SEVERITY = { notify: 'warning', shape: 'warning', block: 'critical' } as const;

/** Every event type a settle raises: `budget_*` for user and key budgets, `team_budget_*` for team budgets. */
export const BUDGET_EVENT_TYPES = ['budget_warning', 'budget_shaped', 'budget_blocked', 'team_budget_warning', 'team_budget_shaped', 'team_budget_blocked'] as const;
export type BudgetEventType = (typeof BUDGET_EVENT_TYPES)[number];

/** An event's `detail` column (spec §8), as stored and as the admin API reads it back. */
export interface BudgetEventDetail {
  readonly threshold_percent: number;
  readonly spend_usd: number;
  readonly limit_usd: number;
  readonly percent: number;
  readonly period: string;
  readonly period_start: string;
  readonly budget_id: string;
  readonly subject_type: string;
}

export function crossedThresholds(
  measured: readonly MeasuredBudget[],
  after: readonly CounterStanding[],
  actualMicros: number,
  principal: { readonly userId: string; readonly teamId: string | null },
): BudgetEventInput[] {
  // A counter forgotten meanwhile (its period long over) has nothing to cross.
  if (after.length !== measured.length || actualMicros <= 0) return [];
  return measured.flatMap(({ budget, subject, window }, index) => {
    const spent = after[index]!.spentMicros;
    const prior = spent - actualMicros;
    const crossed = (rule: ThresholdRule) => {
      const at = (budget.amountMicros * rule.percent) / 100;
      return prior < at && spent >= at;
    };
    return budget.rules.filter(crossed).map((rule) => ({
      subject_type: subject.type,
      subject_id: subject.id,
      threshold_percent: rule.percent,
      period_start: window.start,
      event_type: `${subject.type === 'team' ? 'team_' : ''}budget_${EVENT_KIND[rule.action]}` satisfies BudgetEventType,
      severity: SEVERITY[rule.action],
      user_id: subject.type === 'team' ? null : principal.userId,
      team_id: principal.teamId,
      detail: JSON.stringify({
        threshold_percent: rule.percent,
        spend_usd: spent / 1e6,
        limit_usd: budget.amountMicros / 1e6,
        percent: Math.round((spent / budget.amountMicros) * 1000) / 10,
        period: budget.period,
        period_start: new Date(window.start).toISOString(),
        budget_id: budget.id,
        subject_type: budget.subjectType,
      } satisfies BudgetEventDetail),
    }));
  });
}
