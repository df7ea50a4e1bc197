/** What the memory and Redis reservation stores share. */
import type { CounterStanding, ReserveLine } from '../contracts.js';

/**
 * How long a counter outlives its period: a request admitted just before the reset still settles
 * into the period it reserved in, and clocks of replicas may differ a little.
 */
export const COUNTER_MARGIN_MS = 60 * 60_000;

/**
 * Whether the line's cap refuses holding `amountMicros` more. Default rule: refused once settled +
 * reserved has reached the cap (anything below it still admits, worst case and all). Strict rule:
 * refused when the amount would take committed spend past the cap (reaching it is allowed).
 * The Redis store's RESERVE script applies the same rule in Lua.
 */
export function refusedByCap(standing: CounterStanding, amountMicros: number, line: Pick<ReserveLine, 'capMicros' | 'strict'>): boolean {
  if (line.capMicros === null) return false;
  const committed = standing.spentMicros + standing.reservedMicros;
  return line.strict ? committed + amountMicros > line.capMicros : committed >= line.capMicros;
}
