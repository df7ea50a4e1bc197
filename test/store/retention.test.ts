/**
 * Data retention on SQLite and PostgreSQL (docs/retention.md): each area's rows older than its
 * retention go in batches no larger than the batch size, newer rows stay, the rollups and the
 * analytics of a purged range are unchanged, only the lease holder purges when replicas race,
 * and the notification history follows its setting instead of a constant.
 */
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Lifecycle } from '../../src/lifecycle.js';
import { createAnalyticsService } from '../../src/spend/analytics/analytics.service.js';
import type { Store } from '../../src/store/database.js';
import { createLease } from '../../src/store/lease.js';
import { createRetention, RETENTION_LEASE, startRetention, type RetentionTarget, type RetentionWiring } from '../../src/store/retention.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { DAY, NOW, retentionFixture } from './retention-fixture.js';

const SETTINGS: RetentionWiring['settings'] = {
  retentionLedgerDays: 400,
  retentionBudgetEventsDays: 400,
  retentionDeliveriesDays: 30,
  retentionDeviceCodesDays: 1,
  retentionIntervalMs: 3_600_000,
  retentionBatchSize: 1_000,
  retentionPauseMs: 0,
};
const TABLES = ['spend_ledger', 'budget_events', 'notification_deliveries', 'notification_events', 'oauth_device_codes', 'leases'] as const;
const log = pino({ level: 'silent' });

/** The purges with every batch's size recorded, per table. */
function counted(targets: RetentionTarget[]) {
  const batches: Record<string, number[]> = {};
  const wrapped = targets.map((target) => ({
    ...target,
    async purgeBefore(cutoff: number, batchSize: number) {
      const deleted = await target.purgeBefore(cutoff, batchSize);
      (batches[target.table] ??= []).push(deleted);
      return deleted;
    },
  }));
  return { wrapped, batches };
}

