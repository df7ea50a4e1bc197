import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseTokenCount } from '../../src/cli/arguments.js';
import { pricingBody } from '../../src/cli/commands/pricing.js';
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
