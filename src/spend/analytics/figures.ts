/**
 * How summed rollup figures are shown: money in USD (exact from micro-dollars), means in whole
 * ms, rates as fractions to four places, '' ids (no user, team or endpoint) as null.
 */
import { microsToDollars } from '../money.js';
import type { UsageSums } from './usage-queries.js';

export const usd = microsToDollars;
export const iso = (ms: number) => new Date(ms).toISOString();
export const idOrNull = (id: string): string | null => (id === '' ? null : id);

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

export function mean(sum: number, count: number): number | null {
  return count > 0 ? Math.round(sum / count) : null;
}

export const cacheWriteTokens = (sums: UsageSums) => sums.cache_write_5m_tokens + sums.cache_write_1h_tokens;

/** Every token the requests used: input, output, cache reads and cache writes. */
export const allTokens = (sums: UsageSums) => sums.input_tokens + sums.output_tokens + sums.cache_read_tokens + cacheWriteTokens(sums);

/** The share of prompt tokens served from the cache. */
export const cacheHitRate = (sums: UsageSums) => ratio(sums.cache_read_tokens, sums.input_tokens + sums.cache_read_tokens + cacheWriteTokens(sums));

export function emptySums(): UsageSums {
  return {
    requests: 0, errors: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_5m_tokens: 0, cache_write_1h_tokens: 0,
    cost_micros: 0, duration_ms_sum: 0, ttft_ms_sum: 0, ttft_count: 0, web_searches: 0,
  };
}

export function addSums(into: UsageSums, from: UsageSums): UsageSums {
  for (const column of Object.keys(into) as Array<keyof UsageSums>) into[column] += from[column];
  return into;
}
