/**
 * A budget's standing as a usage bar shows it: how full, and whether it is fine, close to its
 * limit, or at it. The member route says the standing itself (`status`, from the budget's own
 * rules); for the admin list, which has no status, 80% and 100% stand in for the default rules.
 * Pure: test/portal/budget-standing.test.ts.
 */

export type BudgetLevel = 'ok' | 'warning' | 'blocked';

/** The `status` GET /admin/me/budgets gives each budget. */
export type BudgetStatus = 'ok' | 'warning' | 'shaped' | 'blocked';

const WARNING_PERCENT = 80;

export function budgetLevel(percent: number | null, status?: BudgetStatus): BudgetLevel {
  if (status) return status === 'ok' ? 'ok' : status === 'blocked' ? 'blocked' : 'warning';
  if (percent === null) return 'ok';
  return percent >= 100 ? 'blocked' : percent >= WARNING_PERCENT ? 'warning' : 'ok';
}

/** The bar's fill, 0–100: an overspent budget fills the bar, it does not overflow it. */
export function meterPercent(percent: number | null): number {
  if (percent === null || !Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, percent));
}

const LEVEL_TEXT: Record<BudgetLevel, string> = { ok: 'within budget', warning: 'close to the limit', blocked: 'at or over the limit' };

export const budgetLevelText = (level: BudgetLevel) => LEVEL_TEXT[level];
