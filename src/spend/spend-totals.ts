/**
 * Ledger sums for budgets: what a user, a team or a key spent in a window. A budget counter is
 * seeded from these once per period (src/limits/budgets/budget-gate.ts), and the admin API shows
 * them. Team spend is the rows attributed to the team when they were made (`team_id`), which
 * covers its members' and its team-owned keys' requests.
 */
import type { Kysely } from 'kysely';
import { readInSlices } from '../store/paging.js';
import type { Database } from '../store/schema.js';

export type SpendSubject = { readonly type: 'user' | 'team' | 'key'; readonly id: string };

export interface SubjectTotals {
  readonly micros: number;
  readonly requests: number;
}

const COLUMN = { user: 'user_id', team: 'team_id', key: 'key_id' } as const;

export interface SpendTotals {
  /** Micro-dollars spent by the subject from `start` (inclusive) to `end` (exclusive). */
  spentBetween(subject: SpendSubject, start: number, end: number): Promise<number>;
  /**
   * Spend and request counts of many subjects of one type in one window, for listings: one grouped
   * statement (per few hundred ids). Subjects without rows are absent from the map.
   */
  totalsBetween(type: SpendSubject['type'], ids: readonly string[], start: number, end: number): Promise<Map<string, SubjectTotals>>;
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

    async totalsBetween(type, ids, start, end) {
      const column = COLUMN[type];
      const rows = await readInSlices(ids, (slice) =>
        db
          .selectFrom('spend_ledger')
          .select((eb) => [eb.ref(column).as('id'), eb.fn.sum<number>('cost_micros').as('micros'), eb.fn.countAll<number>().as('requests')])
          .where(column, 'in', slice)
          .where('created_at', '>=', start)
          .where('created_at', '<', end)
          .groupBy(column)
          .execute(),
      );
      return new Map(rows.map((row) => [row.id!, { micros: Number(row.micros), requests: Number(row.requests) }]));
    },
  };
}
