/**
 * The reservation stores, memory and Redis (the real server at REDIS_URL or 127.0.0.1:6379,
 * under a prefix of this run's own that is deleted afterwards), held to the same contract.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReserveLine, Reservations } from '../../../src/limits/contracts.js';
import { createMemoryReservations } from '../../../src/limits/reservations/memory.js';
import { createRedisReservations } from '../../../src/limits/reservations/redis.js';
import { openRedis, type RedisClient } from '../../../src/store/redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:reservations:${randomUUID()}:`;
let redis: RedisClient;

beforeAll(async () => {
  redis = await openRedis(REDIS_URL);
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const HOUR = 3_600_000;

/** A clock the test moves by hand. */
function manualClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/**
 * A counter line whose seeds are counted; each test gets fresh counter names. Lines are strict
 * (the worst case must fit) unless the factory is made for the default rule.
 */
function lineFactory({ strict = true }: { strict?: boolean } = {}) {
  const run = randomUUID();
  return (name: string, capMicros: number | null, seeded = 0, expiresAt = Date.now() + 24 * HOUR) => {
    const line = {
      key: `${run}:${name}`,
      capMicros,
      strict,
      expiresAt,
      seeds: 0,
      async seed() {
        line.seeds += 1;
        // Slow, like a ledger query, so concurrent first uses overlap.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return seeded;
      },
    };
    return line satisfies ReserveLine;
  };
}

