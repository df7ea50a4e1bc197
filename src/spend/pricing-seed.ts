/**
 * The shipped price table: published Claude prices (Anthropic pricing docs 2026-10-08, AWS Price
 * List 2026-09-29, LiteLLM and Portkey tables), copied as integer micro-dollars per million
 * tokens. Every figure is explicit: cache multipliers and the Bedrock regional premium differ
 * between models, so nothing here is derived. A figure no source gives is null, which bills
 * those tokens 0 and flags the request `partial_price` until an admin sets a price.
 *
 * Rows are keyed by what a request names: the Anthropic id for the Anthropic API, and for
 * Bedrock the id actually invoked — `global.anthropic.<model>` at global prices, the geo profiles
 * (`us.`, `eu.`, `apac.`, `jp.`, `au.`) and the in-region base id (`anthropic.<model>`) at
 * regional prices. Models without any published price (claude-mythos-5-2) are left out so they
 * stay unknown and flagged.
 */
import type { PricingTable } from '../store/schema.js';

export type SeedRow = Omit<PricingTable, 'source' | 'updated_at'>;

/** Input, output, cache read, 5-minute cache write, 1-hour cache write. */
type Prices = readonly [number | null, number | null, number | null, number | null, number | null];

interface PriceSet {
  prices: Prices;
  tier?: { threshold: number; prices: Prices };
  note?: string;
}

interface SeedModel {
  model: string;
  api?: PriceSet;
  /** `global.anthropic.<model>`. */
  global?: PriceSet;
  /** Every geo profile in `geos` plus, via '', the in-region `anthropic.<model>`. */
  regional?: PriceSet;
  geos?: readonly string[];
}

/**
 * Regional prices apply to every geo profile (AWS: "regional endpoints and geo inference
 * profiles cost 10% more than global"), so a profile AWS adds later is already priced right
 * instead of falling back to the lower Anthropic price.
 */
const ALL_GEOS = ['us', 'eu', 'apac', 'jp', 'au', ''] as const;
const US_ONLY = ['us', ''] as const;
const IN_REGION_ONLY = [''] as const;
const NOT_FOUND: Prices = [null, null, null, null, null];

const FABLE_5_1: Prices = [10_000_000, 50_000_000, 250_000, 12_500_000, 20_000_000];
const FABLE_5: Prices = [10_000_000, 50_000_000, 1_000_000, 12_500_000, 20_000_000];
const OPUS_5: Prices = [5_000_000, 25_000_000, 500_000, 6_250_000, 10_000_000];
const OPUS_5_REGIONAL: Prices = [5_500_000, 27_500_000, 550_000, 6_875_000, 11_000_000];
const SONNET_4: Prices = [3_000_000, 15_000_000, 300_000, 3_750_000, 6_000_000];
const SONNET_4_REGIONAL: Prices = [3_300_000, 16_500_000, 330_000, 4_125_000, 6_600_000];
const OPUS_4: Prices = [15_000_000, 75_000_000, 1_500_000, 18_750_000, 30_000_000];
const PRE_CUT = 'AWS 2026-09-29, before the 2026-10-07 cache-read cut (post-cut Bedrock price not found); 1-hour write not found';
const NO_SONNET_TIER = 'Historical >200k tier ($6 / $22.50) not seeded: removed from the pricing page 2026-03-31';
const ONE_BEDROCK_PRICE = 'Pre-4.5 model: one Bedrock price; 1-hour write not found';

