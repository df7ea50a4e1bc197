/**
 * Analytics points pivoted into chart rows: one row per time bucket, zero-filled, so an idle hour
 * shows as zero instead of the line jumping over it (the API omits empty buckets). Series get
 * positional ids (`s0`, `s1`, …) rather than their keys, because a chart library reads a dotted
 * data key such as `claude-3.5-sonnet` as a property path. Pure: test/portal/chart-rows.test.ts.
 */

/** The fields of a timeseries point the charts read (GET /admin/analytics/timeseries). */
export interface SeriesPoint {
  readonly t: string;
  readonly key: string;
  readonly requests: number;
  readonly errors: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_read_tokens: number;
  readonly cache_write_tokens: number;
  readonly cost_usd: number;
}

export interface SeriesGroup {
  readonly key: string;
  readonly label: string;
}

/** A bucket start in epoch ms, then one value per series id. */
export type ChartRow = { readonly t: number } & { readonly [id: string]: number | null };

export interface ChartSeries {
  /** The row property holding this series' values. */
  readonly id: string;
  readonly key: string;
  readonly label: string;
}

/** The key the API gives the groups merged past `top`. */
export const OTHER_KEY = '__other__';

/** Rows for every bucket start, plus any bucket the API answered that the list lacks, in time order. */
function bucketRows<R extends { t: number }>(buckets: readonly string[], points: readonly { t: string }[], empty: (t: number) => R): Map<number, R> {
  const rows = new Map<number, R>();
  for (const start of buckets) {
    const t = Date.parse(start);
    rows.set(t, empty(t));
  }
  for (const point of points) {
    const t = Date.parse(point.t);
    if (!Number.isNaN(t) && !rows.has(t)) rows.set(t, empty(t));
  }
  return new Map([...rows.entries()].sort(([a], [b]) => a - b));
}

/** One series per group (in the API's order, largest first, Other last), each bucket the sum of `value`. */
export function pivotByGroup(
  points: readonly SeriesPoint[],
  groups: readonly SeriesGroup[],
  buckets: readonly string[],
  value: (point: SeriesPoint) => number,
): { rows: ChartRow[]; series: ChartSeries[] } {
  const ordered: SeriesGroup[] = [];
  // One series per key, Other last; a point whose key the groups do not list still counts (as its
  // own series), so the stack adds up to the total.
  for (const group of [...groups.filter((entry) => entry.key !== OTHER_KEY), ...groups.filter((entry) => entry.key === OTHER_KEY), ...points]) {
    if (!ordered.some((entry) => entry.key === group.key)) ordered.push({ key: group.key, label: 'label' in group ? group.label : group.key });
  }
  const series = ordered.map((group, index) => ({ id: `s${index}`, key: group.key, label: group.label }));
  const idOf = new Map(series.map((entry) => [entry.key, entry.id]));
  const rows = bucketRows(buckets, points, (t) => {
    const row: { t: number; [id: string]: number } = { t };
    for (const entry of series) row[entry.id] = 0;
    return row;
  });
  for (const point of points) {
    const row = rows.get(Date.parse(point.t));
    const id = idOf.get(point.key)!;
    if (row) row[id] = (row[id] ?? 0) + value(point);
  }
  return { rows: [...rows.values()] as ChartRow[], series };
}

/** Prompt-cache hit rate: the share of prompt tokens read from the cache; null with no prompt tokens. */
export function cacheHitRate(tokens: { input_tokens: number; cache_read_tokens: number; cache_write_tokens: number }): number | null {
  const prompt = tokens.input_tokens + tokens.cache_read_tokens + tokens.cache_write_tokens;
  return prompt > 0 ? tokens.cache_read_tokens / prompt : null;
}

export interface TokenRow {
  readonly t: number;
  readonly input: number;
  readonly output: number;
  readonly cache_read: number;
  readonly cache_write: number;
  /** 0–1, or null for a bucket without prompt tokens (a gap in the line, not a 0% hit rate). */
  readonly hit_rate: number | null;
}

/** Token classes per bucket over every group, with the bucket's cache hit rate. */
export function tokenRows(points: readonly SeriesPoint[], buckets: readonly string[]): TokenRow[] {
  const sums = bucketRows(buckets, points, (t) => ({ t, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 }));
  for (const point of points) {
    const sum = sums.get(Date.parse(point.t));
    if (!sum) continue;
    sum.input_tokens += point.input_tokens;
    sum.output_tokens += point.output_tokens;
    sum.cache_read_tokens += point.cache_read_tokens;
    sum.cache_write_tokens += point.cache_write_tokens;
  }
  return [...sums.values()].map((sum) => ({
    t: sum.t,
    input: sum.input_tokens,
    output: sum.output_tokens,
    cache_read: sum.cache_read_tokens,
    cache_write: sum.cache_write_tokens,
    hit_rate: cacheHitRate(sum),
  }));
}

/** The fields of a latency point the chart reads (GET /admin/analytics/latency). */
export interface LatencyPoint {
  readonly t: string;
  readonly requests: number;
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
  readonly p99_ms: number | null;
}

export interface LatencyRow {
  readonly t: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** Percentiles per bucket; a bucket without requests has none (null), which a line shows as a gap. */
export function latencyRows(points: readonly LatencyPoint[], buckets: readonly string[]): LatencyRow[] {
  const rows = bucketRows<LatencyRow>(buckets, points, (t) => ({ t, p50: null, p95: null, p99: null }));
  for (const point of points) {
    const t = Date.parse(point.t);
    if (rows.has(t) && point.requests > 0) rows.set(t, { t, p50: point.p50_ms, p95: point.p95_ms, p99: point.p99_ms });
  }
  return [...rows.values()];
}

/** The sum of one series' values, for summaries. */
export function seriesTotal(rows: readonly ChartRow[], id: string): number {
  return rows.reduce((sum, row) => sum + (row[id] ?? 0), 0);
}

/** The row with the largest sum over the given series; undefined when all are zero. */
export function peakRow(rows: readonly ChartRow[], ids: readonly string[]): { t: number; total: number } | undefined {
  let peak: { t: number; total: number } | undefined;
  for (const row of rows) {
    const total = ids.reduce((sum, id) => sum + (row[id] ?? 0), 0);
    if (total > 0 && (!peak || total > peak.total)) peak = { t: row.t, total };
  }
  return peak;
}
