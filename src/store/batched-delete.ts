/**
 * One bounded DELETE for the retention purge (docs/retention.md). Deleting "everything older than
 * X" in one statement can hold SQLite's single writer lock, or a PostgreSQL transaction with a
 * million row locks, for minutes while the gateway needs to write the ledger; a statement capped
 * at `batchSize` rows finishes in milliseconds. The inner SELECT walks the time column's index
 * (every purged table has one), oldest first, and the DELETE matches by primary key. Neither
 * dialect supports `DELETE … LIMIT` portably, hence the subquery.
 *
 * Each area calls this on its own tables only; the coordinator (`retention.ts`) never names a table.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';

export interface BatchedDelete {
  readonly table: keyof Database & string;
  readonly key: string;
  /** An epoch-ms column with an index; rows with a value below the cutoff go. */
  readonly timeColumn: string;
  /** A further condition (`and …`) narrowing which old rows may go. */
  readonly alsoWhere?: RawBuilder<unknown>;
}

/** The bounded DELETE itself; apart so a test can EXPLAIN it and see the index used. */
export function olderBatchDelete(target: BatchedDelete, cutoff: number, batchSize: number): RawBuilder<unknown> {
  const { table, key, timeColumn } = target;
  return sql`delete from ${sql.table(table)} where ${sql.ref(key)} in (
      select ${sql.ref(key)} from ${sql.table(table)}
      where ${sql.ref(timeColumn)} < ${cutoff} ${target.alsoWhere ?? sql``}
      order by ${sql.ref(timeColumn)} limit ${batchSize})`;
}

/** Deletes at most `batchSize` rows older than `cutoff`; returns how many it deleted. */
export async function deleteOlderBatch(db: Kysely<Database>, target: BatchedDelete, cutoff: number, batchSize: number): Promise<number> {
  const result = await olderBatchDelete(target, cutoff, batchSize).execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
