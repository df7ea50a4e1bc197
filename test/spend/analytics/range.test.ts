/** Analytics ranges and the rollup buckets that answer them (pure). */
import { describe, expect, test } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { chartSegment, resolveRange, spanOf, totalSegments } from '../../../src/spend/analytics/range.js';

const H = 3_600_000;
const D = 24 * H;
const NOW = Date.UTC(2026, 2, 18, 14, 25);
const at = (iso: string) => Date.parse(iso);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_request');
    return (error as ApiError).message;
  }
  throw new Error('accepted');
}

describe('resolveRange', () => {
  test('defaults to the last 7 days in days; up to 2 days in hours', () => {
    expect(resolveRange({}, NOW)).toEqual({ from: NOW - 7 * D, to: NOW, granularity: 'day' });
    expect(resolveRange({ from: NOW - 2 * D }, NOW)).toEqual({ from: NOW - 2 * D, to: NOW, granularity: 'hour' });
    expect(resolveRange({ to: NOW - D }, NOW)).toEqual({ from: NOW - 8 * D, to: NOW - D, granularity: 'day' });
    expect(resolveRange({ from: NOW - 30 * D, granularity: 'hour' }, NOW).granularity).toBe('hour');
  });

  test('refuses an empty or backwards range, one over 400 days, and hours over 31 days', () => {
    expect(refusal(() => resolveRange({ from: NOW, to: NOW - 1 }, NOW))).toMatch(/^from: must be before to/);
    expect(refusal(() => resolveRange({ from: NOW, to: NOW }, NOW))).toMatch(/^from: must be before to/);
    expect(refusal(() => resolveRange({ from: NOW - 401 * D }, NOW))).toBe('from, to: the range is 401 days; at most 400 are allowed');
    expect(resolveRange({ from: NOW - 400 * D }, NOW).granularity).toBe('day');
    expect(refusal(() => resolveRange({ from: NOW - 32 * D, granularity: 'hour' }, NOW))).toMatch(/^granularity: hour is for ranges up to 31 days/);
  });
});

describe('segments', () => {
  const range = { from: at('2026-03-10T09:30:00Z'), to: at('2026-03-13T17:05:00Z'), granularity: 'day' as const };

  test('a chart widens the range to whole buckets of its grain, partial ends included', () => {
    expect(chartSegment(range)).toEqual({ grain: 'day', from: at('2026-03-10T00:00:00Z'), to: at('2026-03-14T00:00:00Z') });
    expect(chartSegment(range, 'hour')).toEqual({ grain: 'hour', from: at('2026-03-10T09:00:00Z'), to: at('2026-03-13T18:00:00Z') });
  });

  test('totals: hourly edges around the whole days', () => {
    const segments = totalSegments(range);
    expect(segments).toEqual([
      { grain: 'hour', from: at('2026-03-10T09:00:00Z'), to: at('2026-03-11T00:00:00Z') },
      { grain: 'day', from: at('2026-03-11T00:00:00Z'), to: at('2026-03-13T00:00:00Z') },
      { grain: 'hour', from: at('2026-03-13T00:00:00Z'), to: at('2026-03-13T18:00:00Z') },
    ]);
    expect(spanOf(segments)).toEqual({ from: at('2026-03-10T09:00:00Z'), to: at('2026-03-13T18:00:00Z') });
  });

  test('totals over whole days read only the daily rollups; within a day only the hourly ones', () => {
    expect(totalSegments({ from: at('2026-03-01T00:00:00Z'), to: at('2026-03-08T00:00:00Z'), granularity: 'day' })).toEqual([
      { grain: 'day', from: at('2026-03-01T00:00:00Z'), to: at('2026-03-08T00:00:00Z') },
    ]);
    expect(totalSegments({ from: at('2026-03-01T03:00:00Z'), to: at('2026-03-02T02:10:00Z'), granularity: 'hour' })).toEqual([
      { grain: 'hour', from: at('2026-03-01T03:00:00Z'), to: at('2026-03-02T03:00:00Z') },
    ]);
  });
});
