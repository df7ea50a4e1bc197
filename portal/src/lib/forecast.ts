/**
 * The month-end spend forecast, from daily costs (UTC days, as the daily rollup counts them).
 *
 * Why not linear: "spent so far ÷ days elapsed × days in month" (what the Rust CCAG showed)
 * assumes every day costs the same. Claude Code spend follows the working week, so a linear
 * forecast made on a Monday after an idle weekend is too low, and one made on a Friday with
 * nine weekend days still to come is too high.
 *
 * The method:
 * 1. History is the 28 full UTC days before today (four of each weekday), counted from the first
 *    day with any spend: days before it are unknown (the gateway may not have run), days after
 *    it without spend are idle days and count as zero.
 * 2. Each day left in the month is expected to cost the mean of the same weekday in the history.
 *    Seven or more days of contiguous history hold every weekday, so every day has a mean.
 * 3. Today is partly over: it is expected to reach its weekday mean, so what remains of it is
 *    max(0, weekday mean − today's spend so far).
 * 4. The range: every remaining day as quiet as the quietest, or as busy as the busiest, day of
 *    its weekday in the history.
 * 5. With fewer than 7 days of history: linear extrapolation from the first day with spend this
 *    month (so a gateway started mid-month is not averaged over days it did not run), no range.
 *
 * Pure, with `now` passed in, so test/portal/forecast.test.ts pins every case.
 */

const DAY = 86_400_000;
const HISTORY_DAYS = 28;
const MIN_HISTORY_DAYS = 7;

export interface DailyCost {
  /** The bucket start (ISO); several points on one UTC day are added up. */
  readonly t: string;
  readonly cost_usd: number;
}

/** `weekday`: steps 1–4 above; `linear`: step 5; `none`: no spend recorded at all. */
export type ForecastMethod = 'weekday' | 'linear' | 'none';

export interface ForecastDay {
  /** YYYY-MM-DD (UTC). */
  readonly date: string;
  /** What the day cost; null for days still to come. */
  readonly actualUsd: number | null;
  readonly expectedUsd: number;
  readonly lowUsd: number;
  readonly highUsd: number;
}

export interface Forecast {
  readonly method: ForecastMethod;
  readonly monthStart: string;
  readonly daysInMonth: number;
  /** Full days of history the weekday means come from. */
  readonly historyDays: number;
  readonly spentUsd: number;
  readonly expectedUsd: number;
  readonly lowUsd: number;
  readonly highUsd: number;
  /** The linear extrapolation, for comparison. */
  readonly linearUsd: number;
  /** Every day of the month, for the chart. */
  readonly days: readonly ForecastDay[];
}

const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const toMicros = (usd: number) => Math.round(usd * 1e6);
const toUsd = (micros: number) => Math.round(micros) / 1e6;

