/** Latency bins and percentiles read from them (pure). */
import { describe, expect, test } from 'vitest';
import { addToHistogram, percentilesOf, type Histogram } from '../../../src/spend/analytics/percentiles.js';
import { binEdges, binOf, LAST_BIN } from '../../../src/spend/rollups/latency-bins.js';

function histogramOf(values: readonly number[]): Histogram {
  const histogram: Histogram = new Map();
  for (const value of values) addToHistogram(histogram, binOf(value), 1);
  return histogram;
}

/** The nearest-rank percentile of the values themselves. */
function exact(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

/** A small deterministic generator, so the test needs no seed from the clock. */
function* lcg(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    yield state / 2 ** 31;
  }
}

describe('latency bins', () => {
  test('four bins per doubling; each value lies inside its bin', () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(0.5)).toBe(0);
    expect(binOf(1)).toBe(1);
    expect(binOf(2)).toBe(5);
    expect(binOf(1000)).toBe(40);
    for (const ms of [1, 3, 17, 250, 999, 1000, 1001, 65_432, 3_000_000]) {
      const { lower, upper } = binEdges(binOf(ms));
      expect(ms).toBeGreaterThanOrEqual(lower);
      expect(ms).toBeLessThan(upper!);
    }
    expect(binOf(10 * 3_600_000)).toBe(LAST_BIN);
    expect(binEdges(LAST_BIN).upper).toBeNull();
  });
});

describe('percentilesOf', () => {
  test('an empty histogram has no percentiles', () => {
    expect(percentilesOf(new Map(), [0.5, 0.99])).toEqual([null, null]);
  });

  test('one value: its bin, read at the middle', () => {
    const [p50] = percentilesOf(histogramOf([1000]), [0.5]);
    const { lower, upper } = binEdges(binOf(1000));
    expect(p50).toBe(Math.round((lower + upper!) / 2));
  });

  test('within one bin (18.9%) of the exact percentile, for skewed latencies', () => {
    const random = lcg(42);
    // Log-normal-ish request durations: most a few seconds, a long tail.
    const values = Array.from({ length: 5000 }, () => Math.round(Math.exp(7.5 + 1.2 * (random.next().value + random.next().value + random.next().value - 1.5))));
    const ps = [0.5, 0.9, 0.95, 0.99];
    const estimates = percentilesOf(histogramOf(values), ps);
    ps.forEach((p, i) => {
      const truth = exact(values, p);
      expect(Math.abs(estimates[i]! - truth) / truth).toBeLessThan(0.19);
    });
  });

  test('the open last bin answers its lower edge', () => {
    expect(percentilesOf(histogramOf([20 * 3_600_000]), [0.99])).toEqual([Math.round(binEdges(LAST_BIN).lower)]);
  });
});
