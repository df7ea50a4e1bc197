/**
 * The delivery worker on SQLite and PostgreSQL, against a real webhook receiver: three competing
 * workers deliver every event exactly once; a holder that dies is replaced after the lease TTL;
 * a holder that loses the lease mid-pass stops (fencing); each attempt is written to the history.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Sender } from '../../src/notify/senders/sender.js';
import { verifyWebhook } from '../../src/notify/webhook-signature.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { entry, manualClock, notifyFixture, T0, WEBHOOK_SECRET } from './notify-fixture.js';

describe.each(databaseKinds)('delivery worker on %s', (kind) => {
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

  test('three competing workers deliver every event exactly once, signed', async (ctx) => {
    if (!database) return ctx.skip();
    const fixture = notifyFixture(store, Date.now);
    await fixture.activate({ type: 'webhook', url: receiver.url, signing_secret: WEBHOOK_SECRET });
    const entries = Array.from({ length: 120 }, (_, index) => entry(Date.now() - 10_000 + index));
    for (const item of entries) await fixture.outbox.enqueue(item);
    const workers = ['w1', 'w2', 'w3'].map((holder) => fixture.worker(holder));

    const rounds = [];
    for (let round = 0; round < 3; round += 1) rounds.push(await Promise.all(workers.map((worker) => worker.runPass())));
    // One holder per round (the lease), and everything delivered in the first.
    for (const results of rounds) expect(results.filter((result) => result.held_lease)).toHaveLength(1);
    expect(rounds[0]!.reduce((sum, result) => sum + result.delivered, 0)).toBe(120);

    const ids = receiver.requests.map((request) => request.headers['x-ccag-event-id']);
    expect(ids).toHaveLength(120);
    expect(new Set(ids)).toEqual(new Set(entries.map((item) => item.id)));
    for (const request of receiver.requests.slice(0, 5)) {
      const verdict = verifyWebhook({ secret: WEBHOOK_SECRET, body: request.body, signature: request.headers['x-ccag-signature'] as string, timestamp: request.headers['x-ccag-timestamp'] as string, now: Date.now() });
      expect(verdict).toEqual({ ok: true });
    }
    const statuses = await store.db.selectFrom('notification_events').select(['status', 'attempts']).execute();
    expect(statuses.every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
    const history = await store.db.selectFrom('notification_deliveries').selectAll().execute();
    expect(history).toHaveLength(120);
    expect(history.every((row) => row.status === 'delivered' && row.http_status === 204 && row.attempt === 1 && row.test === 0)).toBe(true);
  });

  test('a holder that dies is replaced once its lease expires', async (ctx) => {
    if (!database) return ctx.skip();
    const clock = manualClock();
    const fixture = notifyFixture(store, clock.now);
    await fixture.activate({ type: 'webhook', url: receiver.url, signing_secret: WEBHOOK_SECRET });
    const dead = fixture.worker('dead');
    const survivor = fixture.worker('survivor');
    await fixture.outbox.enqueue(entry(T0 - 1));
    expect(await dead.runPass()).toMatchObject({ held_lease: true, delivered: 1 });
    // Then that replica dies: it never renews again, and a new event waits.
    await fixture.outbox.enqueue(entry(T0));
    clock.advance(59_999);
    expect(await survivor.runPass()).toMatchObject({ held_lease: false, delivered: 0 });
    clock.advance(1);
    expect(await survivor.runPass()).toMatchObject({ held_lease: true, delivered: 1 });
    expect(receiver.requests).toHaveLength(2);
  });

  test('a holder that loses the lease mid-pass stops before the next event (fencing)', async (ctx) => {
    if (!database) return ctx.skip();
    const clock = manualClock();
    const fixture = notifyFixture(store, clock.now);
    await fixture.activate({ type: 'webhook', url: receiver.url, signing_secret: WEBHOOK_SECRET });
    for (let index = 0; index < 3; index += 1) await fixture.outbox.enqueue(entry(T0 - 10 + index));
    const successor = fixture.worker('successor');
    // The first send stalls past the TTL (a GC pause, a hung socket) and the successor takes over.
    const stalling: Sender = {
      async send() {
        clock.advance(60_000);
        expect(await successor.runPass()).toMatchObject({ held_lease: true });
        return { ok: true, httpStatus: 200 };
      },
      close() {},
    };
    const stalled = fixture.worker('stalled', { senderFor: () => stalling });
    const summary = await stalled.runPass();
    expect(summary).toEqual({ held_lease: true, delivered: 0, failed: 0, dead: 0, skipped: 0 });
    // The successor delivered all three; the stalled worker's late outcome was not written over them.
    expect(receiver.requests).toHaveLength(3);
    const rows = await store.db.selectFrom('notification_events').select(['status', 'attempts']).execute();
    expect(rows).toEqual([
      { status: 'delivered', attempts: 1 },
      { status: 'delivered', attempts: 1 },
      { status: 'delivered', attempts: 1 },
    ]);
  });
});
