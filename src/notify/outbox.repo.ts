/**
 * The notifications outbox (`notification_events`): events waiting for delivery and what became
 * of them. Writes by the delivery worker are conditional on the row still being the attempt it
 * claimed (status pending, same attempt count), so a worker that lost its lease mid-attempt
 * cannot overwrite the outcome its successor recorded.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { deleteOlderBatch, type BatchedDelete } from '../store/batched-delete.js';
import { fetchPage, readInSlices, textKey, valueKey, type Page, type PageRequest } from '../store/paging.js';
import type { Database, NotificationEventsTable } from '../store/schema.js';
import type { NotificationCategory, OutboxEntry } from './event-body.js';

/** The outbox rows retention may purge: finished rate-limit events (a pending one is still to be delivered). */
export const RATE_LIMIT_EVENTS_RETENTION: BatchedDelete = {
  table: 'notification_events',
  key: 'id',
  timeColumn: 'created_at',
  alsoWhere: sql`and category = 'rate_limit' and status <> 'pending'`,
};

export type OutboxRow = Selectable<NotificationEventsTable>;
export type OutboxStatus = OutboxRow['status'];
export type OutboxSort = 'created_at' | 'event_type' | 'status';

/** An attempt's outcome, written only if the row is still in the state the worker claimed. */
export type Settlement =
  | { readonly status: 'delivered'; readonly at: number }
  | { readonly status: 'pending'; readonly nextAttemptAt: number; readonly error: string }
  | { readonly status: 'dead'; readonly error: string }
  | { readonly status: 'skipped'; readonly error: string };

export interface OutboxCounts {
  /** Pending, never attempted. */
  readonly pending: number;
  /** Pending after at least one failed attempt. */
  readonly retrying: number;
  readonly dead: number;
  readonly delivered_24h: number;
}

const SORT_KEYS = { created_at: valueKey('created_at'), event_type: textKey('event_type'), status: textKey('status') };
const DAY_MS = 24 * 3_600_000;

export function createOutboxRepo(db: Kysely<Database>) {
  return {
    /** Stores the entry unless its dedupe key is already there; true when this call stored it. */
    async enqueue(entry: OutboxEntry): Promise<boolean> {
      const inserted = await db
        .insertInto('notification_events')
        .values({
          id: entry.id,
          dedupe_key: entry.dedupeKey,
          source_id: entry.sourceId,
          category: entry.category,
          event_type: entry.eventType,
          severity: entry.severity,
          body: entry.body,
          status: 'pending',
          attempts: 0,
          next_attempt_at: entry.createdAt,
          last_error: null,
          created_at: entry.createdAt,
          delivered_at: null,
        })
        .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    /** Pending events due at `now`, oldest due first. */
    due(now: number, limit: number): Promise<OutboxRow[]> {
      return db
        .selectFrom('notification_events')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /**
     * Records the outcome of the attempt made on `claimed` (whose `attempts` is the count before
     * it). False when the row moved meanwhile: another worker settled it first.
     */
    async settle(claimed: Pick<OutboxRow, 'id' | 'attempts'>, outcome: Settlement, attempted: boolean): Promise<boolean> {
      const attempts = attempted ? claimed.attempts + 1 : claimed.attempts;
      const changes =
        outcome.status === 'delivered'
          ? { status: outcome.status, attempts, delivered_at: outcome.at, last_error: null }
          : outcome.status === 'pending'
            ? { status: outcome.status, attempts, next_attempt_at: outcome.nextAttemptAt, last_error: outcome.error }
            : { status: outcome.status, attempts, last_error: outcome.error };
      const result = await db
        .updateTable('notification_events')
        .set(changes)
        .where('id', '=', claimed.id)
        .where('status', '=', 'pending')
        .where('attempts', '=', claimed.attempts)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** A dead or skipped event back to pending, due now, with a fresh retry schedule. */
    async retry(id: string, now: number): Promise<OutboxRow | 'not_found' | 'not_retryable'> {
      const updated = await db
        .updateTable('notification_events')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now, last_error: null })
        .where('id', '=', id)
        .where('status', 'in', ['dead', 'skipped'])
        .returningAll()
        .executeTakeFirst();
      if (updated) return updated;
      const exists = await db.selectFrom('notification_events').select('id').where('id', '=', id).executeTakeFirst();
      return exists ? 'not_retryable' : 'not_found';
    },

    list(request: Omit<PageRequest<OutboxSort>, 'q'> & { status?: OutboxStatus | undefined; category?: NotificationCategory | undefined }): Promise<Page<OutboxRow>> {
      let query = db.selectFrom('notification_events').selectAll();
      if (request.status !== undefined) query = query.where('status', '=', request.status);
      if (request.category !== undefined) query = query.where('category', '=', request.category);
      return fetchPage(query, request, SORT_KEYS[request.sort], 'id');
    },

    async counts(now: number): Promise<OutboxCounts> {
      const rows = await db
        .selectFrom('notification_events')
        .select((eb) => [
          eb.fn.countAll<number>().filterWhere('status', '=', 'pending').filterWhere('attempts', '=', 0).as('pending'),
          eb.fn.countAll<number>().filterWhere('status', '=', 'pending').filterWhere('attempts', '>', 0).as('retrying'),
          eb.fn.countAll<number>().filterWhere('status', '=', 'dead').as('dead'),
          eb.fn.countAll<number>().filterWhere('status', '=', 'delivered').filterWhere('delivered_at', '>=', now - DAY_MS).as('delivered_24h'),
        ])
        .executeTakeFirstOrThrow();
      // COUNT is a bigint on PostgreSQL.
      return { pending: Number(rows.pending), retrying: Number(rows.retrying), dead: Number(rows.dead), delivered_24h: Number(rows.delivered_24h) };
    },

    /** Every pending event, retrying or not (the `ccag.notifications.outbox_pending` gauge). */
    async pendingTotal(): Promise<number> {
      const row = await db.selectFrom('notification_events').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The outbox rows of these source events (budget event ids), for their `delivery` column. */
    bySource(sourceIds: readonly string[]): Promise<Pick<OutboxRow, 'source_id' | 'status' | 'attempts' | 'delivered_at'>[]> {
      return readInSlices(sourceIds, (slice) =>
        db.selectFrom('notification_events').select(['source_id', 'status', 'attempts', 'delivered_at']).where('source_id', 'in', slice).execute(),
      );
    },

    /**
     * Retention (docs/retention.md): forgets at most `batchSize` finished rate-limit events created
     * before `cutoff`. Budget events keep theirs (the budget event list shows their delivery);
     * rate-limit hits can recur every minute forever.
     */
    purgeBefore(cutoff: number, batchSize: number): Promise<number> {
      return deleteOlderBatch(db, RATE_LIMIT_EVENTS_RETENTION, cutoff, batchSize);
    },
  };
}

export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
