/**
 * Enqueueing on SQLite and PostgreSQL: a rate-limit refusal storm through the real rate limiter
 * queues one `rate_limit_hit` per subject, limit and minute (across replicas too), writing to the
 * database once per window; a budget event recorded once is queued once, with names resolved.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Principal } from '../../src/identity/authenticator.js';
import { createBudgetEventsRepo } from '../../src/limits/budgets/budget-events.repo.js';
import { createMemoryBackend } from '../../src/limits/rate-limits/memory-backend.js';
import type { Limits } from '../../src/limits/rate-limits/overrides.service.js';
import { createRateLimiter } from '../../src/limits/rate-limits/rate-limiter.js';
import { createNotifier } from '../../src/notify/notifier.js';
import { createOutboxRepo, type OutboxRepo } from '../../src/notify/outbox.repo.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const MINUTE = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
const principal: Principal = { keyId: 'k1', keyPrefix: 'sk-ccag-abc123', userId: 'u1', userEmail: 'dev@example.com', teamId: 't1', credential: 'key' };
const UNLIMITED: Limits = { rpm: null, tpm: null, concurrency: null };
const names = { userEmail: (id: string) => (id === 'u1' ? 'dev@example.com' : undefined), teamNames: async () => new Map([['t1', 'frontend']]) };

describe.each(databaseKinds)('queueing notifications on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (database) store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  /** A replica: its own rate limiter (user limit 1 rpm) reporting to its own notifier. */
  function replica(outbox: OutboxRepo) {
    let writes = 0;
    const notifier = createNotifier({
      outbox: { enqueue: (entry) => ((writes += 1), outbox.enqueue(entry)) },
      names,
      onError: (error) => {
        throw error;
      },
    });
    const limiter = createRateLimiter({
      backend: createMemoryBackend(),
      overrides: { limitsFor: (type) => (type === 'user' ? { ...UNLIMITED, rpm: 1 } : UNLIMITED) },
      slotTtlMs: 60_000,
      log: { warn: () => undefined },
      onRefused: (hit) => notifier.rateLimitHit(hit),
    });
    const request = (now: number) => limiter.admit({ principal, model: 'claude-x', worstCaseMicros: () => 0, estimatedInputTokens: 10, now });
    return { notifier, request, writes: () => writes };
  }

  test('a refusal storm queues one rate_limit_hit per minute, once across replicas', async (ctx) => {
    if (!database) return ctx.skip();
    const outbox = createOutboxRepo(store.db);
    const [one, two] = [replica(outbox), replica(outbox)];
    for (const { request } of [one, two]) await request(MINUTE + 1_000);
    for (let n = 0; n < 50; n += 1) {
      await expect(one.request(MINUTE + 2_000 + n)).rejects.toThrow('Rate limit: 1 requests per minute for your account');
      await expect(two.request(MINUTE + 2_000 + n)).rejects.toThrow('Rate limit');
    }
    await Promise.all([one.notifier.idle(), two.notifier.idle()]);
    // One write per replica for the window (the in-memory set), one row in all (the dedupe key).
    expect([one.writes(), two.writes()]).toEqual([1, 1]);
    const rows = await store.db.selectFrom('notification_events').selectAll().where('category', '=', 'rate_limit').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event_type: 'rate_limit_hit', severity: 'warning', status: 'pending', dedupe_key: `rate_limit:user:u1:rpm:${MINUTE}`, source_id: null });
    expect(JSON.parse(rows[0]!.body)).toEqual({
      id: rows[0]!.id,
      source: 'ccag',
      version: '1',
      category: 'rate_limit',
      event_type: 'rate_limit_hit',
      severity: 'warning',
      user_identity: 'dev@example.com',
      team_id: 't1',
      team_name: 'frontend',
      detail: { scope: 'user', limit: 'rpm', limit_value: 1, window_seconds: 60, window_start: new Date(MINUTE).toISOString(), key_prefix: 'sk-ccag-abc123' },
      timestamp: new Date(MINUTE + 2_000).toISOString(),
    });

    // The next minute is another window: the storm goes on, one more event.
    await one.request(MINUTE + 62_000);
    await expect(one.request(MINUTE + 62_001)).rejects.toThrow('Rate limit');
    await one.notifier.idle();
    expect(await store.db.selectFrom('notification_events').select('dedupe_key').where('category', '=', 'rate_limit').orderBy('created_at').execute()).toEqual([
      { dedupe_key: `rate_limit:user:u1:rpm:${MINUTE}` },
      { dedupe_key: `rate_limit:user:u1:rpm:${MINUTE + 60_000}` },
    ]);
  });

  test('a budget event is queued once, under its own id, with the names of its user and team', async (ctx) => {
    if (!database) return ctx.skip();
    const outbox = createOutboxRepo(store.db);
    const events = createBudgetEventsRepo(store.db, () => MINUTE);
    const notifier = createNotifier({ outbox, names, onError: (error) => { throw error; } });
    const detail = { threshold_percent: 80, spend_usd: 41.2, limit_usd: 50, percent: 82.4, period: 'weekly', period_start: '2026-03-16T00:00:00.000Z', budget_id: 'b1', subject_type: 'user' };
    const input = { subject_type: 'user' as const, subject_id: 'u1', threshold_percent: 80, period_start: Date.parse(detail.period_start), event_type: 'budget_warning', severity: 'warning', user_id: 'u1', team_id: 't1', detail: JSON.stringify(detail) };
    const recorded = await events.record(input);
    expect(recorded).toMatchObject({ subject_id: 'u1', created_at: MINUTE });
    // The same threshold again (another replica's settle): nothing inserted, nothing to notify.
    expect(await events.record(input)).toBeNull();
    notifier.budgetEvent(recorded!);
    notifier.budgetEvent(recorded!);
    await notifier.idle();
    const rows = await store.db.selectFrom('notification_events').selectAll().where('category', '=', 'budget').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: recorded!.id, source_id: recorded!.id, dedupe_key: `budget:${recorded!.id}`, event_type: 'budget_warning' });
    expect(JSON.parse(rows[0]!.body)).toEqual({
      id: recorded!.id,
      source: 'ccag',
      version: '1',
      category: 'budget',
      event_type: 'budget_warning',
      severity: 'warning',
      user_identity: 'dev@example.com',
      team_id: 't1',
      team_name: 'frontend',
      detail,
      timestamp: new Date(MINUTE).toISOString(),
    });
  });
});
