/** The scheduled refresh: when it runs, when it waits, and that runs never overlap. */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAwsPriceRefresher, type AwsPriceRefresherOptions } from '../../../src/spend/aws-price-list/refresher.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2027, 0, 1);

describe('AWS price refresher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function refresher(overrides: Partial<AwsPriceRefresherOptions> = {}) {
    const calls: number[] = [];
    const errors: unknown[] = [];
    let last: number | null = null;
    const options: AwsPriceRefresherOptions = {
      refresh: async () => {
        calls.push(Date.now());
        last = Date.now();
      },
      lastRefreshedAt: async () => last,
      enabled: () => true,
      intervalMs: DAY,
      firstDelayMs: 60_000,
      onError: (error) => errors.push(error),
      ...overrides,
    };
    return { refresher: createAwsPriceRefresher(options), calls, errors, setLast: (at: number | null) => (last = at) };
  }

  test('first run a while after start, then once per interval', async () => {
    const { refresher: r, calls } = refresher();
    r.start();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([START + 60_000]);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(calls).toEqual([START + 60_000, START + 60_000 + DAY]);
    await r.close();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(calls).toHaveLength(2);
  });

  test('a recent refresh (another replica, before a restart) postpones the next one to a full interval after it', async () => {
    const { refresher: r, calls, setLast } = refresher();
    setLast(START - 20 * HOUR);
    r.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(4 * HOUR - 60_000);
    expect(calls).toEqual([START + 4 * HOUR]);
    await r.close();
  });

  test('disabled (no Bedrock endpoint): never calls AWS, asks again next interval', async () => {
    let enabled = false;
    const { refresher: r, calls } = refresher({ enabled: () => enabled });
    r.start();
    await vi.advanceTimersByTimeAsync(60_000 + DAY);
    expect(calls).toEqual([]);
    enabled = true;
    await vi.advanceTimersByTimeAsync(DAY);
    expect(calls).toEqual([START + 60_000 + 2 * DAY]);
    await r.close();
  });

  test('a failure is reported and retried within the hour; a slow run is never overlapped', async () => {
    let release: (() => void) | undefined;
    let runs = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const { refresher: r, errors } = refresher({
      intervalMs: HOUR / 2,
      refresh: async () => {
        runs++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          if (runs === 1) throw new Error('AWS unreachable');
          await new Promise<void>((resolve) => (release = resolve));
        } finally {
          inFlight--;
        }
      },
    });
    r.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(HOUR / 2);
    expect(runs).toBe(2);
    // The second run hangs for three intervals: no other run starts meanwhile.
    await vi.advanceTimersByTimeAsync(3 * (HOUR / 2));
    expect(runs).toBe(2);
    release!();
    await vi.advanceTimersByTimeAsync(HOUR / 2);
    expect(runs).toBe(3);
    expect(maxInFlight).toBe(1);
    release!();
    await r.close();
  });
});
