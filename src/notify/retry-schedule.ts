/**
 * When a failed delivery is tried again: the delivery interval doubled per failed attempt (30 s,
 * 1 min, 2 min, … with the default interval), capped at an hour, until the attempts run out and
 * the event is dead (kept, listed, retryable by an admin). Pure, so the schedule is tested with
 * a clock of the test's choosing.
 */
import type { Settlement } from './outbox.repo.js';

export const MAX_BACKOFF_MS = 3_600_000;

/** The wait after the `attempts`-th failed attempt (1-based). */
export function backoffMs(intervalMs: number, attempts: number): number {
  return Math.min(intervalMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
}

export function afterFailure(options: { attempts: number; maxAttempts: number; intervalMs: number; now: number; error: string }): Settlement {
  const { attempts, maxAttempts, intervalMs, now, error } = options;
  if (attempts >= maxAttempts) return { status: 'dead', error: `gave up after ${attempts} attempts: ${error}` };
  return { status: 'pending', nextAttemptAt: now + backoffMs(intervalMs, attempts), error };
}
