/** The longest wait between two attempts to reconnect a lost change bus channel. */
export const MAX_RECONNECT_DELAY_MS = 5_000;

/** Backoff before reconnection attempt `attempt` (0-based): 100 ms doubling up to the maximum. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** attempt, MAX_RECONNECT_DELAY_MS);
}
