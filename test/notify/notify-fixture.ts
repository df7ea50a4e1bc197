/**
 * The notifications pieces on a test database, wired as notify.area.ts wires them but with the
 * test's clock, lease holders and senders: repos, the destination service, delivery workers.
 */
import { randomUUID } from 'node:crypto';
import { createSecretBox } from '../../src/config/secret-box.js';
import { createDeliveriesRepo } from '../../src/notify/deliveries.repo.js';
import { createDeliveryWorker, type DeliveryWorkerDeps } from '../../src/notify/delivery-worker.js';
import type { DraftInput, OpenDestination } from '../../src/notify/destination-config.js';
import { createDestinationsRepo } from '../../src/notify/destinations.repo.js';
import { createDestinationsService } from '../../src/notify/destinations.service.js';
import type { NotificationCategory, OutboxEntry } from '../../src/notify/event-body.js';
import { createOutboxRepo } from '../../src/notify/outbox.repo.js';
import { createSender, type Sender } from '../../src/notify/senders/sender.js';
import type { Store } from '../../src/store/database.js';
import { createLease } from '../../src/store/lease.js';
import { loopbackOutbound } from '../support/outbound.js';

export const T0 = 1_800_000_000_000;
export const INTERVAL_MS = 30_000;
export const WEBHOOK_SECRET = 'whsec_test-secret-0123456789';

/** A clock the test moves by hand. */
export function manualClock(start = T0) {
  let now = start;
  return { now: () => now, set: (at: number) => void (now = at), advance: (ms: number) => void (now += ms) };
}

export function notifyFixture(store: Store, clock: () => number) {
  const box = createSecretBox(Buffer.alloc(32, 7));
  const outbox = createOutboxRepo(store.db);
  const history = createDeliveriesRepo(store.db);
  const destinationsRepo = createDestinationsRepo(store.db);
  const senderFor = (destination: OpenDestination): Sender => createSender(destination, { clock, userAgent: 'ccag-test', outbound: loopbackOutbound });
  const destinations = createDestinationsService({ repo: destinationsRepo, history, box, senderFor, clock, outbound: loopbackOutbound });

  return {
    box,
    outbox,
    history,
    destinationsRepo,
    destinations,
    /** Makes `input` the active destination without the test step (the workflow has its own tests). */
    async activate(input: DraftInput): Promise<void> {
      await destinations.putDraft(input, 'admin@example.com');
      await destinationsRepo.move('draft', 'active');
    },
    worker(holder: string, overrides: Partial<DeliveryWorkerDeps> = {}) {
      return createDeliveryWorker({
        outbox,
        history,
        lease: createLease(store.db, { name: 'notifications', ttlMs: 60_000, holder, clock }),
        activeDestination: () => destinations.active(),
        senderFor,
        clock,
        intervalMs: INTERVAL_MS,
        maxAttempts: 8,
        onError: (error) => {
          throw error;
        },
        ...overrides,
      });
    },
    async clear(): Promise<void> {
      for (const table of ['notification_events', 'notification_deliveries', 'notification_destinations', 'leases'] as const) await store.db.deleteFrom(table).execute();
    },
  };
}

/** An outbox entry of a category, with a body naming its id. */
export function entry(createdAt: number, category: NotificationCategory = 'budget'): OutboxEntry {
  const id = randomUUID();
  const eventType = category === 'budget' ? 'budget_warning' : 'rate_limit_hit';
  const body = JSON.stringify({ id, source: 'ccag', version: '1', category, event_type: eventType, severity: 'warning', timestamp: new Date(createdAt).toISOString() });
  return { id, dedupeKey: `test:${id}`, sourceId: category === 'budget' ? id : null, category, eventType, severity: 'warning', body, createdAt };
}
