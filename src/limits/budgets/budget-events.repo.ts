/**
 * Budget events (spec §8), stored for later delivery. "Once per (subject, threshold, period)" is
 * the table's unique constraint: concurrent settles on any replica may all try, one row remains.
 * Listing reads this table only: names of users, teams and keys are the identity area's, so a
 * search by name arrives here already resolved to subject ids.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { deleteOlderBatch, type BatchedDelete } from '../../store/batched-delete.js';
import { fetchPage, textKey, valueKey, type Page, type PageRequest } from '../../store/paging.js';
import type { BudgetEventsTable, Database } from '../../store/schema.js';

export type BudgetEventRow = Selectable<BudgetEventsTable>;
export type BudgetEventInput = Omit<BudgetEventRow, 'id' | 'created_at'>;
export type BudgetEventSort = 'created_at' | 'threshold_percent' | 'event_type';
export type EventSubjectType = BudgetEventsTable['subject_type'];

export interface BudgetEventFilter {
  /** Epoch ms, inclusive. */
  readonly from?: number | undefined;
  /** Epoch ms, exclusive. */
  readonly to?: number | undefined;
  readonly eventType?: string | undefined;
  readonly subjectType?: EventSubjectType | undefined;
  /** Only events of these subjects, by type. */
  readonly subjects?: Readonly<Record<EventSubjectType, readonly string[]>> | undefined;
}

export const BUDGET_EVENTS_RETENTION: BatchedDelete = { table: 'budget_events', key: 'id', timeColumn: 'created_at' };

const SORT_KEYS = { created_at: valueKey('created_at'), threshold_percent: valueKey('threshold_percent'), event_type: textKey('event_type') };

export function createBudgetEventsRepo(db: Kysely<Database>, clock: () => number = Date.now) {
  return {
    /**
     * Inserts the event unless its (subject, threshold, period) already has one; returns the row
     * when this call inserted it, so exactly one replica goes on to notify about it.
     */
    async record(event: BudgetEventInput): Promise<BudgetEventRow | null> {
      const inserted = await db
        .insertInto('budget_events')
        .values({ id: randomUUID(), created_at: clock(), ...event })
        .onConflict((conflict) => conflict.columns(['subject_type', 'subject_id', 'threshold_percent', 'period_start']).doNothing())
        .returningAll()
        .executeTakeFirst();
      return inserted ?? null;
    },

    /** Retention (docs/retention.md): at most `batchSize` events recorded before `cutoff`; returns how many went. */
    purgeBefore(cutoff: number, batchSize: number): Promise<number> {
      return deleteOlderBatch(db, BUDGET_EVENTS_RETENTION, cutoff, batchSize);
    },

    /** Events recorded at or after `from` (epoch ms), oldest first, at most `limit`. */
    async since(from: number, limit: number): Promise<BudgetEventRow[]> {
      return db.selectFrom('budget_events').selectAll().where('created_at', '>=', from).orderBy('created_at').limit(limit).execute();
    },

    async list(request: Omit<PageRequest<BudgetEventSort>, 'q'> & BudgetEventFilter): Promise<Page<BudgetEventRow>> {
      const subjects = request.subjects ? (Object.entries(request.subjects) as Array<[EventSubjectType, readonly string[]]>).filter(([, ids]) => ids.length > 0) : undefined;
      if (subjects?.length === 0) return { rows: [], total: 0 };
      let query = db.selectFrom('budget_events').selectAll();
      if (request.from !== undefined) query = query.where('created_at', '>=', request.from);
      if (request.to !== undefined) query = query.where('created_at', '<', request.to);
      if (request.eventType !== undefined) query = query.where('event_type', '=', request.eventType);
      if (request.subjectType !== undefined) query = query.where('subject_type', '=', request.subjectType);
      if (subjects) query = query.where((eb) => eb.or(subjects.map(([type, ids]) => eb.and([eb('subject_type', '=', type), eb('subject_id', 'in', ids)]))));
      return fetchPage(query, request, SORT_KEYS[request.sort], 'id');
    },
  };
}

export type BudgetEventsRepo = ReturnType<typeof createBudgetEventsRepo>;
