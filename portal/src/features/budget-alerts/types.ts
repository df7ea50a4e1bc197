import type { BudgetEventRecord } from '../../api/types.js';

/** A threshold crossed, as GET /admin/budget-events lists it. */
export type BudgetEvent = BudgetEventRecord;
