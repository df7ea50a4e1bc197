/**
 * Regression: a budget event recorded by a replica killed before it queued the notification
 * (kill -9 between the two writes) was never delivered. The lease holder's catch-up queues it
 * on the next pass, once, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBudgetEventsRepo } from '../../src/limits/budgets/budget-events.repo.js';
import { createBudgetCatchUp, FIRST_LOOK_BACK_MS } from '../../src/notify/budget-catch-up.js';
import { createNotifier } from '../../src/notify/notifier.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { manualClock, notifyFixture, T0, WEBHOOK_SECRET } from './notify-fixture.js';

const names = { userEmail: () => 'dev@example.com', teamNames: async () => new Map([['t1', 'frontend']]) };
const detail = { threshold_percent: 80, spend_usd: 41.2, limit_usd: 50, percent: 82.4, period: 'weekly', period_start: '2026-03-16T00:00:00.000Z', budget_id: 'b1', subject_type: 'user' };
const budgetEvent = (threshold: number) => ({
  subject_type: 'user' as const,
  subject_id: 'u1',
  threshold_percent: threshold,
  period_start: Date.parse(detail.period_start),
  event_type: 'budget_warning',
  severity: 'warning',
  user_id: 'u1',
  team_id: 't1',
  detail: JSON.stringify({ ...detail, threshold_percent: threshold }),
});

describe.each(databaseKinds)('budget catch-up on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (database) store = await database.open();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await store?.close();
    await database?.drop();
  });

  test('a budget event whose notification was never queued (replica killed in between) is delivered by the next pass, once', async (ctx) => {
    if (!database) return ctx.skip();
    const clock = manualClock(T0);
    const fixture = notifyFixture(store, clock.now);
    await fixture.activate({ type: 'webhook', url: receiver.url, signing_secret: WEBHOOK_SECRET });
    const events = createBudgetEventsRepo(store.db, clock.now);
    const notifier = createNotifier({ outbox: fixture.outbox, names, onError: (error) => { throw error; } });

    // One event queued as usual; one recorded by a replica that died before queueing it; one too old to look back to.
    const queued = (await events.record(budgetEvent(50)))!;
    notifier.budgetEvent(queued);
    await notifier.idle();
    clock.advance(1_000);
    const orphan = (await events.record(budgetEvent(80)))!;
    const ancient = (await createBudgetEventsRepo(store.db, () => T0 - FIRST_LOOK_BACK_MS - 1).record(budgetEvent(90)))!;

    const catchUp = createBudgetCatchUp({ recentBudgetEvents: events.since, outbox: fixture.outbox, entryFor: notifier.budgetEntry, clock: clock.now });
    const worker = fixture.worker('replica-a', { beforePass: () => catchUp.run() });
    clock.advance(1_000);
    expect(await worker.runPass()).toMatchObject({ held_lease: true, delivered: 2, failed: 0 });

    const delivered = receiver.requests.map((request) => JSON.parse(request.body) as { id: string; detail: { threshold_percent: number } });
    expect(delivered.map((body) => body.id).sort()).toEqual([queued.id, orphan.id].sort());
    expect(delivered.find((body) => body.id === orphan.id)).toMatchObject({ event_type: 'budget_warning', user_identity: 'dev@example.com', team_name: 'frontend', detail: { threshold_percent: 80 } });
    expect(delivered.some((body) => body.id === ancient.id)).toBe(false);

    // The next pass finds nothing new to queue and delivers nothing twice.
    clock.advance(30_000);
    expect(await catchUp.run()).toBe(0);
    expect(await worker.runPass()).toMatchObject({ delivered: 0 });
    expect(receiver.requests).toHaveLength(2);
    await worker.close();
  });
});
