/**
 * The optional Anthropic Admin API collector (spec §7): every interval it reads the usage and
 * cost reports for a trailing window (the previous and the current UTC day), turns the buckets
 * into exact cumulative totals that only ever grow by what a bucket rose (bucket-deltas.ts),
 * and compares the provider's daily cost with the gateway's ledger (reconcile.ts).
 *
 * Scraped names: `claude_tokens_total{type,model,api_key_id,workspace_id,service_tier}` (a
 * counter) and `claude_cost_total_usd{workspace_id}`. The Prometheus exporter appends `_total`
 * to every monotonic counter, so a counter could only scrape as `claude_cost_total_usd_total`;
 * to keep the documented name the cost is an observable UpDownCounter (Prometheus type gauge)
 * whose value still only ever rises. Totals are observed at collection time from the exact
 * integers, so the float a scrape shows never carries summation drift.
 */
import type { Counter, Meter } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { AnthropicSpend } from '../../spend/spend-by-window.js';
import { AdminApiError, type AdminApiClient, type Bucket, type CostResult, type FailureReason, type UsageResult } from './client.js';
import { BucketDeltas } from './bucket-deltas.js';
import { centsToPicoUsd, formatPicoUsd, picoToUsd } from './cents.js';
import { compareWithLedger, DAY_MS, utcDayStart, type DayComparison } from './reconcile.js';

/** After a 429 the next poll waits for `retry-after`, but never less than this. */
const MIN_RETRY_MS = 1_000;
const USAGE_GROUP_BY = ['model', 'api_key_id', 'workspace_id', 'service_tier'] as const;

type TokenLabels = { type: string; model: string; api_key_id: string; workspace_id: string; service_tier: string };
type CostLabels = { workspace_id: string };
type Report = 'usage' | 'cost';

const TOKEN_TYPES: readonly [string, (r: UsageResult) => number][] = [
  ['input', (r) => r.uncached_input_tokens],
  ['output', (r) => r.output_tokens],
  ['cache_read', (r) => r.cache_read_input_tokens],
  ['cache_creation_5m', (r) => r.cache_creation?.ephemeral_5m_input_tokens ?? 0],
  ['cache_creation_1h', (r) => r.cache_creation?.ephemeral_1h_input_tokens ?? 0],
];

export interface CollectorOptions {
  readonly client: AdminApiClient;
  readonly ledger: AnthropicSpend;
  readonly meter: Meter;
  readonly log: Logger;
  readonly intervalMs: number;
  readonly clock?: () => number;
}

export interface PollResult {
  /** Set when the provider asked to wait (429 `retry-after`). */
  readonly retryAfterMs?: number;
  readonly comparisons?: readonly DayComparison[];
}

export interface AdminApiCollector {
  /** Reads both reports once; failures are logged and counted, never thrown. */
  pollOnce(): Promise<PollResult>;
  /** Polls now, then every interval (or after a 429's `retry-after`). */
  start(): void;
  stop(): Promise<void>;
}

/** Sums the results that share a series within each bucket (dimensions not grouped by merge). */
function perBucketSeries<R, L>(buckets: readonly Bucket<R>[], series: (result: R) => Iterable<[string, L, bigint]>) {
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
  return sums.values();
}

function* tokenSeries(result: UsageResult): Iterable<[string, TokenLabels, bigint]> {
  for (const [type, count] of TOKEN_TYPES) {
    const labels = { type, model: result.model ?? '', api_key_id: result.api_key_id ?? '', workspace_id: result.workspace_id ?? '', service_tier: result.service_tier ?? '' };
    yield [JSON.stringify(Object.values(labels)), labels, BigInt(count(result))];
  }
}

function* costSeries(result: CostResult): Iterable<[string, CostLabels, bigint]> {
  // The API documents USD as the only currency; anything else cannot be added to dollars.
  if (result.currency !== 'USD') return;
  const workspace = result.workspace_id ?? '';
  yield [workspace, { workspace_id: workspace }, centsToPicoUsd(result.amount)];
}