function monthBounds(now: number): { start: number; end: number } {
  const date = new Date(now);
  return { start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
}

/** The range to fetch daily totals for: this month and the 28 days before today, whichever starts first. */
export function forecastWindow(now: number): { from: string; to: string } {
  const from = Math.min(monthBounds(now).start, dayStart(now) - HISTORY_DAYS * DAY);
  return { from: new Date(from).toISOString(), to: new Date(dayStart(now) + DAY).toISOString() };
}

/** Micro-dollars per UTC day start. */
function costByDay(daily: readonly DailyCost[]): Map<number, number> {
  const byDay = new Map<number, number>();
  for (const point of daily) {
    const t = Date.parse(point.t);
    if (Number.isNaN(t) || !Number.isFinite(point.cost_usd)) continue;
    const day = dayStart(t);
    byDay.set(day, (byDay.get(day) ?? 0) + toMicros(point.cost_usd));
  }
  return byDay;
}

interface WeekdayStats {
  mean: number;
  min: number;
  max: number;
}

/** Mean, min and max per UTC weekday over the history days. */
function weekdayStats(byDay: Map<number, number>, historyStart: number, today: number): Map<number, WeekdayStats> {
  const samples = new Map<number, number[]>();
  for (let day = historyStart; day < today; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    samples.set(weekday, [...(samples.get(weekday) ?? []), byDay.get(day) ?? 0]);
  }
  const stats = new Map<number, WeekdayStats>();
  for (const [weekday, values] of samples) {
    stats.set(weekday, { mean: values.reduce((sum, value) => sum + value, 0) / values.length, min: Math.min(...values), max: Math.max(...values) });
  }
  return stats;
}

interface Projection {
  expected: number;
  low: number;
  high: number;
}

export function forecastMonthEnd(daily: readonly DailyCost[], now: number): Forecast {
  const { start, end } = monthBounds(now);
  const today = dayStart(now);
  const byDay = costByDay(daily);
  const daysInMonth = Math.round((end - start) / DAY);

  const spentDays = [...byDay.entries()].filter(([day, micros]) => micros > 0 && day <= today).map(([day]) => day);
  const firstSpend = spentDays.length > 0 ? Math.min(...spentDays) : undefined;
  const historyStart = firstSpend === undefined ? today : Math.max(firstSpend, today - HISTORY_DAYS * DAY);
  const historyDays = Math.max(0, Math.round((today - historyStart) / DAY));

  let spent = 0;
  for (let day = start; day <= today; day += DAY) spent += byDay.get(day) ?? 0;

  // Linear: the daily rate since the first day with spend this month (or the month's start).
  const linearFrom = Math.max(start, firstSpend ?? start);
  const elapsedDays = Math.max(1, (now - linearFrom) / DAY);
  const rate = spent / elapsedDays;
  const linear = spent + (rate * (end - now)) / DAY;

  const method: ForecastMethod = firstSpend === undefined ? 'none' : historyDays >= MIN_HISTORY_DAYS ? 'weekday' : 'linear';
  const stats = method === 'weekday' ? weekdayStats(byDay, historyStart, today) : undefined;

  /** What a day still to come (or the rest of today) is expected to add. */
  const project = (day: number, soFar: number): Projection => {
    if (method === 'none') return { expected: 0, low: 0, high: 0 };
    if (!stats) {
      const share = day === today ? (day + DAY - now) / DAY : 1;
      const expected = rate * share;
      return { expected, low: expected, high: expected };
    }
    // Seven contiguous history days hold every weekday (see step 2).
    const weekday = stats.get(new Date(day).getUTCDay())!;
    return { expected: Math.max(0, weekday.mean - soFar), low: Math.max(0, weekday.min - soFar), high: Math.max(0, weekday.max - soFar) };
  };

  const days: ForecastDay[] = [];
  const totals = { expected: 0, low: 0, high: 0 };
  for (let day = start; day < end; day += DAY) {
    const actual = day <= today ? (byDay.get(day) ?? 0) : null;
    const rest = day < today ? { expected: 0, low: 0, high: 0 } : project(day, actual ?? 0);
    const expected = (actual ?? 0) + rest.expected;
    const low = (actual ?? 0) + rest.low;
    const high = (actual ?? 0) + rest.high;
    totals.expected += expected;
    totals.low += low;
    totals.high += high;
    days.push({ date: isoDate(day), actualUsd: actual === null ? null : toUsd(actual), expectedUsd: toUsd(expected), lowUsd: toUsd(low), highUsd: toUsd(high) });
  }

  return {
    method,
    monthStart: new Date(start).toISOString(),
    daysInMonth,
    historyDays,
    spentUsd: toUsd(spent),
    expectedUsd: toUsd(totals.expected),
    lowUsd: toUsd(totals.low),
    highUsd: toUsd(totals.high),
    linearUsd: toUsd(linear),
    days,
  };
}

export interface CumulativeDay {
  readonly date: string;
  /** Spend to the end of this day; null after today. */
  readonly actual: number | null;
  /** Expected spend to the end of this day, from yesterday on (so the line continues the actual one); null before. */
  readonly expected: number | null;
  /** The low and high ends of the range, on the same days as `expected`. */
  readonly range: readonly [number, number] | null;
}

/** The forecast as running totals through the month, for the chart. */
export function cumulativeDays(forecast: Forecast): CumulativeDay[] {
  const todayIndex = forecast.days.findLastIndex((day) => day.actualUsd !== null);
  const running = { actual: 0, expected: 0, low: 0, high: 0 };
  return forecast.days.map((day, index) => {
    running.actual += day.actualUsd ?? 0;
    running.expected += day.expectedUsd;
    running.low += day.lowUsd;
    running.high += day.highUsd;
    const projected = index >= todayIndex - 1;
    return {
      date: day.date,
      actual: day.actualUsd === null ? null : toUsd(toMicros(running.actual)),
      expected: projected ? toUsd(toMicros(running.expected)) : null,
      range: projected ? [toUsd(toMicros(running.low)), toUsd(toMicros(running.high))] : null,
    };
  });
}
