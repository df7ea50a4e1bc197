/**
 * The provider's cost for a UTC day beside the gateway ledger's cost for the same day. The
 * provider's figure covers every use of the organization's API keys (the Console, other apps),
 * the ledger's only what went through this gateway, so a positive difference is traffic that
 * bypassed the gateway (or a price the gateway has wrong); a negative one, a price the gateway
 * overestimates. The cost report lags real use by minutes to hours, so the current day's
 * difference moves until the day is over; the previous day's is the settled comparison.
 */
import type { AnthropicSpend } from '../../spend/spend-by-window.js';
import { microUsdToPico } from './cents.js';

export const DAY_MS = 86_400_000;

export type ComparedDay = 'previous_day' | 'current_day';

export interface DayComparison {
  readonly window: ComparedDay;
  readonly dayStart: number;
  readonly providerPico: bigint;
  readonly ledgerPico: bigint;
}

export function utcDayStart(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** `providerByDay`: the latest cost report's total per bucket start (UTC midnight). */
export async function compareWithLedger(ledger: AnthropicSpend, providerByDay: ReadonlyMap<number, bigint>, now: number): Promise<DayComparison[]> {
  const today = utcDayStart(now);
  const days: [ComparedDay, number][] = [
    ['previous_day', today - DAY_MS],
    ['current_day', today],
  ];
  return Promise.all(
    days.map(async ([window, dayStart]) => ({
      window,
      dayStart,
      providerPico: providerByDay.get(dayStart) ?? 0n,
      ledgerPico: microUsdToPico(await ledger.microsBetween(dayStart, dayStart + DAY_MS)),
    })),
  );
}
