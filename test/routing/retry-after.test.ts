/** How long a throttled reply asks us to wait: retry-after (seconds or HTTP date), then the exhausted window's reset. */
import { describe, expect, test } from 'vitest';
import { exhaustedWindowResetMs, parseRetryAfter, retryDelayFromHeaders } from '../../src/routing/health/retry-after.js';
import { parseResetTime } from '../../src/routing/health/rate-limit-headers.js';

const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

describe('parseRetryAfter', () => {
  test('delay-seconds, integer or decimal', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1_500);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  test('an HTTP date, relative to now; a past date means 0', () => {
    expect(parseRetryAfter('Thu, 15 Jan 2026 10:02:00 GMT', NOW)).toBe(120_000);
    expect(parseRetryAfter('Thu, 15 Jan 2026 09:00:00 GMT', NOW)).toBe(0);
  });

  test('absent or unreadable: undefined', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});

describe('reset times', () => {
  test('epoch seconds or RFC 3339', () => {
    expect(parseResetTime('1768471200')).toBe(1_768_471_200_000);
    expect(parseResetTime('2026-01-15T10:00:30Z')).toBe(NOW + 30_000);
    expect(parseResetTime('later')).toBeUndefined();
    expect(parseResetTime('-5')).toBeUndefined();
    expect(parseResetTime(undefined)).toBeUndefined();
  });

  test('the latest reset among the exhausted windows', () => {
    const headers = {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '10',
      'anthropic-ratelimit-requests-reset': '2026-01-15T10:05:00Z',
      'anthropic-ratelimit-output-tokens-limit': '8000',
      'anthropic-ratelimit-output-tokens-remaining': '0',
      'anthropic-ratelimit-output-tokens-reset': '2026-01-15T10:00:20Z',
      'anthropic-ratelimit-unified-5h-utilization': '1',
      'anthropic-ratelimit-unified-5h-reset': String(NOW / 1000 + 45),
    };
    expect(exhaustedWindowResetMs(headers, NOW)).toBe(45_000);
    expect(retryDelayFromHeaders(headers, NOW)).toBe(45_000);
    expect(retryDelayFromHeaders({ ...headers, 'retry-after': '7' }, NOW)).toBe(7_000);
    expect(retryDelayFromHeaders({}, NOW)).toBeUndefined();
  });
});
