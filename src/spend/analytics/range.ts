/**
 * The time range of an analytics question and which rollup buckets answer it. Pure.
 *
 * Charts read one grain (hour or day) and widen the range to whole buckets of it, so a partial
 * first or last bucket counts whole. Totals (summary, tables) are exact to the hour: whole days
 * from the daily rollups, the partial days at either end from the hourly ones.
 */
import { ApiError } from '../../errors.js';
import { ceilTo, DAY_MS, floorTo, GRAIN_MS, HOUR_MS, type Grain } from '../rollups/buckets.js';

export interface AnalyticsRange {
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, exclusive. */
  readonly to: number;
  readonly granularity: Grain;
}

/** One table's share of a question: its grain and the bucket starts it covers, [from, to). */
export interface Segment {
  readonly grain: Grain;
  readonly from: number;
  readonly to: number;
}

export const DEFAULT_RANGE_MS = 7 * DAY_MS;
export const MAX_RANGE_DAYS = 400;
/** Hourly charts of longer ranges would be thousands of points from the largest table. */
export const MAX_HOURLY_DAYS = 31;
/** Up to this long, charts default to hourly points. */
const HOURLY_DEFAULT_MS = 2 * DAY_MS;

export interface RangeInput {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly granularity?: Grain | undefined;
}

/** Applies the defaults (the 7 days before `to`, `to` = now) and the limits; 400 on a bad range. */
export function resolveRange(input: RangeInput, now: number): AnalyticsRange {
  const to = input.to ?? now;
  const from = input.from ?? to - DEFAULT_RANGE_MS;
  if (from >= to) throw new ApiError('invalid_request', `from: must be before to (${iso(from)} is not before ${iso(to)})`);
  const days = (to - from) / DAY_MS;
  if (days > MAX_RANGE_DAYS) throw new ApiError('invalid_request', `from, to: the range is ${Math.ceil(days)} days; at most ${MAX_RANGE_DAYS} are allowed`);
  const granularity = input.granularity ?? (to - from <= HOURLY_DEFAULT_MS ? 'hour' : 'day');
  if (granularity === 'hour' && days > MAX_HOURLY_DAYS) {
    throw new ApiError('invalid_request', `granularity: hour is for ranges up to ${MAX_HOURLY_DAYS} days; use day`);
  }
  return { from, to, granularity };
}

/** A chart's buckets: the range widened to whole buckets of its granularity. */
export function chartSegment(range: AnalyticsRange, grain: Grain = range.granularity): Segment {
  const unit = GRAIN_MS[grain];
  return { grain, from: floorTo(range.from, unit), to: ceilTo(range.to, unit) };
}

/** Totals: whole hours, with every whole UTC day inside read from the daily rollups. */
export function totalSegments(range: AnalyticsRange): Segment[] {
  const from = floorTo(range.from, HOUR_MS);
  const to = ceilTo(range.to, HOUR_MS);
  const daysFrom = ceilTo(from, DAY_MS);
  const daysTo = floorTo(to, DAY_MS);
  if (daysFrom >= daysTo) return [{ grain: 'hour', from, to }];
  const segments: Segment[] = [
    { grain: 'hour', from, to: daysFrom },
    { grain: 'day', from: daysFrom, to: daysTo },
    { grain: 'hour', from: daysTo, to },
  ];
  return segments.filter((segment) => segment.from < segment.to);
}

/** The time the segments cover together (they are contiguous). */
export function spanOf(segments: readonly Segment[]): { from: number; to: number } {
  return { from: segments[0]!.from, to: segments[segments.length - 1]!.to };
}

const iso = (ms: number) => new Date(ms).toISOString();
