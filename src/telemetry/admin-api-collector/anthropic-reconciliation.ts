/**
 * The ledger beside Anthropic's bill, per UTC day over a chosen range (GET
 * /admin/analytics/anthropic-reconciliation): the cost report's daily total (every workspace)
 * and the ledger's cost on `anthropic` endpoints, and how far apart they are. What a difference
 * means is in reconcile.ts.
 *
 * The collector's own figures cover only its two-day window, so a range is read from the cost
 * report when asked. Pages that show the same range within a few minutes share one read: the
 * Admin API's rate limit is per organization and the collector needs it too. The ledger is read
 * every time (it is local, and it moves with every request).
 */
import type { AnthropicSpend } from '../../spend/spend-by-window.js';
import { microUsdToPico, picoToUsd } from './cents.js';
import type { AdminApiClient } from './client.js';
import { DAY_MS } from './reconcile.js';
import { costSeries, perBucketSeries } from './usage-series.js';

/** How long a range's cost report is reused. */
const PROVIDER_CACHE_MS = 300_000;
/** Ranges remembered at once; the portal asks for a handful. */
const PROVIDER_CACHE_RANGES = 16;

export interface ReconciledFigures {
  readonly ledger_usd: number;
  readonly anthropic_usd: number;
  /** Anthropic's cost minus the ledger's. */
  readonly difference_usd: number;
  /** The difference as a share of Anthropic's cost, in percent (two decimals); null when Anthropic's cost is 0. */
  readonly difference_percent: number | null;
}

export interface ReconciledDay extends ReconciledFigures {
  /** The UTC day, `YYYY-MM-DD`. */
  readonly day: string;
}

export interface AnthropicReconciliation {
  /** Each UTC day from `fromDay` (inclusive) to `toDay` (exclusive), both UTC midnights, and the range's total. */
  daily(fromDay: number, toDay: number): Promise<{ days: ReconciledDay[]; total: ReconciledFigures }>;
}

export interface ReconciliationOptions {
  readonly client: Pick<AdminApiClient, 'costReport'>;
  readonly ledger: AnthropicSpend;
  readonly clock?: () => number;
}

export function reconciledFigures(anthropicPico: bigint, ledgerPico: bigint): ReconciledFigures {
  const difference = anthropicPico - ledgerPico;
  return {
    ledger_usd: picoToUsd(ledgerPico),
    anthropic_usd: picoToUsd(anthropicPico),
    difference_usd: picoToUsd(difference),
    // Basis points as an integer first, so the rounding is exact; then percent.
    difference_percent: anthropicPico === 0n ? null : Number((difference * 10_000n) / anthropicPico) / 100,
  };
}

export function createAnthropicReconciliation(options: ReconciliationOptions): AnthropicReconciliation {
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, { readAt: number; costByDay: Promise<Map<number, bigint>> }>();

  async function readCostByDay(fromDay: number, toDay: number): Promise<Map<number, bigint>> {
    const buckets = await options.client.costReport({ startingAt: fromDay, endingAt: toDay, bucketWidth: '1d', groupBy: [] });
    const byDay = new Map<number, bigint>();
    for (const s of perBucketSeries(buckets, costSeries)) byDay.set(s.bucketStart, (byDay.get(s.bucketStart) ?? 0n) + s.value);
    return byDay;
  }

  function costByDay(fromDay: number, toDay: number): Promise<Map<number, bigint>> {
    const key = `${fromDay}-${toDay}`;
    const cached = cache.get(key);
    if (cached && clock() - cached.readAt < PROVIDER_CACHE_MS) return cached.costByDay;
    const read = readCostByDay(fromDay, toDay);
    cache.delete(key);
    cache.set(key, { readAt: clock(), costByDay: read });
    // A failed read is not kept: the next page load asks again.
    read.catch(() => {
      if (cache.get(key)?.costByDay === read) cache.delete(key);
    });
    if (cache.size > PROVIDER_CACHE_RANGES) cache.delete(cache.keys().next().value!);
    return read;
  }

  return {
    async daily(fromDay, toDay) {
      const provider = await costByDay(fromDay, toDay);
      const dayStarts: number[] = [];
      for (let day = fromDay; day < toDay; day += DAY_MS) dayStarts.push(day);
      const ledger = await Promise.all(dayStarts.map(async (day) => microUsdToPico(await options.ledger.microsBetween(day, day + DAY_MS))));
      let anthropicTotal = 0n;
      let ledgerTotal = 0n;
      const days = dayStarts.map((day, index) => {
        const anthropicPico = provider.get(day) ?? 0n;
        const ledgerPico = ledger[index]!;
        anthropicTotal += anthropicPico;
        ledgerTotal += ledgerPico;
        return { day: new Date(day).toISOString().slice(0, 10), ...reconciledFigures(anthropicPico, ledgerPico) };
      });
      return { days, total: reconciledFigures(anthropicTotal, ledgerTotal) };
    },
  };
}
