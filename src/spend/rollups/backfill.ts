/**
 * Builds the rollups from ledger rows already stored (the migration that introduces them), page
 * by page in time order, through the same aggregation and upsert as the live write path. Time
 * order keeps each page's rows in few buckets, so a page folds into few rollup rows.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { rollupsOf } from './rollup-batch.js';
import { addRollups, type RollupKind } from './rollup-writer.js';

/** Folds every ledger row into the given rollups (the ones the calling migration created). */
export async function backfillRollups(db: Kysely<Database>, kinds: readonly RollupKind[], pageSize = 5_000): Promise<number> {
  let done = 0;
  let after: { createdAt: number; requestId: string } | undefined;
  for (;;) {
    const rows = await db
      .selectFrom('spend_ledger')
      .selectAll()
      .$if(after !== undefined, (query) =>
        query.where((eb) => eb(eb.refTuple('created_at', 'request_id'), '>', eb.tuple(after!.createdAt, after!.requestId))),
      )
      .orderBy('created_at')
      .orderBy('request_id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return done;
    await addRollups(db, rollupsOf(rows), kinds);
    done += rows.length;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.created_at, requestId: last.request_id };
  }
}