describe.each(databaseKinds)('retention on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (database) store = await database.open();
  });
  afterEach(async () => {
    if (!database) return;
    for (const table of TABLES) await store.db.deleteFrom(table).execute();
    for (const table of ['analytics_hourly', 'analytics_daily'] as const) await store.db.deleteFrom(table).execute();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  test('every area purges only rows past its retention, in batches no larger than the batch size', async (ctx) => {
    if (!database) return ctx.skip();
    const fixture = retentionFixture(store);
    await fixture.ledger(17, 401);
    await fixture.ledger(5, 399);
    for (const age of [500, 450, 401]) await fixture.budgetEvent(age);
    await fixture.budgetEvent(10);
    for (const age of [45, 31, 31, 31, 31, 31]) await fixture.delivery(age);
    await fixture.delivery(29);
    await fixture.outboxEvent(31, 'rate_limit', true);
    await fixture.outboxEvent(31, 'rate_limit', false); // still pending: kept to be delivered
    await fixture.outboxEvent(31, 'budget', true); // the budget event list shows its delivery: kept
    await fixture.outboxEvent(29, 'rate_limit', true);
    await fixture.deviceCode(2);
    await fixture.deviceCode(0.5); // expired, but a late visitor is still told "expired"
    await fixture.deviceCode(-0.01);

    const targets = [
      { table: 'spend_ledger', keepMs: 400 * DAY, purgeBefore: fixture.purges.ledger },
      { table: 'budget_events', keepMs: 400 * DAY, purgeBefore: fixture.purges.budgetEvents },
      { table: 'notification_deliveries', keepMs: 30 * DAY, purgeBefore: fixture.purges.deliveries },
      { table: 'notification_events', keepMs: 30 * DAY, purgeBefore: fixture.purges.rateLimitEvents },
      { table: 'oauth_device_codes', keepMs: 1 * DAY, purgeBefore: fixture.purges.deviceCodes },
    ];
    const { wrapped, batches } = counted(targets);
    const metric: Record<string, number> = {};
    const retention = createRetention({
      targets: wrapped,
      lease: createLease(store.db, { name: RETENTION_LEASE, ttlMs: 60_000, holder: 'a', clock: () => NOW }),
      clock: () => NOW,
      intervalMs: 3_600_000,
      batchSize: 4,
      pauseMs: 0,
      onDeleted: (table, count) => void (metric[table] = (metric[table] ?? 0) + count),
      onError: (error) => {
        throw error;
      },
    });

    const pass = await retention.runPass();
    expect(pass.held_lease).toBe(true);
    expect(pass.deleted).toEqual({ spend_ledger: 17, budget_events: 3, notification_deliveries: 6, notification_events: 1, oauth_device_codes: 1 });
    // 17 rows at 4 a statement: four full batches, then the remainder, which ends the table.
    expect(batches.spend_ledger).toEqual([4, 4, 4, 4, 1]);
    expect(batches.notification_deliveries).toEqual([4, 2]);
    expect(batches.budget_events).toEqual([3]);
    expect(pass.batches).toBe(5 + 1 + 2 + 1 + 1);
    // What ccag_retention_deleted_total{table} is fed.
    expect(metric).toEqual(pass.deleted);
    expect(await fixture.count('spend_ledger')).toBe(5);
    expect(await fixture.count('budget_events')).toBe(1);
    expect(await fixture.count('notification_deliveries')).toBe(1);
    expect(await fixture.count('notification_events')).toBe(3);
    expect(await fixture.count('oauth_device_codes')).toBe(2);
    // A second pass finds nothing more.
    expect((await retention.runPass()).deleted.spend_ledger).toBe(0);
  });

  test('the rollups and the analytics of a purged range are unchanged by the purge', async (ctx) => {
    if (!database) return ctx.skip();
    const fixture = retentionFixture(store);
    await fixture.ledger(30, 450);
    await fixture.ledger(4, 10);
    const analytics = createAnalyticsService({ db: store.db, names: { userEmail: () => undefined, teamNames: async () => new Map(), endpointNames: async () => new Map() } });
    const oldRange = { range: { from: NOW - 460 * DAY, to: NOW - 440 * DAY, granularity: 'day' as const }, filters: {} };
    const summaryBefore = await analytics.summary(oldRange);
    const seriesBefore = await analytics.timeseries(oldRange, 'user', 5);
    const rollupsBefore = await store.db.selectFrom('analytics_daily').selectAll().orderBy('bucket_start').orderBy('user_id').execute();
    expect(summaryBefore.requests).toBe(30);

    const lifecycle = new Lifecycle(log);
    const retention = startRetention({ settings: SETTINGS, store, lifecycle, log, purges: fixture.purges, clock: () => NOW });
    expect((await retention.runPass()).deleted.spend_ledger).toBe(30);
    await lifecycle.close();

    expect(await fixture.count('spend_ledger')).toBe(4);
    expect(await store.db.selectFrom('analytics_daily').selectAll().orderBy('bucket_start').orderBy('user_id').execute()).toEqual(rollupsBefore);
    expect(await analytics.summary(oldRange)).toEqual(summaryBefore);
    expect(await analytics.timeseries(oldRange, 'user', 5)).toEqual(seriesBefore);
  });

  test('two coordinators racing: only the lease holder purges', async (ctx) => {
    if (!database) return ctx.skip();
    const fixture = retentionFixture(store);
    await fixture.ledger(9, 401);
    const purgedBy: string[] = [];
    const coordinator = (holder: string) =>
      createRetention({
        targets: [{ table: 'spend_ledger', keepMs: 400 * DAY, purgeBefore: async (cutoff, size) => (purgedBy.push(holder), fixture.purges.ledger(cutoff, size)) }],
        lease: createLease(store.db, { name: RETENTION_LEASE, ttlMs: 60_000, holder, clock: () => NOW }),
        clock: () => NOW,
        intervalMs: 3_600_000,
        batchSize: 2,
        pauseMs: 1,
        onError: (error) => {
          throw error;
        },
      });
    const [a, b] = await Promise.all([coordinator('a').runPass(), coordinator('b').runPass()]);

    expect([a.held_lease, b.held_lease].filter(Boolean)).toHaveLength(1);
    const winner = a.held_lease ? 'a' : 'b';
    expect(new Set(purgedBy)).toEqual(new Set([winner]));
    expect(purgedBy).toHaveLength(5);
    expect((a.held_lease ? a : b).deleted.spend_ledger).toBe(9);
    expect((a.held_lease ? b : a).deleted).toEqual({});
    expect(await fixture.count('spend_ledger')).toBe(0);
  });

  test('a holder that loses the lease mid-pass stops before its next batch (fencing)', async (ctx) => {
    if (!database) return ctx.skip();
    const fixture = retentionFixture(store);
    await fixture.ledger(6, 401);
    let now = NOW;
    const thief = createLease(store.db, { name: RETENTION_LEASE, ttlMs: 60_000, holder: 'thief', clock: () => now });
    const retention = createRetention({
      targets: [
        {
          table: 'spend_ledger',
          keepMs: 400 * DAY,
          async purgeBefore(cutoff, size) {
            const deleted = await fixture.purges.ledger(cutoff, size);
            // The holder stalls past its TTL and another replica takes the lease over.
            now += 61_000;
            expect(await thief.acquire()).toBe(true);
            return deleted;
          },
        },
      ],
      lease: createLease(store.db, { name: RETENTION_LEASE, ttlMs: 60_000, holder: 'stalled', clock: () => now }),
      clock: () => now,
      intervalMs: 3_600_000,
      batchSize: 2,
      pauseMs: 0,
      onError: (error) => {
        throw error;
      },
    });

    const pass = await retention.runPass();
    expect(pass).toMatchObject({ held_lease: true, batches: 1, deleted: { spend_ledger: 2 } });
    expect(await fixture.count('spend_ledger')).toBe(4);
  });

  test('the notification history follows CCAG_RETENTION_DELIVERIES_DAYS, not a fixed 30 days', async (ctx) => {
    if (!database) return ctx.skip();
    const fixture = retentionFixture(store);
    await fixture.delivery(8);
    await fixture.delivery(6);
    await fixture.outboxEvent(8, 'rate_limit', true);
    await fixture.outboxEvent(6, 'rate_limit', true);

    const lifecycle = new Lifecycle(log);
    const retention = startRetention({ settings: { ...SETTINGS, retentionDeliveriesDays: 7 }, store, lifecycle, log, purges: fixture.purges, clock: () => NOW });
    const pass = await retention.runPass();
    await lifecycle.close();

    expect(pass.deleted).toMatchObject({ notification_deliveries: 1, notification_events: 1 });
    const kept = await store.db.selectFrom('notification_deliveries').select('attempted_at').execute();
    expect(kept.map((row) => Number(row.attempted_at))).toEqual([NOW - 6 * DAY]);
    expect(await fixture.count('notification_events')).toBe(1);
  });
});
