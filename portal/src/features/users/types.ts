import type { UserRecord } from '../../api/types.js';
import type { BudgetPeriod } from '../budgets/budget-logic.js';

// Wire shape of GET /admin/users rows (portal-contract §2): the user plus the budget that applies
// to them as the budget book decides (their own, else their team's default, else the global
// default), with this period's spend; null when none applies.
export interface UserBudget {
  amount_usd: number;
  period: BudgetPeriod;
  source: 'user' | 'team_default' | 'global_default';
  spent_usd: number;
  percent: number;
  resets_at: string;
}

export interface UserRow extends UserRecord {
  budget: UserBudget | null;
}
