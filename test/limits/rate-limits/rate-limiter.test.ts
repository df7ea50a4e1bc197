/**
 * The rate-limit gate on its own: which lines a principal gets, the refusal it throws, that a
 * request ends once (settle, then a stray release, changes nothing more), and that it lets
 * requests through when its counters are unreachable.
 */
import { describe, expect, test } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import type { Principal } from '../../../src/identity/authenticator.js';
import type { AdmissionRequest } from '../../../src/limits/governor.js';
import { createMemoryBackend } from '../../../src/limits/rate-limits/memory-backend.js';
import type { Limits } from '../../../src/limits/rate-limits/overrides.service.js';
import { createRateLimiter } from '../../../src/limits/rate-limits/rate-limiter.js';
import { createRedisBackend } from '../../../src/limits/rate-limits/redis-backend.js';
import { openRedis } from '../../../src/store/redis.js';

const NOW = 1_800_000_000_000;
const principal: Principal = { keyId: 'k1', keyPrefix: 'sk-ccag-abcdef', userId: 'u1', userEmail: 'u@example.com', teamId: 't1', credential: 'key' };
const request = (now = NOW): AdmissionRequest => ({ principal, model: 'claude-x', worstCaseMicros: () => 1000, estimatedInputTokens: 10, now });
const UNLIMITED: Limits = { rpm: null, tpm: null, concurrency: null };

function limiter(limits: Partial<Record<'key' | 'user' | 'team', Partial<Limits>>>, backend = createMemoryBackend()) {
  const refused: string[] = [];
  const warnings: string[] = [];
  const decisions: string[] = [];
  const gate = createRateLimiter({
    backend,
    overrides: { limitsFor: (type) => ({ ...UNLIMITED, ...limits[type] }) },
    slotTtlMs: 60_000,
    log: { warn: (_object: unknown, message?: string) => void warnings.push(message ?? '') },
    onRefused: (hit) => refused.push(`${hit.scope}/${hit.kind}`),
    onDecision: (allowed) => decisions.push(allowed ? 'allowed' : 'blocked'),
  });
  return { gate, refused, warnings, decisions };
}

describe('rate-limit gate', () => {
  test('a caller without limits passes with no headers, and is not a decision', async () => {
    const { gate, decisions } = limiter({});
    const admission = await gate.admit(request());
    expect(admission.headers).toEqual({});
    expect(decisions).toEqual([]);
  });

  test('the strictest line refuses, names its limit and scope, and is counted', async () => {
    const { gate, refused, decisions } = limiter({ key: { tpm: 100_000 }, team: { tpm: 15 } });
    const admitted = await gate.admit(request());
    expect(admitted.headers).toMatchObject({ 'anthropic-ratelimit-tokens-limit': '15', 'anthropic-ratelimit-tokens-remaining': '5' });
    const error = await gate.admit(request(NOW + 1_500)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('rate_limited');
    expect((error as ApiError).message).toBe('Rate limit: 15 tokens per minute for your team; retry in 59 s.');
    expect((error as ApiError).headers).toMatchObject({ 'retry-after': '59', 'x-should-retry': 'true', 'anthropic-ratelimit-tokens-remaining': '0' });
    expect(refused).toEqual(['team/tpm']);
    expect(decisions).toEqual(['allowed', 'blocked']);
  });

  test('a request ends once: a release after its settlement gives nothing back', async () => {
    const { gate } = limiter({ user: { rpm: 1, concurrency: 1 } });
    const admission = await gate.admit(request());
    admission.settle({ costMicros: 0, tokens: 0 });
    admission.release();
    await expect(gate.admit(request(NOW + 1))).rejects.toThrow('Rate limit: 1 requests per minute for your account');
  });

  test('requests pass, with a warning, when the counters cannot be reached', async () => {
    const redis = await openRedis(process.env.CCAG_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    await redis.quit();
    const { gate, warnings, decisions } = limiter({ key: { rpm: 1 } }, createRedisBackend(redis, 'ccag-test-unreachable:'));
    expect((await gate.admit(request())).headers).toEqual({});
    expect((await gate.admit(request())).headers).toEqual({});
    expect(warnings).toEqual(['rate-limit counters unreachable: request admitted without rate limits', 'rate-limit counters unreachable: request admitted without rate limits']);
    // Admitted, so counted as allowed: the share allowed shows what clients saw.
    expect(decisions).toEqual(['allowed', 'allowed']);
  });
});
