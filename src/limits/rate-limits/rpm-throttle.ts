/**
 * The `RpmThrottle` of src/limits/contracts.ts on the rate limiter's backends: a sliding 60-second
 * request window per key, in memory or shared through Redis. Budgets use it to shape a subject to
 * a policy's RPM; its counters are apart from the rate limits' (`shape:` keys).
 */
import { randomUUID } from 'node:crypto';
import type { RpmThrottle } from '../contracts.js';
import type { RateLimitBackend } from './backend.js';

export function createRpmThrottle(backend: RateLimitBackend): RpmThrottle {
  return {
    async take(key, rpm, now) {
      const result = await backend.admit(randomUUID(), [{ key: `shape:${key}`, kind: 'rpm', limit: rpm, amount: 1 }], now, 0);
      return result.ok ? { ok: true } : { ok: false, retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000) };
    },
  };
}
