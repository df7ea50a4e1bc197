/**
 * The words around the charts: axis and tooltip labels for bucket starts, and a one-paragraph
 * summary of each chart that serves as its text alternative. Daily buckets are UTC days (the
 * rollup's), so they are labelled in UTC; hourly buckets in the viewer's zone. Pure, with the zone
 * passable for tests: test/portal/chart-text.test.ts.
 */
import { formatDuration, formatPercent, formatTokens, formatUsd } from './format.js';
import { peakRow, seriesTotal, type ChartRow, type ChartSeries, type LatencyRow, type TokenRow } from './chart-rows.js';
import type { Granularity } from './time-range.js';

const DAY_LABEL = { month: 'short', day: 'numeric', timeZone: 'UTC' } as const;
const HOUR_LABEL = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

/** "Mar 19" for a day bucket, "Mar 19, 14:00" for an hour bucket. */
export function bucketLabel(t: number, granularity: Granularity, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = granularity === 'day' ? DAY_LABEL : { ...HOUR_LABEL, ...(timeZone ? { timeZone } : {}) };
  return new Intl.DateTimeFormat('en-US', options).format(new Date(t));
}

/** A shorter axis tick: the hour alone for hourly buckets, except at midnight where the date says which day. */
export function bucketTick(t: number, granularity: Granularity, timeZone?: string): string {
  if (granularity === 'day') return bucketLabel(t, 'day');
  const parts = new Intl.DateTimeFormat('en-US', { ...HOUR_LABEL, ...(timeZone ? { timeZone } : {}) }).formatToParts(new Date(t));
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  const time = `${part('hour')}:${part('minute')}`;
  return time === '00:00' ? `${part('month')} ${part('day')}` : time;
}

const unit = (granularity: Granularity) => (granularity === 'hour' ? 'hour' : 'day');

/** Cost over time by group: total, peak bucket, and the largest groups' shares when there are several. */
export function costSummary(rows: readonly ChartRow[], series: readonly ChartSeries[], granularity: Granularity, timeZone?: string): string {
  const ids = series.map((entry) => entry.id);
  const totals = series.map((entry) => ({ label: entry.label, total: seriesTotal(rows, entry.id) })).sort((a, b) => b.total - a.total);
  const total = totals.reduce((sum, entry) => sum + entry.total, 0);
  const peak = peakRow(rows, ids);
  if (!peak || total <= 0) return 'No spend in this range.';
  const shares = totals
    .filter((entry) => entry.total > 0)
    .slice(0, 3)
    .map((entry) => `${entry.label} ${formatUsd(entry.total)} (${formatPercent(entry.total / total, { digits: 0 })})`);
  const overview = `${formatUsd(total)} spent over ${rows.length} ${unit(granularity)}${rows.length === 1 ? '' : 's'}. Most expensive ${unit(granularity)}: ${bucketLabel(peak.t, granularity, timeZone)} at ${formatUsd(peak.total)}.`;
  // Shares only say something when there is more than one group to compare.
  return series.length > 1 ? `${overview} Largest: ${shares.join(', ')}.` : overview;
}

/** Tokens by class and the overall cache hit rate, computed from the totals rather than averaged over buckets. */
export function tokenSummary(rows: readonly TokenRow[]): string {
  const sum = (field: 'input' | 'output' | 'cache_read' | 'cache_write') => rows.reduce((total, row) => total + row[field], 0);
  const input = sum('input');
  const output = sum('output');
  const read = sum('cache_read');
  const write = sum('cache_write');
  if (input + output + read + write === 0) return 'No tokens in this range.';
  const prompt = input + read + write;
  const rate = prompt > 0 ? formatPercent(read / prompt) : '—';
  return `${formatTokens(input)} input, ${formatTokens(output)} output, ${formatTokens(read)} cache read and ${formatTokens(write)} cache write tokens. Cache hit rate over the range: ${rate} of prompt tokens.`;
}

/** The typical median and the worst p99 bucket. */
export function latencySummary(rows: readonly LatencyRow[], granularity: Granularity, timeZone?: string): string {
  const withData = rows.filter((row) => row.p50 !== null);
  if (withData.length === 0) return 'No requests in this range.';
  const medians = withData.map((row) => row.p50!).sort((a, b) => a - b);
  const middle = medians[Math.floor(medians.length / 2)]!;
  const worst = withData.reduce((best, row) => ((row.p99 ?? 0) > (best.p99 ?? 0) ? row : best));
  return `Median latency is typically ${formatDuration(middle)} per ${unit(granularity)}. The slowest p99 was ${formatDuration(worst.p99)} (${bucketLabel(worst.t, granularity, timeZone)}).`;
}

const compactUsd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 });

const smallUsd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });

/**
 * Money on an axis, short: $0, $0.25, $12, $1.5K. Below a dollar two significant digits, so the
 * ticks of a quiet day's chart ($0.0025, $0.005, …) stay distinct instead of all reading $0.00.
 */
export function axisUsd(value: number): string {
  if (value === 0) return '$0';
  return Math.abs(value) < 1 ? smallUsd.format(value) : compactUsd.format(value);
}
