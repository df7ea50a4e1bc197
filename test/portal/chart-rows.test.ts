import { describe, expect, it } from 'vitest';
import { cacheHitRate, latencyRows, OTHER_KEY, peakRow, pivotByGroup, seriesTotal, tokenRows, type SeriesPoint } from '../../portal/src/lib/chart-rows.js';
import { bucketStarts } from '../../portal/src/lib/time-range.js';

const point = (t: string, key: string, fields: Partial<SeriesPoint> = {}): SeriesPoint => ({
  t,
  key,
  requests: 1,
  errors: 0,
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  cost_usd: 0,
  ...fields,
});

const DAYS = bucketStarts({ from: '2026-03-01T00:00:00Z', to: '2026-03-05T00:00:00Z', granularity: 'day' });
const at = (iso: string) => Date.parse(iso);

describe('pivotByGroup', () => {
  const groups = [
    { key: 'claude-sonnet-4.5', label: 'claude-sonnet-4.5' },
    { key: OTHER_KEY, label: 'Other' },
    { key: 'claude-opus-4.1', label: 'claude-opus-4.1' },
  ];

  it('gives every bucket a row, zero where the API omitted it, with positional series ids and Other last', () => {
    const { rows, series } = pivotByGroup(
      [point('2026-03-02T00:00:00Z', 'claude-sonnet-4.5', { cost_usd: 2 }), point('2026-03-04T00:00:00.000Z', 'claude-opus-4.1', { cost_usd: 5 }), point('2026-03-04T00:00:00Z', OTHER_KEY, { cost_usd: 1 })],
      groups,
      DAYS,
      (p) => p.cost_usd,
    );
    expect(series).toEqual([
      { id: 's0', key: 'claude-sonnet-4.5', label: 'claude-sonnet-4.5' },
      { id: 's1', key: 'claude-opus-4.1', label: 'claude-opus-4.1' },
      { id: 's2', key: OTHER_KEY, label: 'Other' },
    ]);
    expect(rows).toEqual([
      { t: at('2026-03-01T00:00:00Z'), s0: 0, s1: 0, s2: 0 },
      { t: at('2026-03-02T00:00:00Z'), s0: 2, s1: 0, s2: 0 },
      { t: at('2026-03-03T00:00:00Z'), s0: 0, s1: 0, s2: 0 },
      { t: at('2026-03-04T00:00:00Z'), s0: 0, s1: 5, s2: 1 },
    ]);
  });

  it('adds repeated points, keeps buckets the list lacks in time order, and counts keys the groups do not name', () => {
    const { rows, series } = pivotByGroup(
      [point('2026-03-02T00:00:00Z', 'a', { requests: 2 }), point('2026-03-02T00:00:00Z', 'a', { requests: 3 }), point('2026-02-28T00:00:00Z', 'b', { requests: 7 })],
      [{ key: 'a', label: 'A' }],
      DAYS,
      (p) => p.requests,
    );
    expect(series.map((entry) => entry.label)).toEqual(['A', 'b']);
    expect(rows.map((row) => row.t)).toEqual([at('2026-02-28T00:00:00Z'), ...DAYS.map(at)]);
    expect(rows[0]).toMatchObject({ s0: 0, s1: 7 });
    expect(rows[2]).toMatchObject({ s0: 5, s1: 0 });
  });

  it('makes one series of a key the groups list twice', () => {
    const { series, rows } = pivotByGroup([point('2026-03-01T00:00:00Z', OTHER_KEY, { cost_usd: 1 })], [{ key: OTHER_KEY, label: 'Other' }, { key: OTHER_KEY, label: 'Other' }], DAYS, (p) => p.cost_usd);
    expect(series).toEqual([{ id: 's0', key: OTHER_KEY, label: 'Other' }]);
    expect(rows[0]).toEqual({ t: at('2026-03-01T00:00:00Z'), s0: 1 });
  });

  it('has no series and zero rows for an empty answer', () => {
    const { rows, series } = pivotByGroup([], [], DAYS, (p) => p.cost_usd);
    expect(series).toEqual([]);
    expect(rows).toEqual(DAYS.map((t) => ({ t: at(t) })));
  });

  it('zero-fills hourly buckets across a day boundary', () => {
    const hours = bucketStarts({ from: '2026-03-01T22:00:00Z', to: '2026-03-02T02:00:00Z', granularity: 'hour' });
    const { rows } = pivotByGroup([point('2026-03-02T01:00:00Z', 'all', { cost_usd: 1.5 })], [{ key: 'all', label: 'All' }], hours, (p) => p.cost_usd);
    expect(rows.map((row) => row.s0)).toEqual([0, 0, 0, 1.5]);
  });
});

