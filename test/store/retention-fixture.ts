/**
 * Rows of every purged table on a test database, at given ages, written through each area's own
 * repositories (the ledger through the real sink, so with its rollups), for the retention tests.
 */
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import { createDeviceCodesRepo } from '../../src/identity/oauth/device-codes.repo.js';
import { createBudgetEventsRepo } from '../../src/limits/budgets/budget-events.repo.js';
import { createDeliveriesRepo } from '../../src/notify/deliveries.repo.js';
import type { NotificationCategory } from '../../src/notify/event-body.js';
import { createOutboxRepo } from '../../src/notify/outbox.repo.js';
import { createLedgerPurge } from '../../src/spend/ledger-purge.js';
import { createLedgerSink } from '../../src/spend/ledger-sink.js';
import type { Store } from '../../src/store/database.js';
import type { RetentionWiring } from '../../src/store/retention.js';
import { entry } from '../notify/notify-fixture.js';
import { ledgerRow } from '../spend/ledger-rows.js';

export const DAY = 86_400_000;
/** A fixed "now" for every retention test: nothing depends on today's date. */
export const NOW = Date.UTC(2027, 5, 15, 12, 0);

export function retentionFixture(store: Store) {
  const db = store.db;
  const budgetEvents = createBudgetEventsRepo(db, () => clockAt);
  const history = createDeliveriesRepo(db);
  const outbox = createOutboxRepo(db);
  const deviceCodes = createDeviceCodesRepo(db);
  let clockAt = NOW;
  let serial = 0;

  return {
    /** The purges as the composition root passes them to `startRetention`. */
    purges: {
      ledger: createLedgerPurge(db),
      budgetEvents: budgetEvents.purgeBefore,
      deliveries: history.purgeBefore,
      rateLimitEvents: outbox.purgeBefore,
      deviceCodes: deviceCodes.purgeBefore,
    } satisfies RetentionWiring['purges'],

    /** `count` ledger rows created `ageDays` ago, an hour apart, through the sink (rollups included). */
    async ledger(count: number, ageDays: number): Promise<void> {
      const sink = createLedgerSink({ db, timeoutMs: 15_000, log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() }, quarantine: vi.fn(async () => {}) });
      const start = NOW - ageDays * DAY;
      const rows = Array.from({ length: count }, (_, index) => ledgerRow((serial += 1), { created_at: start + index * 60_000, user_id: `user-${index % 3}` }));
      await sink.write(rows);
    },

    async budgetEvent(ageDays: number): Promise<void> {
      clockAt = NOW - ageDays * DAY;
      await budgetEvents.record({ subject_type: 'user', subject_id: randomUUID(), threshold_percent: 80, period_start: clockAt, event_type: 'budget_warning', severity: 'warning', user_id: null, team_id: null, detail: '{}' });
    },

    async delivery(ageDays: number): Promise<void> {
      await history.record({ event_id: null, event_type: 'notification_test', destination_type: 'webhook', test: 1, attempt: 1, attempted_at: NOW - ageDays * DAY, status: 'delivered', duration_ms: 3, http_status: 204, error: null });
    },

    /** An outbox event; `finished` settles it as delivered. */
    async outboxEvent(ageDays: number, category: NotificationCategory, finished: boolean): Promise<void> {
      const item = entry(NOW - ageDays * DAY, category);
      await outbox.enqueue(item);
      if (finished) await db.updateTable('notification_events').set({ status: 'delivered', delivered_at: item.createdAt }).where('id', '=', item.id).execute();
    },

    /** A device code that expired `ageDays` ago (negative: still valid). */
    async deviceCode(ageDays: number): Promise<void> {
      const expiresAt = NOW - ageDays * DAY;
      await deviceCodes.insert({ deviceCodeHash: randomUUID(), userCode: randomUUID().slice(0, 9), client: 'test', intervalS: 5, now: expiresAt - 600_000, expiresAt });
    },

    async count(table: 'spend_ledger' | 'budget_events' | 'notification_deliveries' | 'notification_events' | 'oauth_device_codes'): Promise<number> {
      const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
