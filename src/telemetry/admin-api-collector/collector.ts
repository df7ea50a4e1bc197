/**
 * The optional Anthropic Admin API collector (spec §7): every interval it reads the usage and
 * cost reports for a trailing window (the previous and the current UTC day), turns the buckets
 * into exact cumulative totals that only ever grow by what a bucket rose (bucket-deltas.ts) and
 * into the current day's figures (current-period.ts), names each API key and its owner from the
 * key and user lists (key-names.ts), and compares the provider's daily cost with the gateway's
 * ledger (reconcile.ts). What a scrape shows is in collector-metrics.ts.
 */
import { performance } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { AnthropicSpend } from '../../spend/spend-by-window.js';
import { BucketDeltas, SeriesTotals } from './bucket-deltas.js';
import { formatPicoUsd } from './cents.js';
import { AdminApiError, type AdminApiClient } from './client.js';
import { observeCollector, type CollectorState, type Report } from './collector-metrics.js';
import { CurrentPeriod } from './current-period.js';
import { createKeyNames, withKeyNames } from './key-names.js';
import { compareWithLedger, DAY_MS, utcDayStart, type DayComparison } from './reconcile.js';
import { costSeries, perBucketSeries, requestSeries, tokenSeries } from './usage-series.js';

/** After a 429 the next poll waits for `retry-after`, but never less than this. */
const MIN_RETRY_MS = 1_000;
const USAGE_GROUP_BY = ['model', 'api_key_id', 'workspace_id', 'service_tier'] as const;
/** Keys and users change rarely; an hour-old name is fine, and the lists can be long. */
const NAMES_REFRESH_MS = 3_600_000;
/** A key the names do not know yet (created since the last read) asks for the lists at most this often. */
const UNKNOWN_KEY_RETRY_MS = 300_000;

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
  /** Reads the reports (and the key names when due) once; failures are logged and counted, never thrown. */
  pollOnce(): Promise<PollResult>;
  /** Polls now, then every interval (or after a 429's `retry-after`). */
  start(): void;
  stop(): Promise<void>;
}

interface Read<T> {
  readonly value?: T;
  readonly retryAfterMs?: number;
}

export function createAdminApiCollector(options: CollectorOptions): AdminApiCollector {
  const clock = options.clock ?? Date.now;
  const { log, client } = options;
  const state: CollectorState = {
    tokens: new SeriesTotals(),
    requests: new SeriesTotals(),
    cost: new SeriesTotals(),
    tokensCurrent: new CurrentPeriod(),
    requestsCurrent: new CurrentPeriod(),
    costCurrent: new CurrentPeriod(),
    names: createKeyNames({ clock, refreshMs: NAMES_REFRESH_MS, unknownKeyRetryMs: UNKNOWN_KEY_RETRY_MS }),
    comparisons: [],
    lastSuccess: new Map(),
    lastPollSucceeded: undefined,
  };
  const { loopDuration, errors } = observeCollector(options.meter, state, clock);
  const tokenDeltas = new BucketDeltas();
  const requestDeltas = new BucketDeltas();
  const costDeltas = new BucketDeltas();
  let pollFailed = false;

  async function read<T>(report: Report, fetch: () => Promise<T>): Promise<Read<T>> {
    try {
      const value = await fetch();
      state.lastSuccess.set(report, clock() / 1000);
      return { value };
    } catch (error) {
      pollFailed = true;
      const reason = error instanceof AdminApiError ? error.reason : 'invalid_response';
      errors.add(1, { report, reason });
      log.warn({ report, reason, status: error instanceof AdminApiError ? error.status : undefined, err: error }, 'admin api report failed');
      return error instanceof AdminApiError && error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {};
    }
  }

  /** Reads the key and user lists when due; returns a 429's wait, if any. */
  async function refreshNames(apiKeyIds: Iterable<string>): Promise<number | undefined> {
    if (!state.names.isDue(apiKeyIds)) return undefined;
    state.names.readStarted();
    const keys = await read('api_keys', () => client.apiKeys());
    if (!keys.value) return keys.retryAfterMs;
    const users = await read('users', () => client.users());
    if (!users.value) return users.retryAfterMs;
    state.names.replace(keys.value, users.value);
    return undefined;
  }

  async function poll(): Promise<PollResult> {
    const now = clock();
    const today = utcDayStart(now);
    const windowStart = today - DAY_MS;
    const query = { startingAt: windowStart, endingAt: today + DAY_MS };

    const usage = await read('usage', () => client.usageReport({ ...query, bucketWidth: '1h', groupBy: USAGE_GROUP_BY }));
    // Rate limits are per organization: asking for anything else now would only be refused too.
    if (usage.retryAfterMs !== undefined) return { retryAfterMs: usage.retryAfterMs };
    const tokenBuckets = perBucketSeries(usage.value ?? [], tokenSeries);
    const requestBuckets = perBucketSeries(usage.value ?? [], requestSeries);
    // Names before the usage is applied, so a new key's first series already carries its name.
    const namesRetryMs = await refreshNames(requestBuckets.map((s) => s.labels.api_key_id));
    if (usage.value) {
      for (const s of tokenBuckets) state.tokens.add(withKeyNames(s.labels, state.names), tokenDeltas.observe(s.bucketStart, s.seriesKey, s.value));
      for (const s of requestBuckets) state.requests.add(withKeyNames(s.labels, state.names), requestDeltas.observe(s.bucketStart, s.seriesKey, s.value));
      state.tokensCurrent.replace(today, tokenBuckets);
      state.requestsCurrent.replace(today, requestBuckets);
    }
    tokenDeltas.forgetBucketsBefore(windowStart);
    requestDeltas.forgetBucketsBefore(windowStart);
    if (namesRetryMs !== undefined) return { retryAfterMs: namesRetryMs };

    // The cost report only has daily buckets.
    const costs = await read('cost', () => client.costReport({ ...query, bucketWidth: '1d', groupBy: ['workspace_id'] }));
    if (!costs.value) return costs.retryAfterMs === undefined ? {} : { retryAfterMs: costs.retryAfterMs };
    const costBuckets = perBucketSeries(costs.value, costSeries);
    const providerByDay = new Map<number, bigint>();
    for (const s of costBuckets) {
      state.cost.add(s.labels, costDeltas.observe(s.bucketStart, s.seriesKey, s.value));
      providerByDay.set(s.bucketStart, (providerByDay.get(s.bucketStart) ?? 0n) + s.value);
    }
    costDeltas.forgetBucketsBefore(windowStart);
    state.costCurrent.replace(today, costBuckets);

    try {
      state.comparisons = await compareWithLedger(options.ledger, providerByDay, now);
    } catch (error) {
      pollFailed = true;
      errors.add(1, { report: 'cost', reason: 'ledger' });
      log.warn({ err: error }, 'admin api collector could not read the spend ledger');
      return {};
    }
    const figures = Object.fromEntries(
      state.comparisons.map((day) => [
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
    return { comparisons: state.comparisons };
  }

  async function pollOnce(): Promise<PollResult> {
    pollFailed = false;
    const started = performance.now();
    try {
      return await poll();
    } finally {
      loopDuration.record((performance.now() - started) / 1000);
      state.lastPollSucceeded = !pollFailed;
    }
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
