import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { createGovernor, type Admission, type AdmissionRequest, type Gate } from '../../src/limits/governor.js';
import { estimateInputTokens, worstCaseMicros } from '../../src/limits/worst-case.js';
import type { TokenUsage } from '../../src/spend/pricing.js';

const request: AdmissionRequest = {
  principal: { keyId: 'k', keyPrefix: 'sk-ccag-abc', userId: 'u', userEmail: 'u@example.com', teamId: null, credential: 'key' },
  model: 'claude-sonnet-4-5',
  worstCaseMicros: () => 100,
  estimatedInputTokens: 10,
  now: 0,
};

function gate(name: string, log: string[], options: { refuse?: boolean; capped?: boolean } = {}): Gate {
  return {
    async admit() {
      if (options.refuse) throw new ApiError('too_many_attempts', `${name} refused`);
      log.push(`${name}:admit`);
      const admission: Admission = {
        headers: { [`x-${name}`]: '1' },
        capped: options.capped ?? false,
        settle: (usage) => log.push(`${name}:settle:${usage.costMicros}`),
        release: () => log.push(`${name}:release`),
      };
      return admission;
    },
  };
}

describe('governor', () => {
  it('admits through every gate, merges headers and settles each', async () => {
    const log: string[] = [];
    const admission = await createGovernor([gate('a', log), gate('b', log, { capped: true })]).admit(request);
    expect(admission.headers).toEqual({ 'x-a': '1', 'x-b': '1' });
    expect(admission.capped).toBe(true);
    admission.settle({ costMicros: 42, tokens: 7 });
    expect(log).toEqual(['a:admit', 'b:admit', 'a:settle:42', 'b:settle:42']);
  });

  it('gives back what earlier gates hold when a later one refuses', async () => {
    const log: string[] = [];
    await expect(createGovernor([gate('a', log), gate('b', log, { refuse: true })]).admit(request)).rejects.toThrow('b refused');
    expect(log).toEqual(['a:admit', 'a:release']);
  });

  it('with no gates, admits everything and holds nothing', async () => {
    const admission = await createGovernor([]).admit(request);
    expect(admission).toMatchObject({ headers: {}, capped: false });
  });
});

describe('worst-case cost', () => {
  const perToken = { input: 3, output: 15, write1h: 6 };
  const pricing = {
    costFor: (_upstream: unknown, _model: string, usage: TokenUsage) => ({
      costMicros: usage.inputTokens * perToken.input + usage.outputTokens * perToken.output + usage.cacheWrite1hTokens * perToken.write1h,
      pricingStatus: 'priced' as const,
    }),
  };

  it('prices the estimated input at the dearest input class and max_tokens of output', () => {
    expect(estimateInputTokens(3000)).toBe(1000);
    expect(worstCaseMicros(pricing, 'm', { max_tokens: 100 }, 3000)).toBe(1000 * 6 + 100 * 15);
  });

  it('falls back to plain input when a cache-write price is missing, and to 4096 output tokens without max_tokens', () => {
    perToken.write1h = 0;
    expect(worstCaseMicros(pricing, 'm', {}, 300)).toBe(100 * 3 + 4096 * 15);
  });
});
