/**
 * Notifications (spec §8): budget events and rate-limit refusals queued durably in the outbox and
 * delivered asynchronously to the one active destination (webhook, Amazon SNS or EventBridge) by
 * whichever replica holds the delivery lease. The limits area reports events through the
 * notifier; the admin API works through the admin facade.
 */
import type { OutboundGuard } from '../config/outbound-guard.js';
import type { Logger } from 'pino';
import type { SecretBox } from '../config/secret-box.js';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Store } from '../store/database.js';
import { createLease } from '../store/lease.js';
import { VERSION } from '../version.js';
import { createBudgetCatchUp, type BudgetCatchUpDeps } from './budget-catch-up.js';
import { createDeliveriesRepo } from './deliveries.repo.js';
import { createDeliveryWorker } from './delivery-worker.js';
import type { DestinationType, OpenDestination } from './destination-config.js';
import { createDestinationsRepo } from './destinations.repo.js';
import { createDestinationsService } from './destinations.service.js';
import { createNotificationsAdmin } from './notifications-admin.js';
import { createNotifier, type NotifierDeps } from './notifier.js';
import { createOutboxRepo } from './outbox.repo.js';
import { createSender } from './senders/sender.js';

export const DELIVERY_LEASE = 'notifications';
/** A holder that died is replaced after this; never shorter than two intervals, nor than a minute. */
export const leaseTtlMs = (intervalMs: number) => Math.max(2 * intervalMs, 60_000);

export interface NotifyDeps {
  readonly settings: Pick<Settings, 'notifyIntervalMs' | 'notifyMaxAttempts'>;
  readonly store: Store;
  readonly box: SecretBox;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  readonly names: NotifierDeps['names'];
  /** From the limits area, for the catch-up of budget events whose notification was never queued. */
  readonly recentBudgetEvents: BudgetCatchUpDeps['recentBudgetEvents'];
  readonly onAttempt?: (destinationType: DestinationType, status: 'delivered' | 'failed') => void;
  readonly clock?: () => number;
  /** The SSRF guard of destination URLs (config/outbound-guard.ts). */
  readonly outbound: OutboundGuard;
}

export function createNotify(deps: NotifyDeps) {
  const { settings, store, log } = deps;
  const clock = deps.clock ?? Date.now;
  const intervalMs = settings.notifyIntervalMs;
  const outbox = createOutboxRepo(store.db);
  const history = createDeliveriesRepo(store.db);
  const senderFor = (destination: OpenDestination) => createSender(destination, { clock, userAgent: `ccag/${VERSION}`, outbound: deps.outbound });
  const destinations = createDestinationsService({ repo: createDestinationsRepo(store.db), history, box: deps.box, senderFor, clock, outbound: deps.outbound });
  let pending = 0;
  const notifier = createNotifier({ outbox, names: deps.names, onError: (error) => log.warn({ err: error }, 'queueing a notification failed') });
  const catchUp = createBudgetCatchUp({ recentBudgetEvents: deps.recentBudgetEvents, outbox, entryFor: notifier.budgetEntry, clock });
  const worker = createDeliveryWorker({
    outbox,
    history,
    lease: createLease(store.db, { name: DELIVERY_LEASE, ttlMs: leaseTtlMs(intervalMs), clock }),
    activeDestination: () => destinations.active(),
    senderFor,
    clock,
    intervalMs,
    maxAttempts: settings.notifyMaxAttempts,
    onAttempt: deps.onAttempt,
    onPending: (count) => (pending = count),
    onError: (error) => log.warn({ err: error }, 'notification delivery pass failed'),
    beforePass: () => catchUp.run(),
  });
  // Closed in reverse: the worker stops (handing the lease on) before the notifier's last writes settle.
  deps.lifecycle.owns('notification queue', notifier, (owned) => owned.idle());
  deps.lifecycle.owns('notification delivery', worker, (owned) => owned.close()).start();
  return {
    notifier,
    admin: createNotificationsAdmin({ destinations, outbox, history, worker, intervalMs, clock }),
    /** Pending outbox events as of the last tick. */
    pending: () => pending,
    /** Retention (docs/retention.md): the delivery history and finished rate-limit events, each in batches. */
    purgeHistoryBefore: history.purgeBefore,
    purgeRateLimitEventsBefore: outbox.purgeBefore,
  };
}

export type Notify = ReturnType<typeof createNotify>;
