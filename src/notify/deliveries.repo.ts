/**
 * The delivery history (`notification_deliveries`): one row per attempt, of an outbox event or of
 * a test of the draft, kept for the portal's history and `ccag notifications deliveries`.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { deleteOlderBatch, type BatchedDelete } from '../store/batched-delete.js';
import { fetchPage, textKey, valueKey, type Page, type PageRequest } from '../store/paging.js';
import type { Database, NotificationDeliveriesTable } from '../store/schema.js';

export type DeliveryRow = Selectable<NotificationDeliveriesTable>;
export type DeliverySort = 'attempted_at' | 'event_type' | 'duration_ms';

export interface DeliveryFilter {
  readonly status?: DeliveryRow['status'] | undefined;
  readonly eventType?: string | undefined;
  readonly test?: boolean | undefined;
}

export const DELIVERIES_RETENTION: BatchedDelete = { table: 'notification_deliveries', key: 'id', timeColumn: 'attempted_at' };

const SORT_KEYS = { attempted_at: valueKey('attempted_at'), event_type: textKey('event_type'), duration_ms: valueKey('duration_ms') };

export function createDeliveriesRepo(db: Kysely<Database>) {
  return {
    async record(attempt: Omit<DeliveryRow, 'id'>): Promise<void> {
      await db.insertInto('notification_deliveries').values({ id: randomUUID(), ...attempt }).execute();
    },

    list(request: Omit<PageRequest<DeliverySort>, 'q'> & DeliveryFilter): Promise<Page<DeliveryRow>> {
      let query = db.selectFrom('notification_deliveries').selectAll();
      if (request.status !== undefined) query = query.where('status', '=', request.status);
      if (request.eventType !== undefined) query = query.where('event_type', '=', request.eventType);
      if (request.test !== undefined) query = query.where('test', '=', request.test ? 1 : 0);
      return fetchPage(query, request, SORT_KEYS[request.sort], 'id');
    },

    /**
     * Retention (docs/retention.md): forgets at most `batchSize` attempts made before `cutoff`;
     * the history is for recent troubleshooting.
     */
    purgeBefore(cutoff: number, batchSize: number): Promise<number> {
      return deleteOlderBatch(db, DELIVERIES_RETENTION, cutoff, batchSize);
    },
  };
}

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;
