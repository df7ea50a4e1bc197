/**
 * The pricing table behind the admin API and the meter. Requests are priced from an in-memory
 * index (no database read per request); every write here rebuilds it, and `reload()` lets the
 * composition root pick up another replica's change.
 */
import type { Selectable } from 'kysely';
import { ApiError } from '../errors.js';
import type { Store } from '../store/database.js';
import type { PricingTable } from '../store/schema.js';
import type { PriceListSource } from './aws-price-list/client.js';
import { refreshFromPriceList, type AwsRefreshResult } from './aws-price-list/refresh.js';
import { dollarsToMicros, microsToDollars } from './money.js';
import { SEED_PRICING, type SeedRow } from './pricing-seed.js';
import { costOf, PriceIndex, type CostResult, type TokenUsage } from './pricing.js';

type MoneyColumn = Exclude<keyof SeedRow, 'model_prefix' | 'note' | 'tier_threshold'>;
/** Columns holding micro-dollars per MTok; `tier_threshold` counts tokens and is not money. */
const MONEY_COLUMNS: readonly MoneyColumn[] = [
  'input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h',
  'tier_input', 'tier_output', 'tier_cache_read', 'tier_cache_write_5m', 'tier_cache_write_1h',
];

/** A pricing row as the admin API shows it: prices in USD per million tokens, null where unknown. */
export type PriceView = Omit<Selectable<PricingTable>, MoneyColumn> & Record<MoneyColumn, number | null>;

/** Prices in USD per million tokens; an omitted price is unknown (null). */
export type PriceInput = Partial<Record<MoneyColumn, number | null>> & { tier_threshold?: number | null; note?: string | null };

export interface PricingService {
  /**
   * Inserts missing seed rows, refreshes rows still marked 'seed' and loads the index; never
   * touches 'manual' or 'aws' rows. Call once at start.
   */
  seed(): Promise<void>;
  list(): Promise<PriceView[]>;
  /** An admin's price (source 'manual'); `note` wins over `prices.note`. */
  set(modelPrefix: string, prices: PriceInput, note?: string | null): Promise<PriceView>;
  /** Deletes a row; a seed row comes back at the next `seed()`, so override it with `set()` instead. */
  remove(modelPrefix: string): Promise<boolean>;
  /** Re-reads the table into the index, e.g. after another replica changed it. */
  reload(): Promise<void>;
  /** Prices by the id actually invoked upstream, else by the client's model name. */
  costFor(upstreamModel: string | null | undefined, clientModel: string, usage: TokenUsage): CostResult;
  /**
   * Bedrock prices from the AWS Price List (src/spend/aws-price-list/): rows become 'aws',
   * 'manual' rows are kept. A call while a refresh runs joins it, so runs never overlap.
   */
  refreshFromAws(): Promise<AwsRefreshResult>;
  /** The last refresh this replica ran (on demand or scheduled), or null. */
  lastAwsRefresh(): AwsRefreshStatus | null;
}

export type { AwsRefreshResult };

/** Epoch-ms times; counts are 0 when the run failed. */
export interface AwsRefreshStatus {
  at: number;
  ok: boolean;
  error: string | null;
  updated: number;
  added: number;
  skipped_manual: number;
  models: number;
}

export interface PricingServiceOptions {
  /** Where "Refresh from AWS" reads; without it a refresh says it is not configured. */
  priceList?: PriceListSource;
  now?: () => number;
  /** The price of one web search in micro-dollars (CCAG_WEB_SEARCH_PRICE_USD); 0 when absent. */
  webSearchPriceMicros?: number;
}

const SEED_PREFIXES = new Set(SEED_PRICING.map((row) => row.model_prefix));

function toView(row: Selectable<PricingTable>): PriceView {
  const view = { ...row } as PriceView;
  for (const column of MONEY_COLUMNS) {
    const micros = row[column];
    view[column] = micros === null ? null : microsToDollars(micros);
  }
  return view;
}

function toRow(modelPrefix: string, prices: PriceInput, note: string | null | undefined): SeedRow {
  if (!/^\S{1,200}$/.test(modelPrefix)) throw new ApiError('invalid_request', 'model prefix must be 1-200 characters without spaces');
  const threshold = prices.tier_threshold ?? null;
  if (threshold !== null && !(Number.isSafeInteger(threshold) && threshold > 0)) {
    throw new ApiError('invalid_request', 'tier_threshold must be a positive whole number of tokens');
  }
  const row = { model_prefix: modelPrefix, tier_threshold: threshold, note: note ?? prices.note ?? null } as SeedRow;
  for (const column of MONEY_COLUMNS) {
    const dollars = prices[column];
    try {
      row[column] = dollars === null || dollars === undefined ? null : dollarsToMicros(dollars);
    } catch (error) {
      throw new ApiError('invalid_request', `${column}: ${(error as Error).message}`);
    }
  }
  return row;
}

