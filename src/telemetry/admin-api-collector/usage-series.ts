/**
 * How report rows become the collector's series: tokens by type, usage rows (the report's only
 * measure of request activity), and cost by workspace. Pure: no I/O, no state.
 */
import type { Bucket, CostResult, UsageResult } from './client.js';
import { centsToPicoUsd } from './cents.js';

export type TokenLabels = { type: string; model: string; api_key_id: string; workspace_id: string; service_tier: string };
export type RequestLabels = { model: string; api_key_id: string; workspace_id: string; service_tier: string };
export type CostLabels = { workspace_id: string };

/** One series' sum within one bucket. */
export interface BucketSeries<L> {
  readonly bucketStart: number;
  readonly seriesKey: string;
  readonly labels: L;
  readonly value: bigint;
}

const TOKEN_TYPES: readonly [string, (r: UsageResult) => number][] = [
  ['input', (r) => r.uncached_input_tokens],
  ['output', (r) => r.output_tokens],
  ['cache_read', (r) => r.cache_read_input_tokens],
  ['cache_creation_5m', (r) => r.cache_creation?.ephemeral_5m_input_tokens ?? 0],
  ['cache_creation_1h', (r) => r.cache_creation?.ephemeral_1h_input_tokens ?? 0],
];

/** Sums the results that share a series within each bucket (dimensions not grouped by merge). */
export function perBucketSeries<R, L>(buckets: readonly Bucket<R>[], series: (result: R) => Iterable<[string, L, bigint]>): BucketSeries<L>[] {
  const sums = new Map<string, { bucketStart: number; seriesKey: string; labels: L; value: bigint }>();
  for (const bucket of buckets) {
    for (const result of bucket.results) {
      for (const [seriesKey, labels, value] of series(result)) {
        const key = `${bucket.startingAt}\u0000${seriesKey}`;
        const entry = sums.get(key) ?? { bucketStart: bucket.startingAt, seriesKey, labels, value: 0n };
        entry.value += value;
        sums.set(key, entry);
      }
    }
  }
  return [...sums.values()];
}

function requestLabelsOf(result: UsageResult): RequestLabels {
  return { model: result.model ?? '', api_key_id: result.api_key_id ?? '', workspace_id: result.workspace_id ?? '', service_tier: result.service_tier ?? '' };
}

export function* tokenSeries(result: UsageResult): Iterable<[string, TokenLabels, bigint]> {
  const { model, api_key_id, workspace_id, service_tier } = requestLabelsOf(result);
  for (const [type, count] of TOKEN_TYPES) {
    const labels = { type, model, api_key_id, workspace_id, service_tier };
    yield [JSON.stringify(Object.values(labels)), labels, BigInt(count(result))];
  }
}

/**
 * The Messages usage report has no request count. Like the exporter this collector replaces
 * (which counts "1 per result"), a row with any usage counts 1: the number of hours in which a
 * model was used with a key, an activity measure that compares owners and keys, not a request
 * rate. A row the report repeats with only zeros is no activity.
 */
export function* requestSeries(result: UsageResult): Iterable<[string, RequestLabels, bigint]> {
  const labels = requestLabelsOf(result);
  const used = TOKEN_TYPES.some(([, count]) => count(result) > 0);
  yield [JSON.stringify(Object.values(labels)), labels, used ? 1n : 0n];
}

export function* costSeries(result: CostResult): Iterable<[string, CostLabels, bigint]> {
  // The API documents USD as the only currency; anything else cannot be added to dollars.
  if (result.currency !== 'USD') return;
  const workspace = result.workspace_id ?? '';
  yield [workspace, { workspace_id: workspace }, centsToPicoUsd(result.amount)];
}
