/**
 * Budget periods: daily, weekly (from Monday) and monthly, on the boundaries of UTC or of a
 * configured IANA time zone. The arithmetic is date-fns over a zoned date, so a period that spans
 * a daylight-saving change is 23 or 25 hours long, as the people living in that zone expect.
 */
import { TZDate } from '@date-fns/tz';
// One module per function: the package's index loads all of date-fns (~860 modules, ~15 MB).
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { addWeeks } from 'date-fns/addWeeks';
import { startOfDay } from 'date-fns/startOfDay';
import { startOfMonth } from 'date-fns/startOfMonth';
import { startOfWeek } from 'date-fns/startOfWeek';

export type BudgetPeriod = 'daily' | 'weekly' | 'monthly';

export interface PeriodWindow {
  /** First millisecond of the period (inclusive). */
  readonly start: number;
  /** First millisecond of the next period: when the budget resets. */
  readonly end: number;
}

/** True when the runtime knows the zone (so a bad setting fails at start, not at the first request). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The last window computed per period and zone: every request of a period asks for the same one,
 * and zoned date arithmetic is the costliest step of a budget check, so it runs once per period.
 */
const lastWindows = new Map<string, PeriodWindow>();

export function periodWindow(period: BudgetPeriod, timeZone: string, now: number): PeriodWindow {
  const cacheKey = `${period} ${timeZone}`;
  const last = lastWindows.get(cacheKey);
  if (last && last.start <= now && now < last.end) return last;
  const window = computeWindow(period, timeZone, now);
  lastWindows.set(cacheKey, window);
  return window;
}

/**
 * The end is the start of the next period computed afresh, not the start plus a period: where a
 * daylight-saving change skips midnight (Havana, Tehran, Santiago) a period starts at 01:00, and
 * 01:00 a day later is an hour into the next day, which would then belong to two periods.
 */
function computeWindow(period: BudgetPeriod, timeZone: string, now: number): PeriodWindow {
  const at = new TZDate(now, timeZone);
  switch (period) {
    case 'daily': {
      const start = startOfDay(at);
      return { start: start.getTime(), end: startOfDay(addDays(start, 1)).getTime() };
    }
    case 'weekly': {
      const start = startOfWeek(at, { weekStartsOn: 1 });
      return { start: start.getTime(), end: startOfWeek(addWeeks(start, 1), { weekStartsOn: 1 }).getTime() };
    }
    case 'monthly': {
      const start = startOfMonth(at);
      return { start: start.getTime(), end: startOfMonth(addMonths(start, 1)).getTime() };
    }
  }
}
