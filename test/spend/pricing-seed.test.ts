/** The shipped price table: spot checks against the published figures and its invariants. */
import { describe, expect, test } from 'vitest';
import { SEED_PRICING, type SeedRow } from '../../src/spend/pricing-seed.js';

const byPrefix = new Map(SEED_PRICING.map((row) => [row.model_prefix, row]));
const prices = (prefix: string) => {
  const row = byPrefix.get(prefix);
  return row && [row.input, row.output, row.cache_read, row.cache_write_5m, row.cache_write_1h];
};
const MONEY: Array<keyof SeedRow> = ['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'tier_input', 'tier_output', 'tier_cache_read', 'tier_cache_write_5m', 'tier_cache_write_1h'];

describe('seed price table', () => {
  test('one row per prefix, every price an integer micro-dollar amount or null', () => {
    expect(byPrefix.size).toBe(SEED_PRICING.length);
    for (const row of SEED_PRICING) {
      for (const column of MONEY) {
        const value = row[column];
        if (value !== null) expect(Number.isSafeInteger(value) && (value as number) >= 0, `${row.model_prefix}.${column}`).toBe(true);
      }
    }
  });

  test('Anthropic API prices', () => {
    expect(prices('claude-opus-5-5')).toEqual([4_000_000, 20_000_000, 200_000, 5_000_000, 8_000_000]);
    expect(prices('claude-sonnet-5-5')).toEqual([2_000_000, 10_000_000, 100_000, 2_500_000, 4_000_000]);
    expect(prices('claude-fable-5-1')).toEqual([10_000_000, 50_000_000, 250_000, 12_500_000, 20_000_000]);
    expect(prices('claude-fable-5')).toEqual([10_000_000, 50_000_000, 1_000_000, 12_500_000, 20_000_000]);
    expect(prices('claude-3-5-haiku')).toEqual([800_000, 4_000_000, 80_000, 1_000_000, 1_600_000]);
    expect(prices('claude-opus-4-1')).toEqual([15_000_000, 75_000_000, 1_500_000, 18_750_000, 30_000_000]);
  });

  test('Bedrock rows: global and regional prices per model, not found stays null', () => {
    expect(prices('global.anthropic.claude-fable-5-1')).toEqual([10_000_000, 50_000_000, 250_000, 12_500_000, 20_000_000]);
    expect(prices('us.anthropic.claude-fable-5-1')).toEqual([11_000_000, 55_000_000, 275_000, 13_750_000, 22_000_000]);
    expect(prices('anthropic.claude-mythos-preview')).toEqual([27_500_000, 137_500_000, 2_750_000, 34_375_000, 55_000_000]);
    expect(prices('jp.anthropic.claude-opus-4-5')).toEqual([5_500_000, 27_500_000, 550_000, 6_875_000, null]);
    expect(prices('global.anthropic.claude-sonnet-5-5')).toEqual([2_000_000, 10_000_000, 200_000, 2_500_000, null]);
    expect(prices('au.anthropic.claude-sonnet-4')).toEqual([3_000_000, 15_000_000, 300_000, 3_750_000, null]);
    expect(prices('global.anthropic.claude-haiku-5-5')).toEqual([null, null, null, null, null]);
    expect(prices('anthropic.claude-mythos-5-1')).toEqual([null, null, null, null, null]);
    expect(prices('claude-mythos-preview')).toEqual([25_000_000, 125_000_000, null, null, null]);
    // Only where the facts name the profile.
    expect(byPrefix.has('eu.anthropic.claude-opus-4-1')).toBe(false);
    expect(byPrefix.has('global.anthropic.claude-opus-4')).toBe(false);
    expect(byPrefix.has('us.anthropic.claude-mythos-preview')).toBe(false);
  });

  test('tiers: claude-haiku-5-5 above 100k prompt tokens; the historical sonnet tier is not seeded', () => {
    const haiku = byPrefix.get('claude-haiku-5-5')!;
    expect([haiku.tier_threshold, haiku.tier_input, haiku.tier_output, haiku.tier_cache_read, haiku.tier_cache_write_5m, haiku.tier_cache_write_1h])
      .toEqual([100_000, 500_000, 2_500_000, 50_000, 625_000, 1_000_000]);
    const usHaiku = byPrefix.get('us.anthropic.claude-haiku-5-5')!;
    expect([usHaiku.input, usHaiku.output, usHaiku.tier_threshold, usHaiku.tier_cache_write_5m, usHaiku.tier_input]).toEqual([110_000, 550_000, 100_000, 687_500, null]);
    for (const prefix of ['claude-sonnet-4-5', 'claude-sonnet-4', 'us.anthropic.claude-sonnet-4-5']) {
      expect(byPrefix.get(prefix)!.tier_threshold).toBeNull();
    }
  });

  test('a model without any published price is not seeded; third-party-only figures say so', () => {
    expect([...byPrefix.keys()].filter((prefix) => prefix.includes('mythos-5-2'))).toEqual([]);
    expect(byPrefix.get('claude-fable-5-2')!.note).toMatch(/third-party/i);
    expect(byPrefix.has('global.anthropic.claude-fable-5-2')).toBe(false);
    expect(byPrefix.get('us.anthropic.claude-haiku-5-5')!.note).toMatch(/third-party/i);
  });
});
