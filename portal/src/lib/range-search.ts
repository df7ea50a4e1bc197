/**
 * The analytics pages' time range as address-bar parameters (`range`, `from`, `to`,
 * `granularity`), so a view is a link: read, resolved at a given `now`, and written back. Pure:
 * test/portal/range-search.test.ts.
 */
import { customRange, defaultGranularity, isPreset, presetRange, type Granularity, type RangePreset, type TimeRange } from './time-range.js';

export type RangeKind = RangePreset | 'custom';

export interface RangeChoice {
  readonly kind: RangeKind;
  /** YYYY-MM-DD, for a custom range. */
  readonly fromDate?: string;
  readonly toDate?: string;
  readonly granularity?: Granularity;
}

export const DEFAULT_PRESET: RangePreset = '7d';

/** Hourly buckets beyond a month would be thousands of points: too many to read or draw. */
const MAX_HOURLY_MS = 31 * 86_400_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readRangeChoice(search: URLSearchParams): RangeChoice {
  const range = search.get('range');
  const granularity = search.get('granularity');
  const chosen: { granularity?: Granularity } = granularity === 'hour' || granularity === 'day' ? { granularity } : {};
  if (range === 'custom') {
    const from = search.get('from') ?? '';
    const to = search.get('to') ?? '';
    if (DATE.test(from) && DATE.test(to)) return { kind: 'custom', fromDate: from, toDate: to, ...chosen };
  }
  return { kind: isPreset(range) ? range : DEFAULT_PRESET, ...chosen };
}

/** The bucket sizes a range may use: hourly only up to a month. */
export function granularitiesFor(range: Pick<TimeRange, 'from' | 'to'>): Granularity[] {
  return Date.parse(range.to) - Date.parse(range.from) <= MAX_HOURLY_MS ? ['hour', 'day'] : ['day'];
}

/** The range a choice names at `now`; an invalid custom range falls back to the default preset. */
export function resolveRange(choice: RangeChoice, now: number): TimeRange {
  const base = (choice.kind === 'custom' ? customRange(choice.fromDate ?? '', choice.toDate ?? '') : undefined) ?? presetRange(choice.kind === 'custom' ? DEFAULT_PRESET : choice.kind, now);
  // The default (hourly up to two days) is always allowed; a chosen size only where it fits.
  const granularity = choice.granularity && granularitiesFor(base).includes(choice.granularity) ? choice.granularity : defaultGranularity(Date.parse(base.from), Date.parse(base.to));
  return { ...base, granularity };
}

/** The first and last day (YYYY-MM-DD, UTC) a range covers, to prefill the custom range's date fields. */
export function rangeDates(range: Pick<TimeRange, 'from' | 'to'>): { fromDate: string; toDate: string } {
  const lastMs = Date.parse(range.to) - 1;
  return { fromDate: range.from.slice(0, 10), toDate: new Date(lastMs).toISOString().slice(0, 10) };
}

/**
 * The address-bar parameters after a change of range. Tables go back to their first page (their
 * `page` and `<table>.page` parameters), since the rows they had no longer apply.
 */
export function writeRangeChoice(current: URLSearchParams, choice: RangeChoice): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const key of [...next.keys()]) if (key === 'page' || key.endsWith('.page')) next.delete(key);
  for (const key of ['range', 'from', 'to', 'granularity']) next.delete(key);
  if (choice.kind !== DEFAULT_PRESET) next.set('range', choice.kind);
  if (choice.kind === 'custom' && choice.fromDate && choice.toDate) {
    next.set('from', choice.fromDate);
    next.set('to', choice.toDate);
  }
  if (choice.granularity) next.set('granularity', choice.granularity);
  return next;
}
