/**
 * Retention of the raw ledger (docs/retention.md). Only the rows go: the rollups were written in
 * the same transaction as each row (ledger-sink.ts), so the analytics of a purged range still
 * read whole figures from them. What reads raw rows for a range (the request list, latency by
 * user, budget periods) sees nothing older than the retention.
 */
import type { Kysely } from 'kysely';
import { deleteOlderBatch, type BatchedDelete } from '../store/batched-delete.js';
import type { Database } from '../store/schema.js';

export const LEDGER_RETENTION: BatchedDelete = { table: 'spend_ledger', key: 'request_id', timeColumn: 'created_at' };

/** Deletes at most `batchSize` ledger rows created before `cutoff`; returns how many went. */
export function createLedgerPurge(db: Kysely<Database>) {
  return function purgeLedgerBefore(cutoff: number, batchSize: number): Promise<number> {
    return deleteOlderBatch(db, LEDGER_RETENTION, cutoff, batchSize);
  };
}
