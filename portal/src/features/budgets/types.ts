import type { BudgetRecord } from '../../api/types.js';
import type { BudgetPeriod, BudgetStatus, BudgetSubjectType, ThresholdRule } from './budget-logic.js';

// Wire shape of GET /admin/budgets rows (portal-contract §2): the budget plus its subject's name
// ("dev@example.com", "Platform", "sk-ccag-ab12", "Default for Platform", "Global default") and
// the requests its subject made this period (null for the defaults, which have no one subject).
export interface BudgetRow extends BudgetRecord {
  subject_name: string;
  requests: number | null;
}

// Wire shape of GET /admin/me/budgets rows (portal-contract §2): a budget that applies to the caller.
export interface MyBudget {
  subject_type: BudgetSubjectType;
  subject_name: string;
  amount_usd: number;
  period: BudgetPeriod;
  spent_usd: number;
  percent: number;
  resets_at: string;
  status: BudgetStatus;
  /**
   * Not in portal-contract §2: the page lists what happens at each threshold when the route sends
   * the budget's rules, else it explains the current status only.
   */
  rules?: ThresholdRule[];
}
