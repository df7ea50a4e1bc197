import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AwsRefreshResult, AwsRefreshStatus, PriceView } from '../spend/pricing.service.js';
import { listQuery, pageInMemory } from './list-query.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const price = z.number().min(0).max(100_000).nullable();

const setBody = z
  .object({
    input: price.optional(),
    output: price.optional(),
    cache_read: price.optional(),
    cache_write_5m: price.optional(),
    cache_write_1h: price.optional(),
    tier_threshold: z.number().int().positive().nullable().optional(),
    tier_input: price.optional(),
    tier_output: price.optional(),
    tier_cache_read: price.optional(),
    tier_cache_write_5m: price.optional(),
    tier_cache_write_1h: price.optional(),
    note: z.string().max(500).nullable().optional(),
  })
  .strict();

const pricingQuery = listQuery({ model_prefix: 'asc', source: 'asc', updated_at: 'desc', input: 'desc', output: 'desc' }, 'model_prefix', {
  source: z.enum(['seed', 'aws', 'manual']).optional(),
});

const presentPrice = (row: PriceView) => ({ ...row, updated_at: new Date(row.updated_at).toISOString() });

const iso = (epochMs: number) => new Date(epochMs).toISOString();

const presentRefresh = ({ updated, added, skipped_manual, models, region, fetched_at }: AwsRefreshResult) => ({
  updated, added, skipped_manual, models, region, fetched_at: iso(fetched_at),
});

const presentRefreshStatus = ({ at, ok, error, updated, added, skipped_manual, models }: AwsRefreshStatus) => ({
  at: iso(at), ok, error, updated, added, skipped_manual, models,
});

/** A pricing row as the admin API shows it, and the body of PUT /admin/pricing/{prefix} (shared with the CLI). */
export type PriceResponse = ReturnType<typeof presentPrice>;
export type SetPriceBody = z.input<typeof setBody>;
/** POST /admin/pricing/refresh; GET /admin/pricing/refresh is the last run's status, or null. */
export type PricingRefreshResponse = ReturnType<typeof presentRefresh>;
export type PricingRefreshStatusResponse = ReturnType<typeof presentRefreshStatus>;

export function registerPricingRoutes(app: FastifyInstance, deps: AdminDeps): void {
  // A few dozen rows: read whole (in model-prefix order), then sorted and paged here.
  app.get('/pricing', async (request) => {
    const query = validate(pricingQuery, request.query);
    const rows = (await deps.pricing.list()).filter((row) => query.source === undefined || row.source === query.source);
    return pageInMemory(rows.map(presentPrice), query, {
      sort: { model_prefix: (row) => row.model_prefix, source: (row) => row.source, updated_at: (row) => row.updated_at, input: (row) => row.input, output: (row) => row.output },
      text: (row) => [row.model_prefix],
    });
  });

  // A field left out keeps its current value, so setting input and output never wipes cache prices.
  app.put<{ Params: { prefix: string } }>('/pricing/:prefix', async (request) => {
    const body = validate(setBody, request.body);
    const prefix = validate(z.string().trim().min(1).max(200), request.params.prefix);
    const current = (await deps.pricing.list()).find((row) => row.model_prefix === prefix);
    const { model_prefix: _prefix, source: _source, updated_at: _updated, ...currentPrices } = current ?? ({} as Partial<PriceView>);
    return presentPrice(await deps.pricing.set(prefix, { ...currentPrices, ...body }));
  });

  // "Refresh from AWS": Bedrock prices from the AWS Price List; manual rows are never overwritten.
  app.post('/pricing/refresh', async () => presentRefresh(await deps.pricing.refreshFromAws()));

  // This replica's last run (scheduled or on demand), null before the first.
  app.get('/pricing/refresh', async () => {
    const last = deps.pricing.lastAwsRefresh();
    return last ? presentRefreshStatus(last) : null;
  });
}