describe('seriesTotal and peakRow', () => {
  const rows = [
    { t: 1, s0: 1, s1: 2 },
    { t: 2, s0: 4, s1: 0 },
    { t: 3, s0: 0, s1: 0 },
  ];
  it('sums a series and finds the largest bucket', () => {
    expect(seriesTotal(rows, 's0')).toBe(5);
    expect(peakRow(rows, ['s0', 's1'])).toEqual({ t: 2, total: 4 });
    expect(peakRow(rows, ['s1'])).toEqual({ t: 1, total: 2 });
  });
  it('has no peak when everything is zero', () => {
    expect(peakRow([{ t: 1, s0: 0 }], ['s0'])).toBeUndefined();
  });
});

describe('cacheHitRate', () => {
  it('is cache reads over all prompt tokens (input, cache read, cache write)', () => {
    expect(cacheHitRate({ input_tokens: 100, cache_read_tokens: 800, cache_write_tokens: 100 })).toBe(0.8);
    expect(cacheHitRate({ input_tokens: 50, cache_read_tokens: 0, cache_write_tokens: 50 })).toBe(0);
  });
  it('is null without prompt tokens, rather than a 0% that never happened', () => {
    expect(cacheHitRate({ input_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 })).toBeNull();
  });
});

describe('tokenRows', () => {
  it('adds token classes over groups per bucket, zero-filled, with each bucket’s hit rate', () => {
    const rows = tokenRows(
      [
        point('2026-03-01T00:00:00Z', 'a', { input_tokens: 100, output_tokens: 10, cache_read_tokens: 300, cache_write_tokens: 0 }),
        point('2026-03-01T00:00:00Z', 'b', { input_tokens: 100, output_tokens: 5, cache_read_tokens: 0, cache_write_tokens: 0 }),
        point('2026-03-03T00:00:00Z', 'a', { output_tokens: 7 }),
      ],
      DAYS,
    );
    expect(rows).toEqual([
      { t: at('2026-03-01T00:00:00Z'), input: 200, output: 15, cache_read: 300, cache_write: 0, hit_rate: 0.6 },
      { t: at('2026-03-02T00:00:00Z'), input: 0, output: 0, cache_read: 0, cache_write: 0, hit_rate: null },
      { t: at('2026-03-03T00:00:00Z'), input: 0, output: 7, cache_read: 0, cache_write: 0, hit_rate: null },
      { t: at('2026-03-04T00:00:00Z'), input: 0, output: 0, cache_read: 0, cache_write: 0, hit_rate: null },
    ]);
  });
});

describe('latencyRows', () => {
  it('leaves buckets without requests empty (a gap, not a zero-millisecond latency)', () => {
    const rows = latencyRows(
      [
        { t: '2026-03-02T00:00:00Z', requests: 4, p50_ms: 900, p95_ms: 2000, p99_ms: 3100 },
        { t: '2026-03-03T00:00:00Z', requests: 0, p50_ms: 0, p95_ms: 0, p99_ms: 0 },
      ],
      DAYS,
    );
    expect(rows).toEqual([
      { t: at('2026-03-01T00:00:00Z'), p50: null, p95: null, p99: null },
      { t: at('2026-03-02T00:00:00Z'), p50: 900, p95: 2000, p99: 3100 },
      { t: at('2026-03-03T00:00:00Z'), p50: null, p95: null, p99: null },
      { t: at('2026-03-04T00:00:00Z'), p50: null, p95: null, p99: null },
    ]);
  });
});
