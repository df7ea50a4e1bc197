/**
 * The rate-limit counters, in memory and in the real Redis (under a unique key prefix): sliding
 * windows, token correction, concurrency slots and their expiry, all-or-nothing admission, and
 * (Redis) no overshoot when many admissions race.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LimitLine, RateLimitBackend } from '../../../src/limits/rate-limits/backend.js';
import { createMemoryBackend } from '../../../src/limits/rate-limits/memory-backend.js';
import { createRedisBackend } from '../../../src/limits/rate-limits/redis-backend.js';
import { createRpmThrottle } from '../../../src/limits/rate-limits/rpm-throttle.js';
import { openRedis, type RedisClient } from '../../../src/store/redis.js';

const REDIS_URL = process.env.CCAG_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const T0 = 1_800_000_000_000;
const TTL = 900_000;

const rpm = (key: string, limit: number): LimitLine => ({ key, kind: 'rpm', limit, amount: 1 });
const tpm = (key: string, limit: number, amount: number): LimitLine => ({ key, kind: 'tpm', limit, amount });
const slots = (key: string, limit: number): LimitLine => ({ key, kind: 'concurrency', limit, amount: 1 });

describe.each(['memory', 'redis'] as const)('rate-limit backend (%s)', (kind) => {
  let backend: RateLimitBackend;
  let redis: RedisClient | undefined;
  const prefix = `ccag-test-${randomUUID()}:`;

  beforeAll(async () => {
    if (kind === 'memory') {
      backend = createMemoryBackend();
      return;
    }
    redis = await openRedis(REDIS_URL);
    backend = createRedisBackend(redis, prefix);
  });

  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  // A fresh counter name per test, so tests never see each other's entries.
  const fresh = (name: string) => `${name}:${randomUUID()}`;

  test('requests per minute: a sliding window; retry-after names when the oldest request ages out', async () => {
    const key = fresh('rpm');
    for (const offset of [0, 10_000, 20_000]) expect((await backend.admit(randomUUID(), [rpm(key, 3)], T0 + offset, TTL)).ok).toBe(true);
    expect(await backend.admit(randomUUID(), [rpm(key, 3)], T0 + 30_000, TTL)).toEqual({ ok: false, refusedIndex: 0, retryAfterMs: 30_000 });
    // Still inside the window of the first request at exactly 60 s later... then just past it.
    expect((await backend.admit(randomUUID(), [rpm(key, 3)], T0 + 59_999, TTL)).ok).toBe(false);
    expect(await backend.admit(randomUUID(), [rpm(key, 3)], T0 + 60_000, TTL)).toEqual({ ok: true, used: [3] });
  });

  test('tokens per minute: charged with the estimate, corrected to the actual tokens at the end', async () => {
    const key = fresh('tpm');
    const first = randomUUID();
    expect(await backend.admit(first, [tpm(key, 1000, 600)], T0, TTL)).toEqual({ ok: true, used: [600] });
    expect(await backend.admit(randomUUID(), [tpm(key, 1000, 500)], T0 + 1_000, TTL)).toEqual({ ok: false, refusedIndex: 0, retryAfterMs: 59_000 });
    await backend.finish(first, [tpm(key, 1000, 600)], 300, T0 + 1_500);
    expect(await backend.admit(randomUUID(), [tpm(key, 1000, 500)], T0 + 2_000, TTL)).toEqual({ ok: true, used: [800] });
    // The correction can also raise the charge: the window is then full until it ages out.
    const second = randomUUID();
    const other = fresh('tpm');
    await backend.admit(second, [tpm(other, 1000, 100)], T0, TTL);
    await backend.finish(second, [tpm(other, 1000, 100)], 1000, T0);
    expect((await backend.admit(randomUUID(), [tpm(other, 1000, 1)], T0 + 1, TTL)).ok).toBe(false);
  });

  test('a request that ends after the window is still charged, from the moment it ended', async () => {
    const key = fresh('tpm');
    const long = randomUUID();
    await backend.admit(long, [tpm(key, 1000, 10)], T0, TTL);
    // Five minutes later the stream ends with 900 tokens: they count for the next 60 s.
    await backend.finish(long, [tpm(key, 1000, 10)], 900, T0 + 300_000);
    expect(await backend.admit(randomUUID(), [tpm(key, 1000, 200)], T0 + 301_000, TTL)).toEqual({ ok: false, refusedIndex: 0, retryAfterMs: 59_000 });
    expect(await backend.admit(randomUUID(), [tpm(key, 1000, 100)], T0 + 301_000, TTL)).toEqual({ ok: true, used: [1000] });
  });

  test('a request heavier than the whole token limit runs only in an empty window', async () => {
    const key = fresh('tpm');
    expect((await backend.admit(randomUUID(), [tpm(key, 1000, 5000)], T0, TTL)).ok).toBe(true);
    expect(await backend.admit(randomUUID(), [tpm(key, 1000, 5000)], T0 + 1, TTL)).toEqual({ ok: false, refusedIndex: 0, retryAfterMs: 59_999 });
    expect((await backend.admit(randomUUID(), [tpm(key, 1000, 5000)], T0 + 60_000, TTL)).ok).toBe(true);
  });

  test('concurrency: slots held until the request ends, and expired when their replica never ends them', async () => {
    const key = fresh('slots');
    const [a, b] = [randomUUID(), randomUUID()];
    expect((await backend.admit(a, [slots(key, 2)], T0, TTL)).ok).toBe(true);
    expect((await backend.admit(b, [slots(key, 2)], T0, 5_000)).ok).toBe(true);
    expect(await backend.admit(randomUUID(), [slots(key, 2)], T0 + 1, TTL)).toEqual({ ok: false, refusedIndex: 0, retryAfterMs: 1_000 });
    await backend.finish(a, [slots(key, 2)], 10, T0 + 1);
    expect((await backend.admit(randomUUID(), [slots(key, 2)], T0 + 2, TTL)).ok).toBe(true);
    expect((await backend.admit(randomUUID(), [slots(key, 2)], T0 + 3, TTL)).ok).toBe(false);
    // b's slot (TTL 5 s) expires: room again without anyone ending it.
    expect((await backend.admit(randomUUID(), [slots(key, 2)], T0 + 5_001, TTL)).ok).toBe(true);
  });

  test('all or nothing: a full line refuses without charging the others; release gives everything back', async () => {
    const [roomy, full] = [fresh('rpm'), fresh('rpm')];
    await backend.admit(randomUUID(), [rpm(full, 1)], T0, TTL);
    expect(await backend.admit(randomUUID(), [rpm(roomy, 10), rpm(full, 1)], T0 + 1, TTL)).toMatchObject({ ok: false, refusedIndex: 1 });
    expect(await backend.admit(randomUUID(), [rpm(roomy, 10)], T0 + 2, TTL)).toEqual({ ok: true, used: [1] });

    const id = randomUUID();
    const [r, t, s] = [rpm(fresh('rpm'), 1), tpm(fresh('tpm'), 100, 100), slots(fresh('slots'), 1)];
    expect((await backend.admit(id, [r, t, s], T0, TTL)).ok).toBe(true);
    expect((await backend.admit(randomUUID(), [s], T0 + 1, TTL)).ok).toBe(false);
    await backend.release(id, [r, t, s]);
    expect(await backend.admit(randomUUID(), [r, t, s], T0 + 2, TTL)).toEqual({ ok: true, used: [1, 100, 1] });
  });

  test('racing admissions never take more than the limit', async () => {
    const [requests, windowSlots] = [fresh('rpm'), fresh('slots')];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => backend.admit(randomUUID(), [rpm(requests, 100), slots(windowSlots, 7)], T0 + i, TTL)));
    expect(results.filter((result) => result.ok)).toHaveLength(7);
  });

  test('the RPM throttle budgets use is a sliding window of its own', async () => {
    const throttle = createRpmThrottle(backend);
    const key = fresh('user');
    expect(await throttle.take(key, 2, T0)).toEqual({ ok: true });
    expect(await throttle.take(key, 2, T0 + 20_000)).toEqual({ ok: true });
    expect(await throttle.take(key, 2, T0 + 30_500)).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(await throttle.take(key, 2, T0 + 60_000)).toEqual({ ok: true });
  });
});
