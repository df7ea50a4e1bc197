/** The budgets table: one live row per subject; removal is a soft delete so replicas see it. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { BudgetsTable, Database } from '../../store/schema.js';

export type BudgetRow = Selectable<BudgetsTable>;
export type SubjectType = BudgetsTable['subject_type'];

export interface BudgetInput {
  readonly subjectType: SubjectType;
  readonly subjectId: string;
  readonly amountMicros: number;
  readonly period: BudgetsTable['period'];
  readonly timeZone: string;
  readonly policy: string;
  readonly rules: string;
  /** Strict admission: a request's worst case must fit in what remains (docs/budgets.md). */
  readonly strict: boolean;
}

export function createBudgetsRepo(db: Kysely<Database>, clock: () => number = Date.now) {
  return {
    /** Every row (deleted ones too) whose version moved after `since`, for the polled budget book. */
    changedSince(since: number): Promise<BudgetRow[]> {
      return db.selectFrom('budgets').selectAll().where('updated_at', '>', since).orderBy('updated_at').execute();
    },

    listLive(): Promise<BudgetRow[]> {
      return db.selectFrom('budgets').selectAll().where('deleted_at', 'is', null).orderBy('subject_type').orderBy('subject_id').execute();
    },

    async getLive(id: string): Promise<BudgetRow | undefined> {
      return db.selectFrom('budgets').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    },

    /** Creates the subject's budget or replaces it (reviving a removed one); says which. */
    async upsert(input: BudgetInput): Promise<{ row: BudgetRow; created: boolean }> {
      const now = clock();
      const values = {
        amount_micros: input.amountMicros,
        period: input.period,
        time_zone: input.timeZone,
        policy: input.policy,
        rules: input.rules,
        strict: input.strict ? 1 : 0,
        updated_at: now,
        deleted_at: null,
      };
      const existing = await db
        .selectFrom('budgets')
        .select(['id', 'deleted_at'])
        .where('subject_type', '=', input.subjectType)
        .where('subject_id', '=', input.subjectId)
        .executeTakeFirst();
      const row = await db
        .insertInto('budgets')
        .values({ id: randomUUID(), subject_type: input.subjectType, subject_id: input.subjectId, created_at: now, ...values })
        .onConflict((conflict) => conflict.columns(['subject_type', 'subject_id']).doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      return { row, created: existing === undefined || existing.deleted_at !== null };
    },

    /** Soft-deletes a live budget; returns the removed row (for the budget book), if there was one. */
    remove(id: string): Promise<BudgetRow | undefined> {
      const now = clock();
      return db
        .updateTable('budgets')
        .set({ deleted_at: now, updated_at: now })
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
    },
  };
}

export type BudgetsRepo = ReturnType<typeof createBudgetsRepo>;
