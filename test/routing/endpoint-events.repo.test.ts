/** Endpoint events on SQLite and PostgreSQL: batched inserts and counts per endpoint and kind in a range. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEndpointEventsRepo, type EndpointEvent } from '../../src/routing/endpoint-events.repo.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const T0 = 1_760_000_000_000;
const event = (endpointId: string, kind: EndpointEvent['kind'], at: number, extra: Partial<EndpointEvent> = {}): EndpointEvent => ({
  endpointId,
  kind,
  reason: null,
  durationMs: null,
  at,
  ...extra,
});

describe.each(['sqlite', 'postgres'] as const)('endpoint events on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  test('counts per endpoint and kind, from inclusive, to exclusive', async ({ skip }) => {
    if (!database) return skip();
    const repo = createEndpointEventsRepo(store.db);
    await repo.insertMany([
      event('a', 'throttle', T0 - 1, { reason: 'throttled' }),
      event('a', 'throttle', T0, { reason: 'throttled' }),
      event('a', 'throttle', T0 + 10),
      event('a', 'cooldown', T0 + 20, { reason: 'throttled', durationMs: 30_000 }),
      event('b', 'failover', T0 + 30, { reason: 'unreachable' }),
      event('b', 'unhealthy', T0 + 40, { reason: 'health_check' }),
      event('b', 'failover', T0 + 100),
    ]);
    const counts = await repo.countsBetween(T0, T0 + 100);
    expect(Object.fromEntries(counts)).toEqual({ a: { throttle: 2, cooldown: 1 }, b: { failover: 1, unhealthy: 1 } });
    expect((await repo.countsBetween(T0 + 1000, T0 + 2000)).size).toBe(0);
    const cooldown = await store.db.selectFrom('endpoint_events').selectAll().where('kind', '=', 'cooldown').executeTakeFirstOrThrow();
    expect(cooldown).toMatchObject({ endpoint_id: 'a', reason: 'throttled', duration_ms: 30_000 });
    expect(Number(cooldown.at)).toBe(T0 + 20);
  });

  test('a batch larger than one INSERT is written whole', async ({ skip }) => {
    if (!database) return skip();
    const repo = createEndpointEventsRepo(store.db);
    const many = Array.from({ length: 1234 }, (_, i) => event('bulk', 'throttle', T0 + 5_000 + i));
    await repo.insertMany(many);
    expect((await repo.countsBetween(T0 + 5_000, T0 + 10_000)).get('bulk')).toEqual({ throttle: 1234 });
  });
});
