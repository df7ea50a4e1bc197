/**
 * The analytics time range: a preset (last 24 hours … 90 days, this month) or a custom pair of
 * dates, and the bucket size. Pure, so it is unit-tested with a fixed `now`. Ends are rounded to
 * the minute so the same choice made a few seconds apart asks the server the same question.
 */

export const RANGE_PRESETS = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  mtd: 'This month',
} as const;

export type RangePreset = keyof typeof RANGE_PRESETS;
export type Granularity = 'hour' | 'day';

export interface TimeRange {
  readonly from: string;
  readonly to: string;
  readonly granularity: Granularity;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PRESET_MS: Record<Exclude<RangePreset, 'mtd'>, number> = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY };

export const isPreset = (value: string | null): value is RangePreset => value !== null && value in RANGE_PRESETS;

/** Hourly buckets up to two days, daily beyond (what the server would pick too). */
export function defaultGranularity(fromMs: number, toMs: number): Granularity {
  return toMs - fromMs <= 2 * DAY ? 'hour' : 'day';
}

/** The range a preset names at `now`; `this month` starts at midnight UTC on the 1st, like monthly budgets by default. */
export function presetRange(preset: RangePreset, now: number, granularity?: Granularity): TimeRange {
  const to = Math.floor(now / 60_000) * 60_000 + 60_000;
  const date = new Date(now);
  const from = preset === 'mtd' ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) : to - PRESET_MS[preset];
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), granularity: granularity ?? defaultGranularity(from, to) };
}

/** A custom range from two `YYYY-MM-DD` dates (UTC, the end date included), or undefined when invalid. */
export function customRange(fromDate: string, toDate: string, granularity?: Granularity): TimeRange | undefined {
  const from = Date.parse(`${fromDate}T00:00:00Z`);
  const to = Date.parse(`${toDate}T00:00:00Z`) + DAY;
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) return undefined;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), granularity: granularity ?? defaultGranularity(from, to) };
}

/** Bucket starts from `from` to `to`, so charts show empty hours and days as zero rather than skipping them. */
export function bucketStarts(range: TimeRange): string[] {
  const step = range.granularity === 'hour' ? HOUR : DAY;
  const start = Math.floor(Date.parse(range.from) / step) * step;
  const end = Date.parse(range.to);
  const starts: string[] = [];
  for (let t = start; t < end && starts.length < 5000; t += step) starts.push(new Date(t).toISOString());
  return starts;
}