describe.each([
  ['memory', (clock: () => number) => createMemoryReservations(clock)],
  ['redis', (clock: () => number) => createRedisReservations(redis, prefix, clock)],
] as const)('%s reservations', (_name, create: (clock: () => number) => Reservations) => {
  it('strict: holds the amount on every line and refuses all of them when one cap would be passed', async () => {
    const store = create(Date.now);
    const line = lineFactory();
    const user = line('user', 1_000);
    const team = line('team', 300);
    const key = line('key', null);

    const first = await store.reserve([user, team, key], 200, 60_000);
    expect(first).toMatchObject({ ok: true, before: [0, 0, 0].map(() => ({ spentMicros: 0, reservedMicros: 0 })) });

    const second = await store.reserve([user, team, key], 150, 60_000);
    expect(second).toEqual({
      ok: false,
      refusedIndex: 1,
      before: [
        { spentMicros: 0, reservedMicros: 200 },
        { spentMicros: 0, reservedMicros: 200 },
        { spentMicros: 0, reservedMicros: 200 },
      ],
    });
    // The refusal held nothing, not even on the lines that had room.
    expect(await store.standing(user)).toEqual({ spentMicros: 0, reservedMicros: 200 });
    expect(await store.standing(key)).toEqual({ spentMicros: 0, reservedMicros: 200 });
  });

  it('strict: lets committed spend reach the cap exactly, not pass it', async () => {
    const store = create(Date.now);
    const user = lineFactory()('user', 1_000, 600);
    expect((await store.reserve([user], 400, 60_000)).ok).toBe(true);
    const refused = await store.reserve([user], 1, 60_000);
    expect(refused).toEqual({ ok: false, refusedIndex: 0, before: [{ spentMicros: 600, reservedMicros: 400 }] });
  });

  it('settles to the actual cost and releases to nothing, each only once', async () => {
    const store = create(Date.now);
    const line = lineFactory();
    const user = line('user', 1_000, 100);
    const team = line('team', null, 5_000);
    const a = await store.reserve([user, team], 300, 60_000);
    const b = await store.reserve([user, team], 300, 60_000);
    if (!a.ok || !b.ok) throw new Error('expected both to be held');

    expect(await store.settle(a.id, 120)).toEqual([
      { spentMicros: 220, reservedMicros: 300 },
      { spentMicros: 5_120, reservedMicros: 300 },
    ]);
    expect(await store.settle(a.id, 120)).toEqual([]);
    await store.release(a.id);

    await store.release(b.id);
    await store.release(b.id);
    expect(await store.settle(b.id, 999)).toEqual([]);
    expect(await store.standing(user)).toEqual({ spentMicros: 220, reservedMicros: 0 });
    expect(await store.standing(team)).toEqual({ spentMicros: 5_120, reservedMicros: 0 });
  });

  it('strict: never lets 50 concurrent reservations pass the cap', async () => {
    const store = create(Date.now);
    const line = lineFactory();
    const user = line('user', 1_000_000, 50_000);
    const team = line('team', 2_000_000);
    const results = await Promise.all(Array.from({ length: 50 }, () => store.reserve([user, team], 100_000, 60_000)));
    // (1_000_000 - 50_000) / 100_000 = 9.5: nine fit.
    expect(results.filter((result) => result.ok)).toHaveLength(9);
    expect(results.filter((result) => !result.ok).every((result) => !result.ok && result.refusedIndex === 0)).toBe(true);
    expect(await store.standing(user)).toEqual({ spentMicros: 50_000, reservedMicros: 900_000 });
    // Concurrent first uses read the ledger once per counter.
    expect([user.seeds, team.seeds]).toEqual([1, 1]);
  });

  it('default: admits at 84% spent a worst case larger than what remains', async () => {
    const store = create(Date.now);
    // $10 budget, $8.40 spent; a 32k-max_tokens Opus-class worst case of $1.92 does not fit $1.60.
    const user = lineFactory({ strict: false })('user', 10_000_000, 8_400_000);
    const held = await store.reserve([user], 1_920_000, 60_000);
    expect(held).toMatchObject({ ok: true, before: [{ spentMicros: 8_400_000, reservedMicros: 0 }] });
    // The same request on a strict budget does not fit.
    const strictUser = lineFactory()('user', 10_000_000, 8_400_000);
    expect(await store.reserve([strictUser], 1_920_000, 60_000)).toEqual({ ok: false, refusedIndex: 0, before: [{ spentMicros: 8_400_000, reservedMicros: 0 }] });
  });

  it('default: refuses once spent plus reserved reaches the cap, and admits again when a hold is released', async () => {
    const store = create(Date.now);
    const user = lineFactory({ strict: false })('user', 1_000, 600);
    const first = await store.reserve([user], 300, 60_000);
    const second = await store.reserve([user], 300, 60_000);
    if (!first.ok || !second.ok) throw new Error('expected both to be held: 600 and 900 are below 1 000');
    // 600 + 600 ≥ 1 000: nothing remains uncommitted, even a 1-micro-dollar request is refused.
    expect(await store.reserve([user], 1, 60_000)).toEqual({ ok: false, refusedIndex: 0, before: [{ spentMicros: 600, reservedMicros: 600 }] });
    await store.release(second.id);
    expect((await store.reserve([user], 500, 60_000)).ok).toBe(true);
    // Exactly at the cap counts as spent.
    const exact = lineFactory({ strict: false })('exact', 1_000, 1_000);
    expect((await store.reserve([exact], 1, 60_000)).ok).toBe(false);
  });

  it('applies each line its own rule in one reservation', async () => {
    const store = create(Date.now);
    const lenient = lineFactory({ strict: false })('user', 1_000, 900);
    const strict = lineFactory()('team', 1_000, 900);
    // The lenient line would admit 500 over its remaining 100; the strict one refuses, so nothing is held.
    expect(await store.reserve([lenient, strict], 500, 60_000)).toMatchObject({ ok: false, refusedIndex: 1 });
    expect(await store.standing(lenient)).toEqual({ spentMicros: 900, reservedMicros: 0 });
    expect((await store.reserve([lenient], 500, 60_000)).ok).toBe(true);
  });

  it('default: 50 concurrent reservations overshoot the cap by at most one worst case', async () => {
    const store = create(Date.now);
    const line = lineFactory({ strict: false });
    const user = line('user', 1_000_000, 50_000);
    const team = line('team', 2_000_000);
    const results = await Promise.all(Array.from({ length: 50 }, () => store.reserve([user, team], 100_000, 60_000)));
    // Admitted while committed < 1 000 000: 50 000, 150 000, …, 950 000: ten holds.
    expect(results.filter((result) => result.ok)).toHaveLength(10);
    const standing = await store.standing(user);
    expect(standing).toEqual({ spentMicros: 50_000, reservedMicros: 1_000_000 });
    expect(standing.spentMicros + standing.reservedMicros).toBeLessThanOrEqual(1_000_000 + 100_000);
  });

  it('seeds a counter once, then keeps its own count', async () => {
    const store = create(Date.now);
    const user = lineFactory()('user', null, 700);
    const held = await store.reserve([user], 50, 60_000);
    if (!held.ok) throw new Error('expected a hold');
    await store.settle(held.id, 40);
    expect(await store.standing(user)).toEqual({ spentMicros: 740, reservedMicros: 0 });
    expect(user.seeds).toBe(1);
  });

  it('stops counting a reservation after its ttl, yet still settles its actual cost', async () => {
    const clock = manualClock();
    const store = create(clock.now);
    const user = lineFactory()('user', 1_000, 0, clock.now() + 24 * HOUR);
    const lost = await store.reserve([user], 800, 10_000);
    const late = await store.reserve([user], 800, 10_000);
    expect(late.ok).toBe(false);

    clock.advance(10_000);
    // The first holder's replica crashed (or the request is slow): its hold has lapsed.
    expect(await store.standing(user)).toEqual({ spentMicros: 0, reservedMicros: 0 });
    expect((await store.reserve([user], 800, 10_000)).ok).toBe(true);

    if (!lost.ok) throw new Error('expected a hold');
    expect(await store.settle(lost.id, 300)).toEqual([{ spentMicros: 300, reservedMicros: 800 }]);
  });
});

