import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseTokenCount } from '../../src/cli/arguments.js';
import { pricingBody, refreshSummary } from '../../src/cli/commands/pricing.js';
import { UsageError } from '../../src/cli/errors.js';

describe('pricing set', () => {
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

describe('pricing refresh', () => {
  it('says what changed, in the singular where it is one', () => {
    const result = { updated: 1, added: 0, skipped_manual: 2, models: 1, region: 'eu-west-1', fetched_at: '2027-01-15T09:30:12.000Z' };
    expect(refreshSummary(result)).toBe('Refreshed Bedrock prices for 1 model from the AWS Price List (eu-west-1) at 2027-01-15 09:30 UTC: 1 row updated, 0 added, 2 manual rows kept.');
  });
});
