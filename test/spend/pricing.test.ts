/** Golden costs in exact micro-dollars, from the shipped seed and from hand-made rows. */
import { describe, expect, test } from 'vitest';
import { SEED_PRICING } from '../../src/spend/pricing-seed.js';
import { costOf, PriceIndex, type PriceColumns, type TokenUsage } from '../../src/spend/pricing.js';

const seed = new PriceIndex(SEED_PRICING);

function usage(partial: Partial<TokenUsage>): TokenUsage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, ...partial };
}

function price(model_prefix: string, input: number | null, extra: Partial<PriceColumns> = {}): PriceColumns {
  return {
    model_prefix, input, output: null, cache_read: null, cache_write_5m: null, cache_write_1h: null,
    tier_threshold: null, tier_input: null, tier_output: null, tier_cache_read: null, tier_cache_write_5m: null, tier_cache_write_1h: null,
    ...extra,
  };
}

const cost = (model: string, tokens: Partial<TokenUsage>) => costOf(seed.lookup(model), usage(tokens));

describe('cost arithmetic on the seed table', () => {
  test('every token class, 5-minute and 1-hour cache writes at their own prices', () => {
    // 1000×3 + 500×15 + 2000×0.30 + 100×3.75 + 50×6 dollars per MTok = 11,775 micro-dollars.
    expect(cost('claude-sonnet-4-5-20250929', { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 2000, cacheWrite5mTokens: 100, cacheWrite1hTokens: 50 }))
      .toEqual({ costMicros: 11_775, pricingStatus: 'priced' });
  });

  test('models whose cache read is not 0.1× input use their explicit price', () => {
    // claude-opus-5-5 reads at $0.20 (0.05×), claude-fable-5-1 at $0.25 (0.025×).
    expect(cost('claude-opus-5-5', { cacheReadTokens: 1_000_000 })).toEqual({ costMicros: 200_000, pricingStatus: 'priced' });
    expect(cost('claude-fable-5-1', { cacheReadTokens: 1_000_000 })).toEqual({ costMicros: 250_000, pricingStatus: 'priced' });
    expect(cost('claude-sonnet-5-5', { cacheReadTokens: 1_000_000 })).toEqual({ costMicros: 100_000, pricingStatus: 'priced' });
  });

  test('rounds half up in whole micro-dollars', () => {
    // claude-haiku-5-5 input is 100,000 micro-dollars per MTok: 0.1 micro-dollar a token.
    expect(cost('claude-haiku-5-5', { inputTokens: 4 }).costMicros).toBe(0);
    expect(cost('claude-haiku-5-5', { inputTokens: 5 }).costMicros).toBe(1);
    expect(cost('claude-haiku-5-5', { inputTokens: 14 }).costMicros).toBe(1);
    expect(cost('claude-haiku-5-5', { inputTokens: 15 }).costMicros).toBe(2);
  });

  test('claude-haiku-5-5: a prompt over 100,000 tokens prices every token at the tier, output included', () => {
    expect(cost('claude-haiku-5-5', { inputTokens: 100_000, outputTokens: 1000 })).toEqual({ costMicros: 10_500, pricingStatus: 'priced' });
    // 100,001 × 0.50 + 1000 × 2.50 = 52,500.5 → 52,501.
    expect(cost('claude-haiku-5-5', { inputTokens: 100_001, outputTokens: 1000 })).toEqual({ costMicros: 52_501, pricingStatus: 'priced' });
    // Cache reads and writes count toward the prompt: 50,000 + 30,000 + 20,000 + 1 = 100,001.
    expect(cost('claude-haiku-5-5', { inputTokens: 50_000, cacheReadTokens: 30_000, cacheWrite5mTokens: 20_000, cacheWrite1hTokens: 1, outputTokens: 10 }))
      .toEqual({ costMicros: 39_026, pricingStatus: 'priced' });
  });

  test('sonnet 4.5 has no >200k tier: the historical premium is not seeded', () => {
    expect(cost('claude-sonnet-4-5', { inputTokens: 300_000 })).toEqual({ costMicros: 900_000, pricingStatus: 'priced' });
  });

  test('Bedrock geo profiles and in-region ids cost the regional price, global the global one', () => {
    const million = { inputTokens: 1_000_000 };
    expect(cost('global.anthropic.claude-sonnet-4-5-20250929-v1:0', million).costMicros).toBe(3_000_000);
    for (const geo of ['us.', 'eu.', 'apac.', 'jp.', 'au.', '']) {
      expect(cost(`${geo}anthropic.claude-sonnet-4-5-20250929-v1:0`, million).costMicros).toBe(3_300_000);
    }
    expect(cost('eu.anthropic.claude-opus-4-6-v1', { outputTokens: 1000 }).costMicros).toBe(27_500);
    expect(cost('us.anthropic.claude-fable-5-1', { cacheReadTokens: 1_000_000 }).costMicros).toBe(275_000);
    // Older models keep one price everywhere.
    expect(cost('apac.anthropic.claude-sonnet-4-20250514-v1:0', million).costMicros).toBe(3_000_000);
    expect(cost('us.anthropic.claude-3-5-haiku-20241022-v1:0', million).costMicros).toBe(800_000);
  });

  test('an inference-profile ARN is priced by the profile it names', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    expect(cost(arn, { inputTokens: 1_000_000 }).costMicros).toBe(3_300_000);
  });

  test('unknown models cost 0 and are flagged', () => {
    expect(cost('claude-mythos-5-2', { inputTokens: 1000 })).toEqual({ costMicros: 0, pricingStatus: 'unknown_model' });
    expect(cost('gpt-5', { inputTokens: 1000 })).toEqual({ costMicros: 0, pricingStatus: 'unknown_model' });
  });

  test('tokens of a class without a price cost 0 and flag the request; the rest is billed', () => {
    // Bedrock global sonnet 5.5: no published 1-hour cache write price.
    expect(cost('global.anthropic.claude-sonnet-5-5', { inputTokens: 1000, cacheWrite1hTokens: 1000 })).toEqual({ costMicros: 2_000, pricingStatus: 'partial_price' });
    expect(cost('global.anthropic.claude-sonnet-5-5', { inputTokens: 1000 })).toEqual({ costMicros: 2_000, pricingStatus: 'priced' });
    expect(cost('claude-mythos-preview', { inputTokens: 1000, cacheReadTokens: 1000 })).toEqual({ costMicros: 25_000, pricingStatus: 'partial_price' });
    // A Bedrock id known to exist with no published price is flagged, not billed at the API price.
    expect(cost('anthropic.claude-mythos-5-1', { inputTokens: 1000 })).toEqual({ costMicros: 0, pricingStatus: 'partial_price' });
  });
});

