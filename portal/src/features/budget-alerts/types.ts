import type { BudgetPeriod } from '../budgets/budget-logic.js';
import type { AlertEventType } from './alert-logic.js';

// Wire shape of GET /admin/budget-events rows (portal-contract §2): one threshold crossed by one
// subject in one period. `delivery` is always "not_configured" until notifications exist.
export interface BudgetEvent {
  id: string;
  created_at: string;
  event_type: AlertEventType;
  severity: 'warning' | 'critical';
  subject_type: 'user' | 'team' | 'key';
  subject_id: string;
  subject_name: string;
  user_id: string | null;
  user_email: string | null;
  team_id: string | null;
  team_name: string | null;
  threshold_percent: number;
  spend_usd: number;
  limit_usd: number;
  percent: number;
  period: BudgetPeriod;
  period_start: string;
  delivery: 'not_configured';
}