// claude-sonnet-4-5 and claude-sonnet-4 once billed $6 / $22.50 above 200k input tokens. The
// facts mark that tier historical only (the 1M beta and its premium left the pricing page on
// 2026-03-31) and give no cache prices for it, so no tier is seeded: current requests bill at
// standard prices, and a cache tier would have to be derived, which we never do.
const SEED_MODELS: readonly SeedModel[] = [
  {
    model: 'claude-fable-5-2',
    api: { prices: [8_000_000, 40_000_000, 200_000, 10_000_000, 16_000_000], note: 'Third-party sources only (rightsize v0.10.2, laozhang.ai); not seen on an Anthropic page' },
  },
  {
    model: 'claude-fable-5-1',
    api: { prices: FABLE_5_1 },
    global: { prices: FABLE_5_1 },
    regional: { prices: [11_000_000, 55_000_000, 275_000, 13_750_000, 22_000_000], note: 'In-region endpoint in us-east-1 only' },
  },
  {
    model: 'claude-fable-5',
    api: { prices: FABLE_5 },
    global: { prices: FABLE_5 },
    regional: { prices: [11_000_000, 55_000_000, 1_100_000, 13_750_000, 22_000_000] },
  },
  {
    model: 'claude-mythos-5-1',
    api: { prices: FABLE_5_1, note: 'Limited availability' },
    // The Bedrock id exists but no price was published: a null row flags these requests instead
    // of letting them fall back to the Anthropic price.
    regional: { prices: NOT_FOUND, note: 'Invitation only; Bedrock price not found' },
    geos: IN_REGION_ONLY,
  },
  {
    model: 'claude-mythos-5',
    api: { prices: FABLE_5 },
    regional: { prices: NOT_FOUND, note: 'Invitation only; Bedrock price not found' },
    geos: IN_REGION_ONLY,
  },
  {
    model: 'claude-mythos-preview',
    api: {
      prices: [25_000_000, 125_000_000, null, null, null],
      note: 'Input/output from secondary write-ups of the Glasswing announcement, not the pricing page; cache prices not found',
    },
    regional: { prices: [27_500_000, 137_500_000, 2_750_000, 34_375_000, 55_000_000], note: 'In-region us-east-1 only' },
    geos: IN_REGION_ONLY,
  },
  {
    model: 'claude-opus-5-5',
    api: { prices: [4_000_000, 20_000_000, 200_000, 5_000_000, 8_000_000] },
    global: { prices: [4_000_000, 20_000_000, 200_000, 5_000_000, 8_000_000] },
    regional: { prices: [4_400_000, 22_000_000, 220_000, 5_500_000, 8_800_000] },
  },
  { model: 'claude-opus-5', api: { prices: OPUS_5 }, global: { prices: OPUS_5 }, regional: { prices: OPUS_5_REGIONAL } },
  { model: 'claude-opus-4-8', api: { prices: OPUS_5 }, global: { prices: OPUS_5 }, regional: { prices: OPUS_5_REGIONAL } },
  { model: 'claude-opus-4-7', api: { prices: OPUS_5 }, global: { prices: OPUS_5 }, regional: { prices: OPUS_5_REGIONAL } },
  { model: 'claude-opus-4-6', api: { prices: OPUS_5 }, global: { prices: OPUS_5 }, regional: { prices: OPUS_5_REGIONAL } },
  {
    model: 'claude-opus-4-5',
    api: { prices: OPUS_5 },
    global: { prices: OPUS_5 },
    regional: { prices: [5_500_000, 27_500_000, 550_000, 6_875_000, null], note: 'Bedrock regional 1-hour cache write price not found' },
  },
  {
    model: 'claude-sonnet-5-5',
    api: { prices: [2_000_000, 10_000_000, 100_000, 2_500_000, 4_000_000], note: 'Cache read cut from $0.20 to $0.10 on 2026-10-07' },
    // AWS figures as read on 2026-09-29, before Anthropic's cache-read cut; whether Bedrock
    // followed is not known, so the last published AWS figure stands until a refresh or an admin.
    global: { prices: [2_000_000, 10_000_000, 200_000, 2_500_000, null], note: PRE_CUT },
    regional: { prices: [2_200_000, 11_000_000, 220_000, 2_750_000, null], note: PRE_CUT },
  },
  {
    model: 'claude-sonnet-5',
    api: { prices: [2_000_000, 10_000_000, 200_000, 2_500_000, 4_000_000] },
    global: { prices: [2_000_000, 10_000_000, 200_000, 2_500_000, 4_000_000] },
    regional: { prices: [2_200_000, 11_000_000, 220_000, 2_750_000, 4_400_000] },
  },
  { model: 'claude-sonnet-4-6', api: { prices: SONNET_4 }, global: { prices: SONNET_4 }, regional: { prices: SONNET_4_REGIONAL } },
  { model: 'claude-sonnet-4-5', api: { prices: SONNET_4, note: NO_SONNET_TIER }, global: { prices: SONNET_4 }, regional: { prices: SONNET_4_REGIONAL } },
  {
    model: 'claude-haiku-5-5',
    api: {
      prices: [100_000, 500_000, 10_000, 125_000, 200_000],
      tier: { threshold: 100_000, prices: [500_000, 2_500_000, 50_000, 625_000, 1_000_000] },
      note: 'Prompt over 100k tokens: every token of the request at the higher tier',
    },
    global: { prices: NOT_FOUND, note: 'Bedrock global price not found' },
    regional: {
      prices: [110_000, 550_000, null, 137_500, null],
      tier: { threshold: 100_000, prices: [null, null, null, 687_500, null] },
      note: 'Low confidence: US figures from a third-party test file only; other figures not found',
    },
    geos: US_ONLY,
  },
  {
    model: 'claude-haiku-4-5',
    api: { prices: [1_000_000, 5_000_000, 100_000, 1_250_000, 2_000_000] },
    global: { prices: [1_000_000, 5_000_000, 100_000, 1_250_000, 2_000_000] },
    regional: { prices: [1_100_000, 5_500_000, 110_000, 1_375_000, null], note: 'Bedrock regional 1-hour cache write price not found' },
  },
  {
    model: 'claude-opus-4-1',
    api: { prices: OPUS_4, note: 'Retired except on Bedrock and Google Cloud' },
    regional: { prices: [15_000_000, 75_000_000, 1_500_000, 18_750_000, null], note: `${ONE_BEDROCK_PRICE}; us. profile only` },
    geos: US_ONLY,
  },
  { model: 'claude-opus-4', api: { prices: OPUS_4, note: 'Retired except on Google Cloud; retired on Bedrock' } },
  {
    model: 'claude-sonnet-4',
    api: { prices: SONNET_4, note: NO_SONNET_TIER },
    global: { prices: [3_000_000, 15_000_000, 300_000, 3_750_000, null], note: ONE_BEDROCK_PRICE },
    regional: { prices: [3_000_000, 15_000_000, 300_000, 3_750_000, null], note: ONE_BEDROCK_PRICE },
  },
  { model: 'claude-3-7-sonnet', api: { prices: SONNET_4, note: 'Retired on the Claude API 2026-02-19 and on Bedrock; last listed price' } },
  {
    model: 'claude-3-5-haiku',
    api: { prices: [800_000, 4_000_000, 80_000, 1_000_000, 1_600_000] },
    regional: { prices: [800_000, 4_000_000, 80_000, 1_000_000, null], note: `${ONE_BEDROCK_PRICE}; us. profile only` },
    geos: US_ONLY,
  },
];

function row(model_prefix: string, { prices, tier, note }: PriceSet): SeedRow {
  const [input, output, cache_read, cache_write_5m, cache_write_1h] = prices;
  const [tier_input, tier_output, tier_cache_read, tier_cache_write_5m, tier_cache_write_1h] = tier?.prices ?? NOT_FOUND;
  const tier_threshold = tier?.threshold ?? null;
  return {
    model_prefix, input, output, cache_read, cache_write_5m, cache_write_1h,
    tier_threshold, tier_input, tier_output, tier_cache_read, tier_cache_write_5m, tier_cache_write_1h,
    note: note ?? null,
  };
}

function rowsOf(model: SeedModel): SeedRow[] {
  const rows: SeedRow[] = [];
  if (model.api) rows.push(row(model.model, model.api));
  if (model.global) rows.push(row(`global.anthropic.${model.model}`, model.global));
  if (model.regional) {
    for (const geo of model.geos ?? ALL_GEOS) {
      rows.push(row(`${geo === '' ? '' : `${geo}.`}anthropic.${model.model}`, model.regional));
    }
  }
  return rows;
}

export const SEED_PRICING: readonly SeedRow[] = SEED_MODELS.flatMap(rowsOf);
