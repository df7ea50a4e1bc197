/**
 * One "Refresh from AWS": read the Price List, turn it into rows, write them. Errors come out as
 * admin errors (ApiError) saying what to fix.
 */
import type { Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import { applyAwsPrices, type ApplyCounts } from './apply.js';
import type { PriceListSource } from './client.js';
import { priceListError } from './errors.js';
import { awsPriceRows, parsePriceList } from './parse.js';

export interface AwsRefreshResult extends ApplyCounts {
  /** Claude models the Price List priced. */
  models: number;
  /** When the prices were read (epoch ms); also the rows' `updated_at`. */
  fetched_at: number;
  /** The region whose prices were read. */
  region: string;
}

export async function refreshFromPriceList(db: Kysely<Database>, source: PriceListSource, now: () => number): Promise<AwsRefreshResult> {
  let documents: string[];
  try {
    documents = await source.fetchDocuments();
  } catch (error) {
    throw priceListError(error, source.endpoint);
  }
  const fetchedAt = now();
  const parsed = parsePriceList(documents, source.region);
  // An empty answer is a wrong region or a changed Price List, not "no prices": change nothing.
  if (parsed.models.size === 0) {
    throw new ApiError('upstream_unreachable', `The AWS Price List returned no Claude prices for ${source.region} (${documents.length} products read); nothing was changed.`);
  }
  const counts = await applyAwsPrices(db, awsPriceRows(parsed, source.region), fetchedAt);
  return { ...counts, models: parsed.models.size, fetched_at: fetchedAt, region: source.region };
}
