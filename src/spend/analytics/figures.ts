/**
 * Summed rollup figures and how they are shown: money in USD (exact from micro-dollars), means in
 * whole ms, rates as fractions to four places, '' ids (no user, team or endpoint) as null.
 */
import { microsToDollars } from '../money.js';
import type { USAGE_SUMS } from '../rollups/rollup-writer.js';

export type UsageSum = (typeof USAGE_SUMS)[number];
export type Sums<S extends UsageSum> = Record<S, number>;
type CacheWrites = Sums<'cache_write_5m_tokens' | 'cache_write_1h_tokens'>;
type AllTokens = CacheWrites & Sums<'input_tokens' | 'output_tokens' | 'cache_read_tokens'>;

export const usd = microsToDollars;
export const iso = (ms: number) => new Date(ms).toISOString();
export const idOrNull = (id: string): string | null => (id === '' ? null : id);

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

export function mean(sum: number, count: number): number | null {
  return count > 0 ? Math.round(sum / count) : null;
}

export const cacheWriteTokens = (sums: CacheWrites) => sums.cache_write_5m_tokens + sums.cache_write_1h_tokens;

/** Every token the requests used: input, output, cache reads and cache writes. */
export const allTokens = (sums: AllTokens) => sums.input_tokens + sums.output_tokens + sums.cache_read_tokens + cacheWriteTokens(sums);

/** The share of prompt tokens served from the cache. */
export const cacheHitRate = (sums: Omit<AllTokens, 'output_tokens'>) => ratio(sums.cache_read_tokens, sums.input_tokens + sums.cache_read_tokens + cacheWriteTokens(sums));

export function zeroSums<S extends UsageSum>(columns: readonly S[]): Sums<S> {
  return Object.fromEntries(columns.map((column) => [column, 0])) as Sums<S>;
}

export function addSums<S extends UsageSum>(into: Sums<S>, from: Sums<S>, columns: readonly S[]): Sums<S> {
  for (const column of columns) into[column] += from[column];
  return into;
}
