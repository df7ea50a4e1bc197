import type { TeamRecord } from '../../api/types.js';
import type { BudgetPeriod } from '../budgets/budget-logic.js';

// Wire shape of GET /admin/teams rows (portal-contract §2): the team plus its own budget (null
// when it has none) and its spend: the budget period's when it has a budget, else the UTC month's.
export interface TeamBudget {
  id: string;
  amount_usd: number;
  period: BudgetPeriod;
  resets_at: string;
  spent_usd: number;
  percent: number;
}

export interface TeamRow extends TeamRecord {
  budget: TeamBudget | null;
  spend: { usd: number; since: string };
}
