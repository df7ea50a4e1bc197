/**
 * Ledger sums for budgets: what a user, a team or a key spent in a window. A budget counter is
 * seeded from these once per period (src/limits/budgets/budget-gate.ts), and the admin API shows
 * them. Team spend is the rows attributed to the team when they were made (`team_id`), which
 * covers its members' and its team-owned keys' requests.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export type SpendSubject = { readonly type: 'user' | 'team' | 'key'; readonly id: string };

const COLUMN = { user: 'user_id', team: 'team_id', key: 'key_id' } as const;

export interface SpendTotals {
  /** Micro-dollars spent by the subject from `start` (inclusive) to `end` (exclusive). */
  spentBetween(subject: SpendSubject, start: number, end: number): Promise<number>;
}

export function createSpendTotals(db: Kysely<Database>): SpendTotals {
  return {
    async spentBetween(subject, start, end) {
      const row = await db
        .selectFrom('spend_ledger')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('cost_micros'), eb.lit(0)).as('total'))
        .where(COLUMN[subject.type], '=', subject.id)
        .where('created_at', '>=', start)
        .where('created_at', '<', end)
        .executeTakeFirstOrThrow();
      // SUM of BIGINT is NUMERIC on PostgreSQL, which pg hands over as a string.
      return Number(row.total);
    },
  };
}
