/**
 * The contracts between the parts of the limits area, so rate limits, the budget book and the
 * reservation store can be built and tested apart and composed in src/app.ts:
 *  - `RpmThrottle`: a requests-per-minute window per key, shared across replicas when Redis is on
 *    (implemented by the rate limiter; budgets use it to shape a subject to a policy's RPM);
 *  - `Reservations`: budget counters per (subject, period) holding settled spend plus live
 *    reservations, changed atomically (in memory for one process, in Redis for many).
 * Amounts are integer micro-dollars.
 */

export interface RpmThrottle {
  /** Takes one request from `key`'s per-minute allowance of `rpm`, or says how long to wait. */
  take(key: string, rpm: number, now: number): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
}

/** One budget counter a request reserves against. */
export interface ReserveLine {
  /** The counter: subject and period, e.g. `user:<id>:monthly:<period start ms>`. */
  readonly key: string;
  /** The budget's block threshold in micro-dollars; null: the budget never blocks. */
  readonly capMicros: number | null;
  /**
   * How the cap admits (docs/budgets.md, "Admission rule"). Not strict (the default): while
   * settled + reserved is below the cap, so the last request admitted may take the counter past it
   * by at most its own worst case. Strict: only when settled + reserved + this request's worst case
   * fits under the cap, so committed spend never passes it.
   */
  readonly strict: boolean;
  /** When the period ends: the counter may be forgotten after it (plus a margin). */
  readonly expiresAt: number;
  /** Spend already settled in this period before the counter existed (from the ledger). */
  seed(): Promise<number>;
}

/** Where a counter stands: settled spend and what live reservations hold. */
export interface CounterStanding {
  readonly spentMicros: number;
  readonly reservedMicros: number;
}

export type ReserveResult =
  | { readonly ok: true; readonly id: string; readonly before: readonly CounterStanding[] }
  | { readonly ok: false; readonly refusedIndex: number; readonly before: readonly CounterStanding[] };

export interface Reservations {
  /**
   * All or nothing: holds `amountMicros` on every line, unless some line's cap refuses it under
   * that line's rule (`ReserveLine.strict`); then holds nothing and names the first such line. A reservation
   * not settled or released within `ttlMs` (its replica crashed) stops counting.
   */
  reserve(lines: readonly ReserveLine[], amountMicros: number, ttlMs: number): Promise<ReserveResult>;
  /** Replaces the reservation by the actual cost on each of its lines; returns the standings after. */
  settle(id: string, actualMicros: number): Promise<readonly CounterStanding[]>;
  /** Drops the reservation without spending anything. */
  release(id: string): Promise<void>;
  standing(line: ReserveLine): Promise<CounterStanding>;
}
