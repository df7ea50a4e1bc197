/**
 * Retries on SQLite and PostgreSQL with an injected clock: a failing destination is retried on
 * the backoff schedule (interval × 2^(attempts−1), capped at an hour), the event is dead after the
 * last attempt, an admin's retry makes it due again with a fresh schedule; events no destination
 * takes are skipped without an attempt. Plus the schedule itself and the outbox bookkeeping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { attemptDelivery } from '../../src/notify/delivery-attempt.js';
import { createSender } from '../../src/notify/senders/sender.js';
import { afterFailure, backoffMs, MAX_BACKOFF_MS } from '../../src/notify/retry-schedule.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { entry, INTERVAL_MS, manualClock, notifyFixture, T0, WEBHOOK_SECRET } from './notify-fixture.js';
import { loopbackOutbound } from '../support/outbound.js';

describe('retry schedule', () => {
  test('doubles from the interval and stops at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempts) => backoffMs(30_000, attempts))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
    expect(backoffMs(30_000, 8)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(30_000, 40)).toBe(MAX_BACKOFF_MS);
  });

  test('the last allowed attempt makes the event dead', () => {
    expect(afterFailure({ attempts: 2, maxAttempts: 3, intervalMs: 1_000, now: T0, error: 'HTTP 500' })).toEqual({ status: 'pending', nextAttemptAt: T0 + 2_000, error: 'HTTP 500' });
    expect(afterFailure({ attempts: 3, maxAttempts: 3, intervalMs: 1_000, now: T0, error: 'HTTP 500' })).toEqual({ status: 'dead', error: 'gave up after 3 attempts: HTTP 500' });
  });
});

describe.each(databaseKinds)('retries and skips on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (database) store = await database.open();
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    receiver.requests.length = 0;
    receiver.answerWith(204);
    if (database) await notifyFixture(store, Date.now).clear();
  });
  afterAll(async () => {
    await receiver?.close();
    await store?.close();
    await database?.drop();
  });

  const eventRow = (id: string) => store.db.selectFrom('notification_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  test('failures back off, then the event is dead; an admin retry delivers it', async (ctx) => {
    if (!database) return ctx.skip();
    const clock = manualClock();
    const fixture = notifyFixture(store, clock.now);
    await fixture.activate({ type: 'webhook', url: receiver.url, signing_secret: WEBHOOK_SECRET });
    const event = entry(T0);
    await fixture.outbox.enqueue(event);
    const worker = fixture.worker('only', { maxAttempts: 3 });
    receiver.answerWith(500);

    expect(await worker.runPass()).toMatchObject({ failed: 1 });
    expect(await eventRow(event.id)).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: T0 + INTERVAL_MS, last_error: 'HTTP 500: receiver says 500' });
    clock.advance(INTERVAL_MS - 1);
    expect(await worker.runPass()).toMatchObject({ held_lease: true, failed: 0 });
    expect(receiver.requests).toHaveLength(1);
    clock.advance(1);
    expect(await worker.runPass()).toMatchObject({ failed: 1 });
    expect(await eventRow(event.id)).toMatchObject({ attempts: 2, next_attempt_at: T0 + 3 * INTERVAL_MS });
    clock.set(T0 + 3 * INTERVAL_MS);
    expect(await worker.runPass()).toMatchObject({ dead: 1 });
    expect(await eventRow(event.id)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'gave up after 3 attempts: HTTP 500: receiver says 500' });
    const history = await store.db.selectFrom('notification_deliveries').selectAll().orderBy('attempt').execute();
    expect(history.map((row) => [row.attempt, row.status, row.http_status, row.attempted_at])).toEqual([
      [1, 'failed', 500, T0],
      [2, 'failed', 500, T0 + INTERVAL_MS],
      [3, 'failed', 500, T0 + 3 * INTERVAL_MS],
    ]);

    clock.advance(3_600_000);
    expect(await worker.runPass()).toMatchObject({ delivered: 0, failed: 0, dead: 0 });
    receiver.answerWith(200);
    expect(await fixture.outbox.retry(event.id, clock.now())).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await fixture.outbox.retry(event.id, clock.now())).toBe('not_retryable');
    expect(await fixture.outbox.retry('no-such-event', clock.now())).toBe('not_found');
    expect(await worker.runPass()).toMatchObject({ delivered: 1 });
    expect(await eventRow(event.id)).toMatchObject({ status: 'delivered', attempts: 1, delivered_at: clock.now(), last_error: null });
  });

  test('a pass stops after three failures in a row; the events not tried keep their turn', async (ctx) => {
    if (!database) return ctx.skip();
    const clock = manualClock();
    const fixture = notifyFixture(store, clock.now);
    await fixture.activate({ type: 'webhook', url: receiver.url, signing_secret: WEBHOOK_SECRET });
    const entries = Array.from({ length: 5 }, (_, index) => entry(T0 - 10 + index));
    for (const item of entries) await fixture.outbox.enqueue(item);
    receiver.answerWith(500);
    expect(await fixture.worker('only').runPass()).toEqual({ held_lease: true, delivered: 0, failed: 3, dead: 0, skipped: 0 });
    const attempts = await Promise.all(entries.map(async (item) => (await eventRow(item.id)).attempts));
    expect(attempts).toEqual([1, 1, 1, 0, 0]);
  });

  test('a receiver that does not answer in time is a failed attempt', async (ctx) => {
    if (!database) return ctx.skip();
    const slow = await startWebhookReceiver({ delayMs: 2_000 });
    try {
      const fixture = notifyFixture(store, Date.now);
      await fixture.activate({ type: 'webhook', url: slow.url, signing_secret: WEBHOOK_SECRET });
      const event = entry(Date.now() - 1);
      await fixture.outbox.enqueue(event);
      const destination = (await fixture.destinations.active())!;
      const result = await attemptDelivery(
        { id: event.id, eventType: event.eventType, severity: 'warning', category: 'budget', body: event.body },
        { sender: createSender(destination.open, { clock: Date.now, userAgent: 'ccag-test', outbound: loopbackOutbound }), destinationType: 'webhook', history: fixture.history, clock: Date.now, eventId: event.id, attempt: 1, timeoutMs: 200 },
      );
      expect(result).toMatchObject({ ok: false, http_status: null, error: 'no answer within 0.2 s' });
    } finally {
      await slow.close();
    }
  });

  test('without an active destination, or for a category it does not take, events are skipped unattempted', async (ctx) => {
    if (!database) return ctx.skip();
    const clock = manualClock();
    const fixture = notifyFixture(store, clock.now);
    const worker = fixture.worker('only');
    const orphan = entry(T0);
    await fixture.outbox.enqueue(orphan);
    expect(await worker.runPass()).toMatchObject({ skipped: 1 });
    expect(await eventRow(orphan.id)).toMatchObject({ status: 'skipped', attempts: 0, last_error: 'no active destination' });

    await fixture.activate({ type: 'webhook', url: receiver.url, signing_secret: WEBHOOK_SECRET, categories: ['budget'] });
    const budget = entry(T0 + 1, 'budget');
    const rateLimit = entry(T0 + 2, 'rate_limit');
    await fixture.outbox.enqueue(budget);
    await fixture.outbox.enqueue(rateLimit);
    clock.advance(10);
    expect(await worker.runPass()).toMatchObject({ delivered: 1, skipped: 1 });
    expect(await eventRow(rateLimit.id)).toMatchObject({ status: 'skipped', last_error: 'the active destination does not take rate_limit events' });
    expect(receiver.requests.map((request) => request.headers['x-ccag-event-id'])).toEqual([budget.id]);
    expect(await store.db.selectFrom('notification_deliveries').select('event_id').execute()).toEqual([{ event_id: budget.id }]);
  });

  test('the outbox: enqueue once per dedupe key, oldest due first, conditional settle, counts', async (ctx) => {
    if (!database) return ctx.skip();
    const { outbox } = notifyFixture(store, Date.now);
    const older = entry(T0 - 2_000);
    const newer = entry(T0 - 1_000);
    expect(await outbox.enqueue(newer)).toBe(true);
    expect(await outbox.enqueue(older)).toBe(true);
    expect(await outbox.enqueue({ ...newer, id: 'another-id' })).toBe(false);
    expect(await outbox.enqueue(entry(T0 + 5_000))).toBe(true);
    expect((await outbox.due(T0, 10)).map((row) => row.id)).toEqual([older.id, newer.id]);

    const [first] = await outbox.due(T0, 1);
    expect(await outbox.settle(first!, { status: 'pending', nextAttemptAt: T0 + 30_000, error: 'HTTP 503' }, true)).toBe(true);
    // The same claim again (a worker that lost its lease): refused.
    expect(await outbox.settle(first!, { status: 'delivered', at: T0 }, true)).toBe(false);
    expect(await outbox.settle({ id: newer.id, attempts: 0 }, { status: 'delivered', at: T0 }, true)).toBe(true);
    expect(await outbox.counts(T0)).toEqual({ pending: 1, retrying: 1, dead: 0, delivered_24h: 1 });
    expect(await outbox.counts(T0 + 25 * 3_600_000)).toMatchObject({ delivered_24h: 0 });
    expect(await outbox.pendingTotal()).toBe(2);
    expect(await outbox.bySource([older.id, newer.id, 'unknown'])).toEqual(
      expect.arrayContaining([
        { source_id: older.id, status: 'pending', attempts: 1, delivered_at: null },
        { source_id: newer.id, status: 'delivered', attempts: 1, delivered_at: T0 },
      ]),
    );
  });
});