export function createAdminApiCollector(options: CollectorOptions): AdminApiCollector {
  const clock = options.clock ?? Date.now;
  const { log } = options;
  const tokens = new BucketDeltas<TokenLabels>();
  const cost = new BucketDeltas<CostLabels>();
  let comparisons: readonly DayComparison[] = [];

  options.meter
    .createObservableCounter('claude.tokens.total', { description: 'Tokens the Anthropic Admin API usage report counts, by type, model, API key, workspace and service tier.' })
    .addCallback((result) => {
      for (const series of tokens.series()) result.observe(Number(series.total), series.labels);
    });
  options.meter
    .createObservableUpDownCounter('claude.cost.total_usd', { description: 'Cost in US dollars the Anthropic Admin API cost report counts, by workspace (only rises).', unit: 'USD' })
    .addCallback((result) => {
      for (const series of cost.series()) result.observe(picoToUsd(series.total), series.labels);
    });
  options.meter
    .createObservableGauge('ccag.admin_api.cost_difference_usd', { description: "The provider's cost minus the gateway ledger's cost for Anthropic endpoints, per UTC day.", unit: 'USD' })
    .addCallback((result) => {
      for (const day of comparisons) result.observe(picoToUsd(day.providerPico - day.ledgerPico), { window: day.window });
    });
  const errors: Counter<{ report: Report; reason: FailureReason | 'ledger' }> = options.meter.createCounter('ccag.admin_api.errors.total', {
    description: 'Failed Admin API collector reads, by report and reason.',
  });

  async function read<T>(report: Report, fetch: () => Promise<T>): Promise<{ value?: T; retryAfterMs?: number }> {
    try {
      return { value: await fetch() };
    } catch (error) {
      const reason = error instanceof AdminApiError ? error.reason : 'invalid_response';
      errors.add(1, { report, reason });
      log.warn({ report, reason, status: error instanceof AdminApiError ? error.status : undefined, err: error }, 'admin api report failed');
      return error instanceof AdminApiError && error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {};
    }
  }

  async function pollOnce(): Promise<PollResult> {
    const now = clock();
    const windowStart = utcDayStart(now) - DAY_MS;
    const query = { startingAt: windowStart, endingAt: utcDayStart(now) + DAY_MS };

    const usage = await read('usage', () => options.client.usageReport({ ...query, bucketWidth: '1h', groupBy: USAGE_GROUP_BY }));
    for (const s of perBucketSeries(usage.value ?? [], tokenSeries)) tokens.observe(s.bucketStart, s.seriesKey, s.labels, s.value);
    tokens.forgetBucketsBefore(windowStart);
    // Rate limits are per organization: asking for the other report now would only be refused too.
    if (usage.retryAfterMs !== undefined) return { retryAfterMs: usage.retryAfterMs };

    // The cost report only has daily buckets.
    const costs = await read('cost', () => options.client.costReport({ ...query, bucketWidth: '1d', groupBy: ['workspace_id'] }));
    if (!costs.value) return costs.retryAfterMs === undefined ? {} : { retryAfterMs: costs.retryAfterMs };
    const providerByDay = new Map<number, bigint>();
    for (const s of perBucketSeries(costs.value, costSeries)) {
      cost.observe(s.bucketStart, s.seriesKey, s.labels, s.value);
      providerByDay.set(s.bucketStart, (providerByDay.get(s.bucketStart) ?? 0n) + s.value);
    }
    cost.forgetBucketsBefore(windowStart);

    try {
      comparisons = await compareWithLedger(options.ledger, providerByDay, now);
    } catch (error) {
      errors.add(1, { report: 'cost', reason: 'ledger' });
      log.warn({ err: error }, 'admin api collector could not read the spend ledger');
      return {};
    }
    const figures = Object.fromEntries(
      comparisons.map((day) => [
        day.window,
        {
          day: new Date(day.dayStart).toISOString().slice(0, 10),
          provider_cost_usd: formatPicoUsd(day.providerPico),
          ledger_cost_usd: formatPicoUsd(day.ledgerPico),
          difference_usd: formatPicoUsd(day.providerPico - day.ledgerPico),
        },
      ]),
    );
    log.info(figures, 'admin api cost compared with the ledger');
    return { comparisons };
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      const poll = pollOnce()
        // pollOnce handles the provider's failures; this is the last guard that keeps a bug from stopping the loop.
        .catch((error: unknown): PollResult => {
          log.error({ err: error }, 'admin api collector poll failed');
          return {};
        })
        .then((result) => schedule(result.retryAfterMs === undefined ? options.intervalMs : Math.max(MIN_RETRY_MS, result.retryAfterMs)));
      running = poll;
    }, delayMs);
    timer.unref();
  };

  return {
    pollOnce,
    start: () => schedule(0),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
