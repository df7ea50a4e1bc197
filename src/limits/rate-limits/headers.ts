/**
 * The `anthropic-ratelimit-*` headers of a limited caller, in Anthropic's format (limit,
 * remaining, reset as RFC 3339): for requests and for tokens, each from the applicable line with
 * the least room left, so a client sees the limit that will stop it first.
 */
import { WINDOW_MS, type LimitLine } from './backend.js';

const HEADER_GROUP = { rpm: 'requests', tpm: 'tokens' } as const;

/** `used[i]`: line i's total after the request was admitted. */
export function rateLimitHeaders(lines: readonly LimitLine[], used: readonly number[], now: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ['rpm', 'tpm'] as const) {
    let tightest: { limit: number; remaining: number } | undefined;
    for (const [index, line] of lines.entries()) {
      if (line.kind !== kind) continue;
      const remaining = Math.max(0, line.limit - used[index]!);
      if (!tightest || remaining < tightest.remaining) tightest = { limit: line.limit, remaining };
    }
    if (!tightest) continue;
    const group = HEADER_GROUP[kind];
    headers[`anthropic-ratelimit-${group}-limit`] = String(tightest.limit);
    headers[`anthropic-ratelimit-${group}-remaining`] = String(tightest.remaining);
    // Sliding window: what this request took is back in full one window from now.
    headers[`anthropic-ratelimit-${group}-reset`] = new Date(now + WINDOW_MS).toISOString();
  }
  return headers;
}

/** The headers of a refusal: the full line reports no room until the retry time. */
export function refusalHeaders(line: LimitLine, retryAfterMs: number, now: number): Record<string, string> {
  const headers: Record<string, string> = { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))), 'x-should-retry': 'true' };
  if (line.kind === 'concurrency') return headers;
  const group = HEADER_GROUP[line.kind];
  headers[`anthropic-ratelimit-${group}-limit`] = String(line.limit);
  headers[`anthropic-ratelimit-${group}-remaining`] = '0';
  headers[`anthropic-ratelimit-${group}-reset`] = new Date(now + retryAfterMs).toISOString();
  return headers;
}
