/**
 * What the admin API asks of the notifications area, in one facade: the destination workflow,
 * the outbox and history listings, retrying a dead event, delivering now, and each budget
 * event's delivery state for GET /admin/budget-events.
 */
import { ApiError } from '../errors.js';
import type { PageRequest } from '../store/paging.js';
import type { DeliveriesRepo, DeliveryFilter, DeliverySort } from './deliveries.repo.js';
import type { DeliveryWorker } from './delivery-worker.js';
import type { DestinationsService } from './destinations.service.js';
import { NOTIFICATION_CATEGORIES, type NotificationCategory } from './event-body.js';
import type { OutboxRepo, OutboxRow, OutboxSort, OutboxStatus } from './outbox.repo.js';

/** A budget event's notification, as the budget event list shows it. */
export type DeliveryState = 'not_configured' | 'pending' | 'retrying' | 'delivered' | 'dead' | 'skipped';

export interface NotificationsAdminDeps {
  readonly destinations: DestinationsService;
  readonly outbox: OutboxRepo;
  readonly history: DeliveriesRepo;
  readonly worker: Pick<DeliveryWorker, 'runPass'>;
  readonly intervalMs: number;
  readonly clock: () => number;
}

export function deliveryState(row: Pick<OutboxRow, 'status' | 'attempts'> | undefined): DeliveryState {
  if (!row) return 'not_configured';
  return row.status === 'pending' && row.attempts > 0 ? 'retrying' : row.status;
}

export function createNotificationsAdmin(deps: NotificationsAdminDeps) {
  const { destinations, outbox } = deps;
  return {
    async overview() {
      const [slots, counts] = await Promise.all([destinations.overview(), outbox.counts(deps.clock())]);
      return { ...slots, interval_seconds: deps.intervalMs / 1000, categories: [...NOTIFICATION_CATEGORIES], outbox: counts };
    },
    putDraft: destinations.putDraft,
    testDraft: destinations.testDraft,
    activate: destinations.activate,
    deactivate: destinations.deactivate,
    discard: destinations.discard,

    deliveries: (request: Omit<PageRequest<DeliverySort>, 'q'> & DeliveryFilter) => deps.history.list(request),
    events: (request: Omit<PageRequest<OutboxSort>, 'q'> & { status?: OutboxStatus | undefined; category?: NotificationCategory | undefined }) => outbox.list(request),

    async retry(id: string): Promise<OutboxRow> {
      const result = await outbox.retry(id, deps.clock());
      if (result === 'not_found') throw new ApiError('not_found', `no notification event with id ${id}`);
      if (result === 'not_retryable') throw new ApiError('conflict', `notification event ${id} is neither dead nor skipped; only those can be retried`);
      return result;
    },

    deliverNow: () => deps.worker.runPass(),

    /** Each budget event's delivery state and time, by budget event id. */
    async deliveryOf(budgetEventIds: readonly string[]): Promise<Map<string, { delivery: DeliveryState; delivered_at: number | null }>> {
      const rows = await outbox.bySource(budgetEventIds);
      return new Map(rows.map((row) => [row.source_id!, { delivery: deliveryState(row), delivered_at: row.delivered_at }]));
    },
  };
}

export type NotificationsAdmin = ReturnType<typeof createNotificationsAdmin>;
