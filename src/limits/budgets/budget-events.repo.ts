/**
 * Budget events (spec §8), stored for later delivery. "Once per (subject, threshold, period)" is
 * the table's unique constraint: concurrent settles on any replica may all try, one row remains.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { BudgetEventsTable, Database } from '../../store/schema.js';

export type BudgetEventRow = Selectable<BudgetEventsTable>;
export type BudgetEventInput = Omit<BudgetEventRow, 'id' | 'created_at'>;

export function createBudgetEventsRepo(db: Kysely<Database>, clock: () => number = Date.now) {
  return {
    /** Inserts the event unless its (subject, threshold, period) already has one. */
    async record(event: BudgetEventInput): Promise<void> {
      await db
        .insertInto('budget_events')
        .values({ id: randomUUID(), created_at: clock(), ...event })
        .onConflict((conflict) => conflict.columns(['subject_type', 'subject_id', 'threshold_percent', 'period_start']).doNothing())
        .execute();
    },
  };
}

export type BudgetEventsRepo = ReturnType<typeof createBudgetEventsRepo>;
