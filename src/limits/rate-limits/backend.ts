/**
 * Where rate-limit counters live: in this process (one replica) or in Redis (several). Both keep
 * the same three kinds of counter, all or nothing per request:
 *  - `rpm` and `tpm`: a sliding 60-second log of admissions (one entry per request, weighing 1 or
 *    its tokens); a request is admitted when the entries of the last 60 s plus its own weight stay
 *    within the limit, so no 60-second interval ever admits more than the limit (no burst at a
 *    window edge, unlike fixed windows);
 *  - `concurrency`: slots held by requests in flight, each with an expiry, so the slots of a
 *    replica that died stop counting after the slot TTL.
 */

export const WINDOW_MS = 60_000;
/** Concurrency slots free when requests end, which cannot be predicted: suggest a short wait. */
export const SLOT_RETRY_MS = 1_000;

export type LimitKind = 'rpm' | 'tpm' | 'concurrency';

export interface LimitLine {
  /** The counter, e.g. `rpm:key:<id>` (the backend adds its own prefix). */
  readonly key: string;
  readonly kind: LimitKind;
  readonly limit: number;
  /** What the request weighs on this counter: 1 for rpm and concurrency, its tokens for tpm. */
  readonly amount: number;
}

export type AdmitResult =
  /** `used`: each line's total after this admission, including it. */
  | { readonly ok: true; readonly used: readonly number[] }
  /** `refusedIndex`: the first line that is full; `retryAfterMs`: when it has room again. */
  | { readonly ok: false; readonly refusedIndex: number; readonly retryAfterMs: number };

export interface RateLimitBackend {
  /** Checks every line and, only when all have room, records the request `id` on each. */
  admit(id: string, lines: readonly LimitLine[], now: number, slotTtlMs: number): Promise<AdmitResult>;
  /**
   * The request ended at `now`: its tpm estimate is replaced by `actualTokens`, recorded at `now`
   * (so a request longer than the window is still charged), and its slots free.
   */
  finish(id: string, lines: readonly LimitLine[], actualTokens: number, now: number): Promise<void>;
  /** Nothing was served: the request stops counting anywhere. */
  release(id: string, lines: readonly LimitLine[]): Promise<void>;
}

/**
 * When a full sliding-window line has room for `amount` again: walk the entries oldest first until
 * enough weight has aged out. A request heavier than the whole limit fits only an empty window
 * (otherwise it could never run), so the walk stops when the window would be empty.
 */
export function msUntilRoom(entries: readonly { at: number; amount: number }[], used: number, limit: number, amount: number, now: number): number {
  let remaining = used;
  for (const entry of [...entries].sort((a, b) => a.at - b.at)) {
    remaining -= entry.amount;
    if (remaining <= 0 || remaining + amount <= limit) return Math.max(1, entry.at + WINDOW_MS - now);
  }
  return WINDOW_MS;
}

/** The admission rule of a sliding-window line (see `msUntilRoom` for the oversized request). */
export function windowFits(used: number, limit: number, amount: number): boolean {
  return used === 0 || used + amount <= limit;
}
