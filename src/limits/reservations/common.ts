/** What the memory and Redis reservation stores share. */
import type { CounterStanding } from '../contracts.js';

/**
 * How long a counter outlives its period: a request admitted just before the reset still settles
 * into the period it reserved in, and clocks of replicas may differ a little.
 */
export const COUNTER_MARGIN_MS = 60 * 60_000;

/** Whether holding `amountMicros` more would take committed spend past the cap (reaching it is allowed). */
export function exceedsCap(standing: CounterStanding, amountMicros: number, capMicros: number | null): boolean {
  return capMicros !== null && standing.spentMicros + standing.reservedMicros + amountMicros > capMicros;
}
