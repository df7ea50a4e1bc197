/**
 * The analytics charts: summary figures, a time series grouped by model, team or user, latency
 * percentiles over time, and the weekly heatmap in a time zone. Shapes as the admin API shows
 * them (docs/admin-api.md#analytics).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AnalyticsNames, AnalyticsQuery } from './analytics.service.js';
import { addSums, cacheHitRate, cacheWriteTokens, iso, mean, usd, zeroSums, type Sums } from './figures.js';
import { heatmapCells } from './heatmap.js';
import { latencyHistograms, type LatencyMetric } from './latency-queries.js';
import { percentilesOf } from './percentiles.js';
import { chartSegment, spanOf, totalSegments } from './range.js';
import { usageBy } from './usage-queries.js';

export type TimeseriesGroupBy = 'none' | 'model' | 'team' | 'user';

const GROUP_COLUMN = { model: 'model', team: 'team_id', user: 'user_id' } as const;
export const OTHER_KEY = '__other__';
/** The key of spend without a team or user. */
export const NONE_KEY = '__none__';

const SERIES = [
  'requests', 'errors', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cost_micros',
] as const;
const SUMMARY = [...SERIES, 'duration_ms_sum'] as const;
const LATENCY = { duration: ['requests', 'duration_ms_sum'], ttft: ['ttft_count', 'ttft_ms_sum'] } as const;

const seriesFigures = (sums: Sums<(typeof SERIES)[number]>) => ({
  requests: sums.requests,
  errors: sums.errors,
  input_tokens: sums.input_tokens,
  output_tokens: sums.output_tokens,
  cache_read_tokens: sums.cache_read_tokens,
  cache_write_tokens: cacheWriteTokens(sums),
  cost_usd: usd(sums.cost_micros),
});

export function createAnalyticsCharts(db: Kysely<Database>, names: AnalyticsNames) {
  async function labelOf(groupBy: Exclude<TimeseriesGroupBy, 'none'>): Promise<(id: string) => string> {
    if (groupBy === 'model') return (model) => model;
    if (groupBy === 'user') return (id) => (id === '' ? 'No user' : (names.userEmail(id) ?? id));
    const teams = await names.teamNames();
    return (id) => (id === '' ? 'No team' : (teams.get(id) ?? id));
  }

  return {
    async summary({ range, filters }: AnalyticsQuery) {
      const segments = totalSegments(range);
      const byUser = await usageBy(db, segments, filters, ['user_id'], SUMMARY);
      const total = byUser.reduce((sum, row) => addSums(sum, row, SUMMARY), zeroSums(SUMMARY));
      const span = spanOf(segments);
      return {
        from: iso(span.from),
        to: iso(span.to),
        ...seriesFigures(total),
        avg_latency_ms: mean(total.duration_ms_sum, total.requests),
        cache_hit_rate: cacheHitRate(total),
        active_users: byUser.filter((row) => row.user_id !== '' && row.requests > 0).length,
      };
    },

    async timeseries({ range, filters }: AnalyticsQuery, groupBy: TimeseriesGroupBy, top: number) {
      const segment = chartSegment(range);
      const column = groupBy === 'none' ? undefined : GROUP_COLUMN[groupBy];
      const rows = await usageBy(db, [segment], filters, column ? ['bucket_start', column] : ['bucket_start'], SERIES);
      const keyOf = (row: (typeof rows)[number]): string => (column ? (row as Record<string, unknown>)[column] as string : 'all');
      // The top groups by cost over the whole range keep their own series; the rest are "Other".
      const costs = new Map<string, number>();
      for (const row of rows) costs.set(keyOf(row), (costs.get(keyOf(row)) ?? 0) + row.cost_micros);
      const ranked = [...costs.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key]) => key);
      const kept = new Set(ranked.slice(0, top));
      const wireKey = (key: string) => (!kept.has(key) ? OTHER_KEY : key === '' ? NONE_KEY : key);
      const label = groupBy === 'none' ? () => 'All' : await labelOf(groupBy);
      const groups = ranked.slice(0, top).map((key) => ({ key: wireKey(key), label: label(key) }));
      if (ranked.length > top) groups.push({ key: OTHER_KEY, label: 'Other' });

      const points = new Map<string, { t: number; key: string; sums: Sums<(typeof SERIES)[number]> }>();
      for (const row of rows) {
        const key = wireKey(keyOf(row));
        const id = `${row.bucket_start}\u0000${key}`;
        const point = points.get(id) ?? { t: row.bucket_start, key, sums: zeroSums(SERIES) };
        addSums(point.sums, row, SERIES);
        points.set(id, point);
      }
      const order = new Map(groups.map((group, index) => [group.key, index]));
      const sorted = [...points.values()].sort((a, b) => a.t - b.t || order.get(a.key)! - order.get(b.key)!);
      return {
        granularity: segment.grain,
        from: iso(segment.from),
        to: iso(segment.to),
        groups,
        points: sorted.map((point) => ({ t: iso(point.t), key: point.key, ...seriesFigures(point.sums) })),
      };
    },

    async latency({ range, filters }: AnalyticsQuery, metric: LatencyMetric) {
      const segment = chartSegment(range);
      const [rows, histograms] = await Promise.all([
        usageBy(db, [segment], filters, ['bucket_start'], LATENCY[metric]),
        latencyHistograms(db, [segment], filters, metric, 'bucket_start'),
      ]);
      const points = rows
        .map((row) => {
          const [countColumn, sumColumn] = LATENCY[metric];
          const [count, sum] = [row[countColumn], row[sumColumn]];
          const [p50, p95, p99] = percentilesOf(histograms.get(row.bucket_start) ?? new Map(), [0.5, 0.95, 0.99]);
          return { t: row.bucket_start, requests: count, avg_ms: mean(sum, count), p50_ms: p50 ?? null, p95_ms: p95 ?? null, p99_ms: p99 ?? null };
        })
        .filter((point) => point.requests > 0)
        .sort((a, b) => a.t - b.t);
      return { granularity: segment.grain, metric, points: points.map((point) => ({ ...point, t: iso(point.t) })) };
    },

    async heatmap({ range, filters }: AnalyticsQuery, timeZone: string) {
      // Always hourly: a day bucket cannot be placed in a zone's hours.
      const rows = await usageBy(db, [chartSegment(range, 'hour')], filters, ['bucket_start'], ['requests', 'cost_micros']);
      const cells = heatmapCells(rows.map((row) => ({ bucketStart: row.bucket_start, requests: row.requests, costMicros: row.cost_micros })), timeZone);
      return { tz: timeZone, cells: cells.map((cell) => ({ day: cell.day, hour: cell.hour, requests: cell.requests, cost_usd: usd(cell.costMicros) })) };
    },
  };
}
