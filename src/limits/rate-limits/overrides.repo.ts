/**
 * The `rate_limit_overrides` table (migration 0006): one row per subject whose limits differ from
 * the defaults. Values: null = the default, 0 = unlimited, n > 0 = the limit.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

export type SubjectType = 'key' | 'user' | 'team';

export interface RateLimitOverridesTable {
  subject_type: SubjectType;
  subject_id: string;
  rpm: number | null;
  tpm: number | null;
  concurrency: number | null;
  updated_at: number;
}

export type OverrideRow = RateLimitOverridesTable;
export type OverrideValues = Pick<OverrideRow, 'rpm' | 'tpm' | 'concurrency'>;

export function createOverridesRepo(database: Kysely<Database>) {
  const db = database.withTables<{ rate_limit_overrides: RateLimitOverridesTable }>();

  return {
    /** Writes the subject's three values (the caller merges them with what was there). */
    async upsert(subjectType: SubjectType, subjectId: string, values: OverrideValues, now: number): Promise<OverrideRow> {
      const row: OverrideRow = { subject_type: subjectType, subject_id: subjectId, ...values, updated_at: now };
      await db
        .insertInto('rate_limit_overrides')
        .values(row)
        .onConflict((conflict) => conflict.columns(['subject_type', 'subject_id']).doUpdateSet({ ...values, updated_at: now }))
        .execute();
      return row;
    },

    /** Rows changed after `since` (epoch ms), cleared ones included: the cache's refresh query. */
    changedSince(since: number): Promise<OverrideRow[]> {
      return db.selectFrom('rate_limit_overrides').selectAll().where('updated_at', '>', since).execute();
    },
  };
}

export type OverridesRepo = ReturnType<typeof createOverridesRepo>;
