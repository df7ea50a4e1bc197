import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import type { PricingRow } from '../../src/cli/admin-types.js';
import { parseTokenCount } from '../../src/cli/arguments.js';
import { droppedPriceFlags, pricingBody } from '../../src/cli/commands/pricing.js';
import { UsageError } from '../../src/cli/errors.js';

const seeded: PricingRow = {
  model_prefix: 'claude-sonnet-4-5',
  input: 3,
  output: 15,
  cache_read: 0.3,
  cache_write_5m: 3.75,
  cache_write_1h: 6,
  tier_threshold: 200_000,
  tier_input: 6,
  tier_output: 22.5,
  tier_cache_read: null,
  tier_cache_write_5m: null,
  tier_cache_write_1h: null,
  source: 'seed',
  note: null,
  updated_at: '2026-01-01T00:00:00.000Z',
};

describe('pricing set', () => {
  it('names the flags, with the old values, that keep the prices a replacement drops', () => {
    const body = pricingBody({ input: 3.3, output: 16.5, cacheRead: 0.33 });
    expect(droppedPriceFlags(seeded, body)).toEqual([
      '--cache-write-5m 3.75',
      '--cache-write-1h 6.00',
      '--tier-threshold 200000',
      '--tier-input 6.00',
      '--tier-output 22.50',
    ]);
  });

  it('drops nothing when every priced field is given again', () => {
    const body = pricingBody({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite5m: 3.75,
      cacheWrite1h: 6,
      tierThreshold: 200_000,
      tierInput: 6,
      tierOutput: 22.5,
    });
    expect(droppedPriceFlags(seeded, body)).toEqual([]);
  });

  it('refuses long-context prices without a threshold', () => {
    expect(() => pricingBody({ input: 1, output: 2, tierInput: 2 })).toThrow(UsageError);
  });

  it('reads token thresholds', () => {
    expect(parseTokenCount('200000')).toBe(200_000);
    expect(parseTokenCount('200k')).toBe(200_000);
    expect(parseTokenCount('1_000_000')).toBe(1_000_000);
    for (const bad of ['0', '-5', '2.5k', 'lots']) expect(() => parseTokenCount(bad)).toThrow(InvalidArgumentError);
  });
});
