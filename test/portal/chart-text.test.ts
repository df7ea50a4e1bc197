import { describe, expect, it } from 'vitest';
import { axisUsd, bucketLabel, bucketTick, costSummary, latencySummary, tokenSummary } from '../../portal/src/lib/chart-text.js';

const at = (iso: string) => Date.parse(iso);

describe('bucket labels', () => {
  it('labels a day bucket with its UTC date whatever the viewer’s zone', () => {
    expect(bucketLabel(at('2026-03-19T00:00:00Z'), 'day')).toBe('Mar 19');
    expect(bucketTick(at('2026-03-19T00:00:00Z'), 'day')).toBe('Mar 19');
  });

  it('labels an hour bucket in the viewer’s zone, ticks showing the date at midnight', () => {
    expect(bucketLabel(at('2026-03-19T13:00:00Z'), 'hour', 'Europe/Paris')).toBe('Mar 19, 14:00');
    expect(bucketTick(at('2026-03-19T13:00:00Z'), 'hour', 'Europe/Paris')).toBe('14:00');
    expect(bucketTick(at('2026-03-19T23:00:00Z'), 'hour', 'Europe/Paris')).toBe('Mar 20');
    expect(bucketTick(at('2026-03-19T00:00:00Z'), 'hour', 'America/New_York')).toBe('20:00');
  });
});

describe('costSummary', () => {
  const series = [
    { id: 's0', key: 'opus', label: 'opus' },
    { id: 's1', key: 'sonnet', label: 'sonnet' },
    { id: 's2', key: '__other__', label: 'Other' },
  ];
  it('gives the total, the most expensive bucket and the largest groups', () => {
    const rows = [
      { t: at('2026-03-01T00:00:00Z'), s0: 10, s1: 5, s2: 0 },
      { t: at('2026-03-02T00:00:00Z'), s0: 20, s1: 5, s2: 0 },
      { t: at('2026-03-03T00:00:00Z'), s0: 0, s1: 0, s2: 0 },
    ];
    expect(costSummary(rows, series, 'day')).toBe('$40.00 spent over 3 days. Most expensive day: Mar 2 at $25.00. Largest: opus $30.00 (75%), sonnet $10.00 (25%).');
  });
  it('leaves shares out for a single series', () => {
    const rows = [{ t: at('2026-03-01T00:00:00Z'), s0: 2.5 }];
    expect(costSummary(rows, series.slice(0, 1), 'day')).toBe('$2.50 spent over 1 day. Most expensive day: Mar 1 at $2.50.');
  });
  it('says when nothing was spent', () => {
    expect(costSummary([{ t: 0, s0: 0 }], series.slice(0, 1), 'hour')).toBe('No spend in this range.');
  });
});

describe('tokenSummary', () => {
  it('computes the hit rate from the totals', () => {
    const rows = [
      { t: 1, input: 100, output: 50, cache_read: 900, cache_write: 0, hit_rate: 0.9 },
      { t: 2, input: 900, output: 50, cache_read: 0, cache_write: 100, hit_rate: 0 },
    ];
    expect(tokenSummary(rows)).toBe('1K input, 100 output, 900 cache read and 100 cache write tokens. Cache hit rate over the range: 45.0% of prompt tokens.');
    expect(tokenSummary([])).toBe('No tokens in this range.');
  });
});

describe('latencySummary', () => {
  it('gives the typical median and the slowest p99 bucket', () => {
    const rows = [
      { t: at('2026-03-01T00:00:00Z'), p50: 800, p95: 2000, p99: 4000 },
      { t: at('2026-03-02T00:00:00Z'), p50: null, p95: null, p99: null },
      { t: at('2026-03-03T00:00:00Z'), p50: 1200, p95: 3000, p99: 9500 },
      { t: at('2026-03-04T00:00:00Z'), p50: 1000, p95: 2500, p99: 5000 },
    ];
    expect(latencySummary(rows, 'day')).toBe('Median latency is typically 1.0 s per day. The slowest p99 was 9.5 s (Mar 3).');
    expect(latencySummary([rows[1]!], 'day')).toBe('No requests in this range.');
  });
});

describe('axisUsd', () => {
  it('keeps money ticks short', () => {
    expect([0, 0.25, 12, 1500, 2_300_000].map(axisUsd)).toEqual(['$0', '$0.25', '$12', '$1.5K', '$2.3M']);
    // Regression: a quiet chart's ticks all read $0.01 when rounded to cents.
    expect([0.0025, 0.005, 0.0075, 0.01].map(axisUsd)).toEqual(['$0.0025', '$0.005', '$0.0075', '$0.01']);
  });
});
