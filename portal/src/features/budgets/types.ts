import type { BudgetRecord, MyBudgetRecord } from '../../api/types.js';

/** A budget as GET /admin/budgets lists it: with its subject's name and this period's requests. */
export type BudgetRow = BudgetRecord;
/** A budget that applies to the signed-in user (GET /admin/me/budgets). */
export type MyBudget = MyBudgetRecord;
