import type { BudgetEventRecord } from '../../api/types.js';
import type { DeliveryState } from '../notifications/notification-logic.js';

/**
 * A threshold crossed, as GET /admin/budget-events lists it, with where its notification stands
 * (`delivery`, and `delivered_at` once delivered). Declared over the server's record so the page
 * reads every state the notifications outbox reports.
 */
export type BudgetEvent = Omit<BudgetEventRecord, 'delivery'> & { delivery: DeliveryState; delivered_at?: string | null };