const sameSeed = (stored: Selectable<PricingTable>, seed: SeedRow) =>
  stored.note === seed.note &&
  stored.tier_threshold === seed.tier_threshold &&
  MONEY_COLUMNS.every((column) => stored[column] === seed[column]);

/** The index is empty until `seed()` or `reload()` has run. */
export function createPricingService(store: Store, options: PricingServiceOptions = {}): PricingService {
  const { db } = store;
  const now = options.now ?? Date.now;
  let index = new PriceIndex([]);
  let lastRefresh: AwsRefreshStatus | null = null;
  let refreshing: Promise<AwsRefreshResult> | undefined;

  const readAll = () => db.selectFrom('pricing').selectAll().orderBy('model_prefix').execute();
  const reload = async () => {
    index = new PriceIndex(await readAll());
  };

  return {
    async seed() {
      const now = Date.now();
      await db.transaction().execute(async (trx) => {
        const stored = new Map((await trx.selectFrom('pricing').selectAll().execute()).map((row) => [row.model_prefix, row]));
        const missing = SEED_PRICING.filter((row) => !stored.has(row.model_prefix));
        if (missing.length > 0) {
          // DO NOTHING: another replica seeding at the same moment wins harmlessly.
          await trx.insertInto('pricing').values(missing.map((row) => ({ ...row, source: 'seed' as const, updated_at: now })))
            .onConflict((oc) => oc.column('model_prefix').doNothing()).execute();
        }
        for (const row of SEED_PRICING) {
          const current = stored.get(row.model_prefix);
          if (!current || current.source !== 'seed' || sameSeed(current, row)) continue;
          // The source condition is in the statement so an admin's concurrent edit still wins.
          await trx.updateTable('pricing').set({ ...row, updated_at: now })
            .where('model_prefix', '=', row.model_prefix).where('source', '=', 'seed').execute();
        }
        const retired = [...stored.values()].filter((row) => row.source === 'seed' && !SEED_PREFIXES.has(row.model_prefix));
        if (retired.length > 0) {
          await trx.deleteFrom('pricing').where('source', '=', 'seed')
            .where('model_prefix', 'in', retired.map((row) => row.model_prefix)).execute();
        }
      });
      await reload();
    },

    async list() {
      return (await readAll()).map(toView);
    },

    async set(modelPrefix, prices, note) {
      const row = { ...toRow(modelPrefix, prices, note), source: 'manual' as const, updated_at: Date.now() };
      const { model_prefix: _, ...update } = row;
      await db.insertInto('pricing').values(row).onConflict((oc) => oc.column('model_prefix').doUpdateSet(update)).execute();
      await reload();
      return toView(row);
    },

    async remove(modelPrefix) {
      const result = await db.deleteFrom('pricing').where('model_prefix', '=', modelPrefix).executeTakeFirst();
      await reload();
      return result.numDeletedRows > 0n;
    },

    reload,

    costFor(upstreamModel, clientModel, usage) {
      const price = (upstreamModel ? index.lookup(upstreamModel) : undefined) ?? index.lookup(clientModel);
      return costOf(price, usage, options.webSearchPriceMicros ?? 0);
    },

    refreshFromAws() {
      refreshing ??= (async () => {
        const { priceList } = options;
        if (!priceList) throw new ApiError('not_supported', 'Refreshing prices from AWS is not configured on this gateway.');
        try {
          const result = await refreshFromPriceList(db, priceList, now);
          await reload();
          const { updated, added, skipped_manual, models } = result;
          lastRefresh = { at: result.fetched_at, ok: true, error: null, updated, added, skipped_manual, models };
          return result;
        } catch (error) {
          const message = error instanceof ApiError ? error.message : 'The refresh failed; the details were logged.';
          lastRefresh = { at: now(), ok: false, error: message, updated: 0, added: 0, skipped_manual: 0, models: 0 };
          throw error;
        }
      })().finally(() => (refreshing = undefined));
      return refreshing;
    },

    lastAwsRefresh: () => lastRefresh,
  };
}
