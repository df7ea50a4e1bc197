/**
 * Cost arithmetic against an exact BigInt model: integer micro-dollars, round half up once per
 * request, no floating error at any size, and what splitting a request's usage does to its cost.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costOf, PriceIndex, type PriceColumns, type TokenUsage } from '../../src/spend/pricing.js';
import { runs } from '../support/property.js';

const CLASSES = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens'] as const;

/** Micro-dollars per million tokens: $0 to $10,000 per MTok, or no price at all. */
const unitPrice = fc.option(fc.integer({ min: 0, max: 10_000_000_000 }), { freq: 8 });
const prices = fc.tuple(unitPrice, unitPrice, unitPrice, unitPrice, unitPrice);

/** Token counts from a handful to absurd: large enough to leave the float path for BigInt. */
const tokens = (max: number) => fc.integer({ min: 0, max });
const usageOf = (max: number) =>
  fc.tuple(tokens(max), tokens(max), tokens(max), tokens(max), tokens(max)).map(
    ([input, output, read, write5m, write1h]): TokenUsage => ({ inputTokens: input, outputTokens: output, cacheReadTokens: read, cacheWrite5mTokens: write5m, cacheWrite1hTokens: write1h }),
  );

type Prices = readonly (number | null)[];

function indexOf(base: Prices, tier?: { threshold: number; prices: Prices }) {
  const row: PriceColumns = {
    ...priceRow('claude-prop'),
    input: base[0] ?? null, output: base[1] ?? null, cache_read: base[2] ?? null, cache_write_5m: base[3] ?? null, cache_write_1h: base[4] ?? null,
    tier_threshold: tier?.threshold ?? null,
    tier_input: tier?.prices[0] ?? null, tier_output: tier?.prices[1] ?? null, tier_cache_read: tier?.prices[2] ?? null,
    tier_cache_write_5m: tier?.prices[3] ?? null, tier_cache_write_1h: tier?.prices[4] ?? null,
  };
  return new PriceIndex([row]).lookup('claude-prop');
}

/** Σ tokens × price in exact integers: millionths of a micro-dollar. */
const rawSum = (usage: TokenUsage, unit: Prices) => CLASSES.reduce((sum, name, i) => sum + BigInt(usage[name]) * BigInt(unit[i] ?? 0), 0n);

/** The specification: the raw sum divided by 10^6, rounded half up. */
const exactCost = (usage: TokenUsage, unit: Prices) => Number((rawSum(usage, unit) + 500_000n) / 1_000_000n);

function plus(a: TokenUsage, b: TokenUsage): TokenUsage {
  return Object.fromEntries(CLASSES.map((name) => [name, a[name] + b[name]])) as unknown as TokenUsage;
}

describe('costOf, property-based', () => {
  it('equals the exact integer cost, rounded half up, for ordinary and absurd sizes alike', () => {
    fc.assert(
      fc.property(prices, fc.oneof(usageOf(2_000_000), usageOf(Number.MAX_SAFE_INTEGER)), (unit, usage) => {
        const result = costOf(indexOf(unit), usage);
        expect(result.costMicros).toBe(exactCost(usage, unit));
        expect(Number.isInteger(result.costMicros)).toBe(true);
        const unpriced = CLASSES.some((name, i) => usage[name] > 0 && unit[i] === null);
        expect(result.pricingStatus).toBe(unpriced ? 'partial_price' : 'priced');
      }),
      runs(200),
    );
  });

  it('prices every token at the tier once the prompt exceeds the threshold, and at the base otherwise', () => {
    fc.assert(
      fc.property(prices, prices, fc.integer({ min: 0, max: 1_000_000 }), usageOf(400_000), (base, tier, threshold, usage) => {
        const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
        const expected = exactCost(usage, prompt > threshold ? tier : base);
        expect(costOf(indexOf(base, { threshold, prices: tier }), usage).costMicros).toBe(expected);
      }),
      runs(200),
    );
  });

  it('splitting a request changes its cost only by the rounding of each part: never more than one micro-dollar per part', () => {
    fc.assert(
      fc.property(prices, usageOf(5_000_000), usageOf(5_000_000), (unit, a, b) => {
        const index = indexOf(unit);
        const whole = costOf(index, plus(a, b)).costMicros;
        const parts = costOf(index, a).costMicros + costOf(index, b).costMicros;
        expect(Math.abs(whole - parts)).toBeLessThanOrEqual(1);
        // Where no part has a fraction of a micro-dollar to round, the split is exact.
        if (rawSum(a, unit) % 1_000_000n === 0n && rawSum(b, unit) % 1_000_000n === 0n) expect(parts).toBe(whole);
      }),
      runs(200),
    );
  });

  it('costs are additive in web searches and never fall as tokens grow (no tier)', () => {
    fc.assert(
      fc.property(prices, usageOf(5_000_000), usageOf(5_000_000), fc.nat(1_000), fc.nat(100_000), (unit, usage, more, searches, searchPrice) => {
        const index = indexOf(unit);
        const plain = costOf(index, usage).costMicros;
        expect(costOf(index, { ...usage, webSearches: searches }, searchPrice).costMicros).toBe(plain + searches * searchPrice);
        expect(costOf(index, plus(usage, more)).costMicros).toBeGreaterThanOrEqual(plain);
      }),
      runs(200),
    );
  });

  it('an unknown model costs its searches only, whatever the tokens', () => {
    fc.assert(
      fc.property(usageOf(Number.MAX_SAFE_INTEGER), fc.nat(1_000), fc.nat(100_000), (usage, searches, searchPrice) => {
        expect(costOf(undefined, { ...usage, webSearches: searches }, searchPrice)).toEqual({ costMicros: searches * searchPrice, pricingStatus: 'unknown_model' });
      }),
      runs(100),
    );
  });
});

describe('PriceIndex.lookup, property-based', () => {
  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const prefix = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `claude-${parts.join('-')}`);
  const suffix = fc.constantFrom('', '-20250929', '-v1', '-v1:0', ':0', '-latest', '[1m]', '@20250929', '-20250929-v1:0');

  it('finds a prefix under every release suffix, and in ARNs and profile ids that end in it', () => {
    fc.assert(
      fc.property(prefix, suffix, (name, tail) => {
        const index = new PriceIndex([{ ...priceRow(name), input: 7 }]);
        expect(index.lookup(`${name}${tail}`)).toBeDefined();
        expect(index.lookup(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/${name}${tail}`)).toBeDefined();
      }),
      runs(200),
    );
  });

  it('never lends a price to another model that merely starts with the same letters', () => {
    fc.assert(
      fc.property(prefix, fc.stringMatching(/^[a-z0-9]{1,4}$/), (name, extra) => {
        const index = new PriceIndex([priceRow(name)]);
        expect(index.lookup(`${name}${extra}`)).toBeUndefined();
        expect(index.lookup(`${name}-${extra}x`)).toBeUndefined();
      }),
      runs(200),
    );
  });

  it('never throws, whatever the model string', () => {
    const index = new PriceIndex([priceRow('claude-sonnet-4-5')]);
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (model) => {
        index.lookup(model);
        index.lookup(`claude-sonnet-4-5${model}`);
      }),
      runs(200),
    );
  });
});

function priceRow(model_prefix: string): PriceColumns {
  return {
    model_prefix, input: null, output: null, cache_read: null, cache_write_5m: null, cache_write_1h: null,
    tier_threshold: null, tier_input: null, tier_output: null, tier_cache_read: null, tier_cache_write_5m: null, tier_cache_write_1h: null,
  };
}