describe('memory reservations', () => {
  it('forgets a counter an hour after its period and seeds it afresh if it is used again', async () => {
    const clock = manualClock();
    const store = createMemoryReservations(clock.now);
    const june = lineFactory()('user:june', 1_000, 900, clock.now() + HOUR);
    expect((await store.reserve([june], 200, 60_000)).ok).toBe(false);
    clock.advance(2 * HOUR - 1);
    await store.standing(june);
    expect(june.seeds).toBe(1);
    clock.advance(1);
    await store.standing(june);
    expect(june.seeds).toBe(2);
  });
});

describe('redis reservations across replicas', () => {
  it('shares holds between two stores on separate connections, as two replicas would', async () => {
    const other = await openRedis(REDIS_URL);
    try {
      const replicas = [createRedisReservations(redis, prefix), createRedisReservations(other, prefix)];
      const user = lineFactory()('user', 1_000_000);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => replicas[i % 2]!.reserve([user], 150_000, 60_000)));
      expect(results.filter((result) => result.ok)).toHaveLength(6);
      expect(await replicas[1]!.standing(user)).toEqual({ spentMicros: 0, reservedMicros: 900_000 });
      // Seeded once per replica at most; HSETNX keeps the first.
      expect(user.seeds).toBeLessThanOrEqual(2);
    } finally {
      other.disconnect();
    }
  });

  it('default rule across two replicas: overshoot stays within one worst case', async () => {
    const other = await openRedis(REDIS_URL);
    try {
      const replicas = [createRedisReservations(redis, prefix), createRedisReservations(other, prefix)];
      const user = lineFactory({ strict: false })('user', 1_000_000);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => replicas[i % 2]!.reserve([user], 150_000, 60_000)));
      // Admitted at 0, 150 000, …, 900 000: seven holds, 1 050 000 committed.
      expect(results.filter((result) => result.ok)).toHaveLength(7);
      expect(await replicas[0]!.standing(user)).toEqual({ spentMicros: 0, reservedMicros: 1_050_000 });
    } finally {
      other.disconnect();
    }
  });

  it("stops counting a crashed replica's reservations after their ttl", async () => {
    const crashing = await openRedis(REDIS_URL);
    const user = lineFactory()('user', 1_000);
    const held = await createRedisReservations(crashing, prefix).reserve([user], 900, 300);
    expect(held.ok).toBe(true);
    crashing.disconnect();

    const survivor = createRedisReservations(redis, prefix);
    expect((await survivor.reserve([user], 900, 60_000)).ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await survivor.reserve([user], 900, 60_000)).ok).toBe(true);
  });

  it('lets its counters expire in Redis after the period plus a margin', async () => {
    const user = lineFactory()('user', 1_000, 0, Date.now() + HOUR);
    const store = createRedisReservations(redis, prefix);
    await store.reserve([user], 10, 60_000);
    const ttl = await redis.pttl(`${prefix}{budgets}:c:${user.key}`);
    expect(ttl).toBeGreaterThan(HOUR);
    expect(ttl).toBeLessThanOrEqual(2 * HOUR);
  });

  // Regression (issue 9): the store once sent expiries as instants (PEXPIREAT) computed on the
  // caller's clock, so with a clock behind Redis's (a test pinned to last month) every counter
  // expired the moment it was seeded and reserve() re-seeded forever.
  describe.each([
    ['three years behind', -3 * 365 * 24 * HOUR],
    ['three years ahead', 3 * 365 * 24 * HOUR],
  ])("works with a caller clock %s of Redis's", (_when, skewMs) => {
    it('holds, settles and keeps its counters for the rest of the period', async () => {
      const clock = manualClock(Date.now() + skewMs);
      const store = createRedisReservations(redis, prefix, clock.now);
      const user = lineFactory()('user', 1_000, 100, clock.now() + 2 * HOUR);
      const held = await store.reserve([user], 300, 60_000);
      if (!held.ok) throw new Error('expected a hold');
      expect(await store.settle(held.id, 250)).toEqual([{ spentMicros: 350, reservedMicros: 0 }]);
      expect(user.seeds).toBe(1);
      // Period (2 h) plus the margin (1 h), measured from the caller's clock, not Redis's.
      const ttl = await redis.pttl(`${prefix}{budgets}:c:${user.key}`);
      expect(ttl).toBeGreaterThan(3 * HOUR - 60_000);
      expect(ttl).toBeLessThanOrEqual(3 * HOUR);
    });

    it("stops counting a hold after its ttl on the caller's clock", async () => {
      const clock = manualClock(Date.now() + skewMs);
      const store = createRedisReservations(redis, prefix, clock.now);
      const user = lineFactory()('user', 1_000, 0, clock.now() + 2 * HOUR);
      expect((await store.reserve([user], 900, 60_000)).ok).toBe(true);
      expect((await store.reserve([user], 900, 60_000)).ok).toBe(false);
      clock.advance(60_001);
      expect((await store.reserve([user], 900, 60_000)).ok).toBe(true);
    });
  });
});
