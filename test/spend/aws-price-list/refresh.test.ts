/**
 * "Refresh from AWS" on both databases: the real Price List client against the mock Price List
 * API, through the pricing service. Manual rows are kept, seed rows replaced, rows become `aws`
 * with the refresh time, and the in-memory index prices with the new figures.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { lastAwsPriceUpdate } from '../../../src/spend/aws-price-list/apply.js';
import { createPriceListClient, type PriceListSource } from '../../../src/spend/aws-price-list/client.js';
import { createPricingService, type PricingService } from '../../../src/spend/pricing.service.js';
import type { Store } from '../../../src/store/database.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { claudeMarketplaceProducts, PRODUCTS_US_EAST_1, useMockAwsPricing } from '../../support/mock-aws-pricing.js';

const NOW = Date.UTC(2027, 0, 15, 9, 30);
const MTOK = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };

const mockPricing = useMockAwsPricing();

describe.each(databaseKinds)('refresh from AWS (%s)', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  let priceList: PriceListSource | undefined;

  afterEach(async () => {
    priceList?.destroy();
    await store?.close();
    await database?.drop();
    store = undefined;
    mockPricing().setProducts(PRODUCTS_US_EAST_1);
    mockPricing().failWith(undefined);
    mockPricing().requests.length = 0;
  });

  async function seeded(): Promise<PricingService | undefined> {
    database = await createTestDatabase(kind);
    store = await database?.open();
    if (!store) return undefined;
    priceList = createPriceListClient({ region: 'us-east-1', endpoint: mockPricing().url });
    const pricing = createPricingService(store, { priceList, now: () => NOW });
    await pricing.seed();
    return pricing;
  }

  const row = (prefix: string) => store!.db.selectFrom('pricing').selectAll().where('model_prefix', '=', prefix).executeTakeFirst();

  test('replaces seed rows, adds new ones, never touches manual rows, and prices from the new figures', async (ctx) => {
    const pricing = await seeded();
    if (!pricing) return ctx.skip();
    const manual = await pricing.set('us.anthropic.claude-sonnet-4-5', { input: 2.5, output: 12 }, 'negotiated');
    // A price AWS does not list (Haiku 4.5's regional 1-hour write) keeps the row's value.
    await store!.db.updateTable('pricing').set({ cache_write_1h: 2_200_000 }).where('model_prefix', '=', 'us.anthropic.claude-haiku-4-5').execute();
    mockPricing().setProducts([
      ...PRODUCTS_US_EAST_1.filter((text) => !text.includes('Claude Sonnet 4.5')),
      ...claudeMarketplaceProducts('Claude Sonnet 4.5 (Amazon Bedrock Edition)', 'camel',
        ['3.4000000000', '17.0000000000', '0.3400000000', '4.2500000000', '6.8000000000'],
        ['3.1000000000', '15.5000000000', '0.3100000000', '3.8750000000', '6.2000000000']),
    ]);

    const result = await pricing.refreshFromAws();

    // Sonnet 4.5, Opus 5, Haiku 4.5: 7 rows each; Claude 3 Haiku (legacy offer): 6 regional rows, all new.
    expect(result).toEqual({ updated: 20, added: 6, skipped_manual: 1, models: 4, fetched_at: NOW, region: 'us-east-1' });
    expect(await row('us.anthropic.claude-sonnet-4-5')).toMatchObject({ source: 'manual', input: 2_500_000, output: 12_000_000, note: 'negotiated', updated_at: manual.updated_at });
    expect(await row('global.anthropic.claude-sonnet-4-5')).toMatchObject({
      source: 'aws', updated_at: NOW, input: 3_100_000, output: 15_500_000, cache_read: 310_000, cache_write_5m: 3_875_000, cache_write_1h: 6_200_000,
      note: 'AWS Price List, us-east-1 global price',
    });
    expect(await row('eu.anthropic.claude-sonnet-4-5')).toMatchObject({ source: 'aws', input: 3_400_000, cache_write_1h: 6_800_000 });
    expect(await row('us.anthropic.claude-haiku-4-5')).toMatchObject({ source: 'aws', input: 1_100_000, cache_write_5m: 1_375_000, cache_write_1h: 2_200_000 });
    expect(await row('anthropic.claude-3-haiku')).toMatchObject({ source: 'aws', input: 250_000, output: 1_250_000, cache_read: null, tier_threshold: null, updated_at: NOW });
    // The Anthropic API's own rows are not Bedrock prices and stay seed.
    expect(await row('claude-sonnet-4-5')).toMatchObject({ source: 'seed', input: 3_000_000 });

    // The index was reloaded: requests are priced with the refreshed figures at once.
    expect(pricing.costFor('global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5', MTOK).costMicros).toBe(3_100_000);
    expect(pricing.costFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5', MTOK).costMicros).toBe(2_500_000);
    expect(pricing.costFor('anthropic.claude-3-haiku-20240307-v1:0', 'claude-3-haiku', MTOK)).toEqual({ costMicros: 250_000, pricingStatus: 'priced' });
    expect(pricing.lastAwsRefresh()).toEqual({ at: NOW, ok: true, error: null, updated: 20, added: 6, skipped_manual: 1, models: 4 });
    expect(await lastAwsPriceUpdate(store!.db)).toBe(NOW);

    // A restart's seed() leaves aws rows alone.
    await pricing.seed();
    expect(await row('global.anthropic.claude-sonnet-4-5')).toMatchObject({ source: 'aws', input: 3_100_000 });

    // A second refresh rewrites its own rows (updated, none added).
    expect(await pricing.refreshFromAws()).toMatchObject({ updated: 26, added: 0, skipped_manual: 1 });
  });

  test('reads every page of both offers, filtered to Claude in the region, signed', async (ctx) => {
    const pricing = await seeded();
    if (!pricing) return ctx.skip();
    await pricing.refreshFromAws();
    const marketplace = mockPricing().requests.filter((request) => request.body.ServiceCode === 'AmazonBedrockFoundationModels');
    const legacy = mockPricing().requests.filter((request) => request.body.ServiceCode === 'AmazonBedrock');
    expect(marketplace.length).toBeGreaterThan(2);
    expect(marketplace.slice(1).every((request) => request.body.NextToken)).toBe(true);
    expect(marketplace[0]!.body.Filters).toEqual([
      { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
      { Type: 'CONTAINS', Field: 'servicename', Value: 'Claude' },
    ]);
    expect(legacy[0]!.body.Filters).toContainEqual({ Type: 'TERM_MATCH', Field: 'provider', Value: 'Anthropic' });
    expect(mockPricing().requests.every((request) => request.target === 'AWSPriceListService.GetProducts' && request.hasAuthorization)).toBe(true);
  });

  test('concurrent refreshes share one run', async (ctx) => {
    const pricing = await seeded();
    if (!pricing) return ctx.skip();
    const [first, second] = await Promise.all([pricing.refreshFromAws(), pricing.refreshFromAws()]);
    expect(second).toBe(first);
    const once = mockPricing().requests.length;
    mockPricing().requests.length = 0;
    await pricing.refreshFromAws();
    expect(mockPricing().requests.length).toBe(once);
  });

  test('AccessDenied and an empty answer are clear errors that change nothing', async (ctx) => {
    const pricing = await seeded();
    if (!pricing) return ctx.skip();
    const before = await store!.db.selectFrom('pricing').selectAll().orderBy('model_prefix').execute();

    mockPricing().failWith({ status: 400, type: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/ccag is not authorized to perform: pricing:GetProducts' });
    const denied = await pricing.refreshFromAws().catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(ApiError);
    expect(denied).toMatchObject({ code: 'upstream_unreachable', status: 502 });
    expect((denied as ApiError).message).toMatch(/denied pricing:GetProducts/);
    expect(pricing.lastAwsRefresh()).toMatchObject({ ok: false, error: (denied as ApiError).message, updated: 0, added: 0 });

    mockPricing().failWith(undefined);
    mockPricing().setProducts(PRODUCTS_US_EAST_1.filter((text) => !text.includes('Claude')));
    await expect(pricing.refreshFromAws()).rejects.toThrow(/no Claude prices for us-east-1/);

    expect(await store!.db.selectFrom('pricing').selectAll().orderBy('model_prefix').execute()).toEqual(before);
  });
});

describe('a gateway without a Price List source', () => {
  test('says refreshing is not configured', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await database!.open();
    try {
      await expect(createPricingService(store).refreshFromAws()).rejects.toMatchObject({ code: 'not_supported' });
    } finally {
      await store.close();
      await database!.drop();
    }
  });
});
