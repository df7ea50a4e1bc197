/**
 * The database lease (src/store/lease.ts) on SQLite and PostgreSQL: one holder at a time, renewed
 * by its holder, taken over only after it expires, handed on at release, and a holder that lost
 * it finds out at its next renewal (fencing). Clocks are injected.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { createLease } from '../../src/store/lease.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const T0 = 1_800_000_000_000;
const TTL = 60_000;

describe.each(databaseKinds)('lease on %s', (kind) => {
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

  /** Two replicas reading one shared clock the test moves. */
  function replicas(name: string) {
    let now = T0;
    const clock = () => now;
    return {
      a: createLease(store.db, { name, ttlMs: TTL, holder: 'a', clock }),
      b: createLease(store.db, { name, ttlMs: TTL, holder: 'b', clock }),
      advance: (ms: number) => void (now += ms),
    };
  }

  test('one holder at a time; the holder renews; another takes over only after expiry; the old holder is fenced', async (ctx) => {
    if (!database) return ctx.skip();
    const { a, b, advance } = replicas('fenced');
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    advance(TTL - 1);
    expect(await a.acquire()).toBe(true); // renewed: expires TTL from now
    advance(TTL - 1);
    expect(await b.acquire()).toBe(false);
    advance(1); // a stopped renewing (died or paused): its grant has run out
    expect(await b.acquire()).toBe(true);
    expect(await a.acquire()).toBe(false);
    const row = await store.db.selectFrom('leases').selectAll().where('name', '=', 'fenced').executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'fenced', holder: 'b', expires_at: T0 + 2 * (TTL - 1) + 1 + TTL });
  });

  test('release hands the lease on at once; releasing a lease one does not hold changes nothing', async (ctx) => {
    if (!database) return ctx.skip();
    const { a, b } = replicas('released');
    expect(await a.acquire()).toBe(true);
    await b.release();
    expect(await b.acquire()).toBe(false);
    await a.release();
    expect(await b.acquire()).toBe(true);
  });

  test('leases of different names are independent', async (ctx) => {
    if (!database) return ctx.skip();
    const first = replicas('first');
    const second = replicas('second');
    expect(await first.a.acquire()).toBe(true);
    expect(await second.b.acquire()).toBe(true);
  });

  test('racing acquisitions: exactly one of ten replicas wins', async (ctx) => {
    if (!database) return ctx.skip();
    const contenders = Array.from({ length: 10 }, (_, index) => createLease(store.db, { name: 'race', ttlMs: TTL, holder: `r${index}` }));
    const results = await Promise.all(contenders.map((lease) => lease.acquire()));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
