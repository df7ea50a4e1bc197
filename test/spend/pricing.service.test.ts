/** The pricing service on both databases: seeding, admin overrides and the in-memory index. */
import { sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { SEED_PRICING } from '../../src/spend/pricing-seed.js';
import { createPricingService } from '../../src/spend/pricing.service.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const MTOK = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };

describe.each(databaseKinds)('pricing service (%s)', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store | undefined;

  afterEach(async () => {
    await store?.close();
    await database?.drop();
    store = undefined;
  });

  async function open(): Promise<Store | undefined> {
    database = await createTestDatabase(kind);
    store = await database?.open();
    return store;
  }

  const row = (prefix: string) => store!.db.selectFrom('pricing').selectAll().where('model_prefix', '=', prefix).executeTakeFirstOrThrow();

  test('seed inserts every row once and prices from memory', async (ctx) => {
    if (!(await open())) return ctx.skip();
    const pricing = createPricingService(store!);
    await pricing.seed();
    await pricing.seed();
    const rows = await store!.db.selectFrom('pricing').select(['model_prefix', 'source']).execute();
    expect(rows).toHaveLength(SEED_PRICING.length);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['seed']));
    expect(pricing.costFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5', MTOK)).toEqual({ costMicros: 3_300_000, pricingStatus: 'priced' });
    // An application inference profile names no model: the client's model name prices it.
    expect(pricing.costFor('arn:aws:bedrock:us-east-1:1:application-inference-profile/abc', 'claude-sonnet-4-5', MTOK).costMicros).toBe(3_000_000);
    expect(pricing.costFor(null, 'claude-mythos-5-2', MTOK)).toEqual({ costMicros: 0, pricingStatus: 'unknown_model' });
  });

  test('seed never overwrites manual or aws rows, refreshes stale seed rows and retires dropped ones', async (ctx) => {
    if (!(await open())) return ctx.skip();
    const pricing = createPricingService(store!);
    await pricing.seed();
    const manual = await pricing.set('claude-sonnet-4-5', { input: 0.275, output: 1.5, cache_read: 34.375 }, 'negotiated');
    await store!.db.updateTable('pricing').set({ source: 'aws', input: 3_100_000 }).where('model_prefix', '=', 'global.anthropic.claude-opus-5').execute();
    await store!.db.updateTable('pricing').set({ input: 1, updated_at: 5 }).where('model_prefix', '=', 'claude-opus-5').execute();
    await store!.db.insertInto('pricing').values({ ...SEED_PRICING[0]!, model_prefix: 'claude-withdrawn', source: 'seed', updated_at: 5 }).execute();
    await store!.db.insertInto('pricing').values({ ...SEED_PRICING[0]!, model_prefix: 'my-own-model', source: 'manual', updated_at: 5 }).execute();

    await pricing.seed();

    const kept = await row('claude-sonnet-4-5');
    expect(kept).toMatchObject({ source: 'manual', input: 275_000, output: 1_500_000, cache_read: 34_375_000, cache_write_5m: null, note: 'negotiated', updated_at: manual.updated_at });
    expect(await row('global.anthropic.claude-opus-5')).toMatchObject({ source: 'aws', input: 3_100_000 });
    const refreshed = await row('claude-opus-5');
    expect(refreshed).toMatchObject({ source: 'seed', input: 5_000_000 });
    expect(refreshed.updated_at).toBeGreaterThan(5);
    expect(await store!.db.selectFrom('pricing').select('model_prefix').where('model_prefix', '=', 'claude-withdrawn').execute()).toEqual([]);
    expect(await row('my-own-model')).toMatchObject({ source: 'manual' });
    expect(pricing.costFor('claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', MTOK).costMicros).toBe(275_000);
  });

  test('list shows dollars per MTok converted exactly; set and remove refresh the index', async (ctx) => {
    if (!(await open())) return ctx.skip();
    const pricing = createPricingService(store!);
    await pricing.seed();
    const listed = new Map((await pricing.list()).map((view) => [view.model_prefix, view]));
    expect(listed.get('us.anthropic.claude-fable-5-1')).toMatchObject({ input: 11, output: 55, cache_read: 0.275, cache_write_5m: 13.75, cache_write_1h: 22, source: 'seed' });
    expect(listed.get('claude-haiku-5-5')).toMatchObject({ input: 0.1, cache_read: 0.01, tier_threshold: 100_000, tier_cache_write_5m: 0.625, tier_cache_write_1h: 1 });
    expect(listed.get('anthropic.claude-mythos-preview')).toMatchObject({ cache_write_5m: 34.375 });

    const view = await pricing.set('claude-new-1', { input: 1.1, output: 0.000001, tier_threshold: 100, tier_input: 2 }, 'trial');
    expect(view).toMatchObject({ model_prefix: 'claude-new-1', input: 1.1, output: 0.000001, cache_read: null, tier_threshold: 100, tier_input: 2, source: 'manual', note: 'trial' });
    expect(await row('claude-new-1')).toMatchObject({ input: 1_100_000, output: 1, tier_input: 2_000_000 });
    // 11 × 1.1 = 12.1 → 12 below the tier; a million tokens is above it, at $2.
    expect(pricing.costFor(undefined, 'claude-new-1-20270101', { ...MTOK, inputTokens: 11 })).toEqual({ costMicros: 12, pricingStatus: 'priced' });
    expect(pricing.costFor(undefined, 'claude-new-1', MTOK)).toEqual({ costMicros: 2_000_000, pricingStatus: 'priced' });

    expect(await pricing.remove('claude-new-1')).toBe(true);
    expect(await pricing.remove('claude-new-1')).toBe(false);
    expect(pricing.costFor(undefined, 'claude-new-1', MTOK).pricingStatus).toBe('unknown_model');
  });

  test('set refuses prices it cannot store exactly', async (ctx) => {
    if (!(await open())) return ctx.skip();
    const pricing = createPricingService(store!);
    await expect(pricing.set('claude-x', { input: 0.1234567 })).rejects.toThrow(ApiError);
    await expect(pricing.set('claude-x', { input: -1 })).rejects.toThrow(/input/);
    await expect(pricing.set('claude-x', { input: 1, tier_threshold: 1.5 })).rejects.toThrow(/tier_threshold/);
    await expect(pricing.set('claude x', { input: 1 })).rejects.toThrow(/prefix/);
    const { count } = await store!.db.selectFrom('pricing').select(sql<number>`count(*)`.as('count')).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
  });
});