describe('prefix matching', () => {
  const index = new PriceIndex([
    price('claude-mythos-5', 1),
    price('claude-fable-5', 2),
    price('claude-fable-5-2', 3),
    price('claude-sonnet-4-5', 4),
    price('us.anthropic.claude-sonnet-4-5', 5),
    price('anthropic.claude-opus-4-6', 6),
    price('claude-3-5-haiku', 7),
    price('claude-opus-4', 8),
    price('claude-opus-4-1', 9),
  ]);
  const matched = (model: string) => index.lookup(model)?.base[0] ?? null;

  test.each([
    ['claude-sonnet-4-5', 4],
    ['claude-sonnet-4-5-20250929', 4],
    ['claude-sonnet-4-5[1m]', 4],
    ['claude-sonnet-4-5-20250929[1m]', 4],
    ['claude-sonnet-4-5@20250929', 4],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 5],
    ['us.anthropic.claude-sonnet-4-5-v1:0', 5],
    ['us.anthropic.claude-sonnet-4-5:0', 5],
    ['anthropic.claude-opus-4-6-v1', 6],
    ['claude-3-5-haiku-latest', 7],
    ['claude-fable-5-2', 3],
    ['claude-fable-5-2-20261109', 3],
    ['claude-fable-5', 2],
    ['claude-opus-4-1-20250805', 9],
    ['claude-opus-4-20250514', 8],
  ])('%s matches the row priced %d', (model, expected) => {
    expect(matched(model)).toBe(expected);
  });

  test.each([
    'claude-mythos-5-2',
    'claude-fable-5-3',
    'claude-sonnet-4-5-extra',
    'claude-sonnet-4-50',
    'claude-sonnet-4-5-202509',
    'claude-sonnet-4-5-202509290',
    'claude-sonnet-4-5-latestish',
    'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'claude-sonnet',
    '',
  ])('%s matches nothing', (model) => {
    expect(matched(model)).toBeNull();
  });
});

describe('large figures', () => {
  test('sums past 2^53 are computed exactly in BigInt', () => {
    const index = new PriceIndex([price('m', 1_500_000)]);
    // (10^12 + 1) × 1.5 = 1,500,000,000,001.5 → 1,500,000,000,002.
    expect(costOf(index.lookup('m'), usage({ inputTokens: 1_000_000_000_001 }))).toEqual({ costMicros: 1_500_000_000_002, pricingStatus: 'priced' });
    expect(costOf(seed.lookup('claude-opus-4-1'), usage({ inputTokens: 1_000_000_000_000 })).costMicros).toBe(15_000_000_000_000);
  });
});
