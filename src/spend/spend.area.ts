/**
 * Spend: the pricing table (seeded, refreshed from AWS, polled for other replicas' edits), the
 * lossless ledger writer (its journal replayed at start, flushed at shutdown), settlement of each
 * billed request, and the analytics over the ledger's rollups.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Store } from '../store/database.js';
import { createAnalyticsService, type AnalyticsNames } from './analytics/analytics.service.js';
import { createAttributionReports } from './analytics/attribution-reports.js';
import { lastAwsPriceUpdate } from './aws-price-list/apply.js';
import { createPriceListClient } from './aws-price-list/client.js';
import { createAwsPriceRefresher } from './aws-price-list/refresher.js';
import { createLedgerPurge } from './ledger-purge.js';
import { createLedgerWriter } from './ledger-writer.js';
import { dollarsToMicros } from './money.js';
import { createPricingService } from './pricing.service.js';
import { createSettler, type SettlerDeps } from './settlement.js';

/** Prices change rarely: re-reading the small table this often picks up other replicas' edits. */
const PRICING_POLL_MS = 15_000;

export interface SpendDeps {
  readonly settings: Settings;
  readonly store: Store;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  /** Whether the gateway routes to Bedrock (the scheduled AWS price refresh only runs then). */
  readonly hasBedrockEndpoint: () => boolean;
  /** Names of users, teams and endpoints, from their owners, for analytics. */
  readonly names: AnalyticsNames;
  readonly onSettled: SettlerDeps['onSettled'];
  readonly onFlushError: () => void;
  readonly onQuarantine: (count: number) => void;
}

export async function createSpend(deps: SpendDeps) {
  const { settings, store, lifecycle, log } = deps;
  // "Refresh from AWS" reads the Price List of the gateway's AWS region (us-east-1 without one).
  const priceList = lifecycle.owns(
    'AWS Price List client',
    createPriceListClient({ region: settings.awsPricingRegion ?? settings.awsRegion ?? 'us-east-1', endpoint: settings.awsPricingEndpoint }),
    (client) => client.destroy(),
  );
  const pricing = createPricingService(store, { priceList, webSearchPriceMicros: dollarsToMicros(settings.webSearchPriceUsd) });
  await pricing.seed();
  const pricingTimer = setInterval(() => pricing.reload().catch((error: unknown) => log.warn({ err: error }, 'pricing reload failed')), PRICING_POLL_MS);
  pricingTimer.unref();
  lifecycle.owns('pricing reload', pricingTimer, clearInterval);
  lifecycle.changes.follow('pricing', () => pricing.reload());
  if (settings.awsPricingRefreshHours > 0) {
    const refresher = createAwsPriceRefresher({
      refresh: () => pricing.refreshFromAws(),
      lastRefreshedAt: () => lastAwsPriceUpdate(store.db),
      // An Anthropic-only gateway has nothing to price from AWS.
      enabled: deps.hasBedrockEndpoint,
      intervalMs: settings.awsPricingRefreshHours * 3_600_000,
      onError: (error) => log.warn({ err: error }, 'AWS price refresh failed'),
    });
    refresher.start();
    lifecycle.owns('AWS price refresh', refresher, (r) => r.close());
  }

  const ledger = lifecycle.owns(
    'spend ledger',
    createLedgerWriter({
      store,
      journalDir: join(settings.dataDir, 'journal'),
      walDir: settings.ledgerWal ? (settings.ledgerWalDir ?? join(settings.dataDir, 'journal', 'wal')) : undefined,
      flushIntervalMs: settings.ledgerFlushMs,
      batchSize: settings.ledgerBatchSize,
      maxBuffered: settings.ledgerMaxBuffered,
      log,
      onFlushError: deps.onFlushError,
      onQuarantine: deps.onQuarantine,
    }),
    (writer) => writer.close(),
  );
  const journalReplayed = await ledger.replayJournal();
  return {
    pricing,
    ledger,
    journalReplayed,
    settler: createSettler({ pricing, ledger, onSettled: deps.onSettled }),
    analytics: createAnalyticsService({ db: store.db, names: deps.names }),
    /** Retention (docs/retention.md): raw ledger rows older than the cutoff, in batches. */
    purgeLedgerBefore: createLedgerPurge(store.db),
    attribution: createAttributionReports(store.db, deps.names),
  };
}

export type Spend = Awaited<ReturnType<typeof createSpend>>;
