/**
 * GetProducts' PriceList documents → pricing rows. Pure: no I/O, golden fixtures in
 * test/spend/aws-price-list/.
 *
 * Each document is one product (one SKU) with one price, as the API returns it (a JSON string):
 *   { serviceCode, product: { attributes: { servicename | model, usagetype, regionCode, … } },
 *     terms: { OnDemand: { <term>: { priceDimensions: { <rate>: { unit, description,
 *     beginRange, pricePerUnit: { USD } } } } } } }
 * Prices are collected per model (Anthropic id), scope (regional or global) and token class.
 * Where both offers price a model, the Marketplace offer wins: it is where AWS keeps current
 * Claude models and the only one with 1-hour cache writes.
 */
import type { PricingTable } from '../../store/schema.js';
import { claudeModelOf } from './model-names.js';
import { tokensPerUnit, microsPerMTok } from './unit-price.js';
import { legacyPriceKind, marketplacePriceKind, type PriceKind, type PriceScope, type TokenClass } from './usage-types.js';

export const MARKETPLACE_SERVICE_CODE = 'AmazonBedrockFoundationModels';
export const LEGACY_SERVICE_CODE = 'AmazonBedrock';

interface PriceDimension {
  unit?: string;
  description?: string;
  beginRange?: string;
  pricePerUnit?: { USD?: string };
}

interface PriceListDocument {
  serviceCode?: string;
  product?: { attributes?: Record<string, string | undefined> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, PriceDimension> }> };
}

/** Micro-dollars per million tokens by token class; null where AWS lists no price. */
export type ScopePrices = Readonly<Record<TokenClass, number | null>>;

export interface ParsedPriceList {
  /** Anthropic model id (`claude-sonnet-4-5`) → its regional and global prices. */
  models: Map<string, Partial<Record<PriceScope, ScopePrices>>>;
  /** Products read but not used: other models, batch or flex rates, units we cannot read. */
  ignored: number;
}

export type AwsPriceRow = Pick<PricingTable, 'model_prefix' | 'input' | 'output' | 'cache_read' | 'cache_write_5m' | 'cache_write_1h' | 'note'>;

const TOKEN_CLASSES: readonly TokenClass[] = ['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h'];

/**
 * Geo inference profiles bill at the regional price, like the in-region model id; the seed
 * follows the same rule, so a profile AWS adds later is already priced right.
 */
const GEO_PREFIXES = ['us', 'eu', 'apac', 'jp', 'au'] as const;

type Offer = 'marketplace' | 'legacy';
type Collected = Map<string, Partial<Record<TokenClass, number>>>;

interface Priced {
  offer: Offer;
  model: string;
  kind: PriceKind;
  micros: number;
}

/** The lowest first-tier on-demand price of a product, when its unit is readable. */
function onDemandMicros(document: PriceListDocument): number | undefined {
  let lowest: number | undefined;
  for (const term of Object.values(document.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      if (dimension.beginRange !== undefined && dimension.beginRange !== '0') continue;
      const perTokens = tokensPerUnit(dimension.unit, dimension.description);
      const micros = perTokens === undefined ? undefined : microsPerMTok(dimension.pricePerUnit?.USD, perTokens);
      if (micros !== undefined && (lowest === undefined || micros < lowest)) lowest = micros;
    }
  }
  return lowest;
}

function readProduct(document: PriceListDocument, region: string): Priced | undefined {
  const attributes = document.product?.attributes ?? {};
  if (attributes.regionCode !== undefined && attributes.regionCode !== region) return undefined;
  const serviceCode = document.serviceCode ?? attributes.servicecode;
  let offer: Offer;
  let model: string | undefined;
  let kind: PriceKind | undefined;
  if (serviceCode === MARKETPLACE_SERVICE_CODE) {
    offer = 'marketplace';
    model = claudeModelOf(attributes.servicename);
    kind = marketplacePriceKind(attributes.usagetype);
  } else if (serviceCode === LEGACY_SERVICE_CODE && attributes.provider === 'Anthropic') {
    offer = 'legacy';
    model = claudeModelOf(attributes.model);
    kind = legacyPriceKind(attributes);
  } else {
    return undefined;
  }
  if (!model || !kind) return undefined;
  const micros = onDemandMicros(document);
  return micros === undefined ? undefined : { offer, model, kind, micros };
}

function parseDocument(text: string): PriceListDocument | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as PriceListDocument) : undefined;
  } catch {
    return undefined;
  }
}

/** A scope is usable with both an input and an output price; a lone cache price is not a price list. */
function complete(prices: Partial<Record<TokenClass, number>> | undefined): ScopePrices | undefined {
  if (prices?.input === undefined || prices.output === undefined || prices.input === 0) return undefined;
  return Object.fromEntries(TOKEN_CLASSES.map((tokenClass) => [tokenClass, prices[tokenClass] ?? null])) as unknown as ScopePrices;
}

/** Reads the documents of one region's prices; documents of other regions are ignored. */
export function parsePriceList(documents: Iterable<string>, region: string): ParsedPriceList {
  const collected: Record<Offer, Collected> = { marketplace: new Map(), legacy: new Map() };
  let ignored = 0;
  for (const text of documents) {
    const document = parseDocument(text);
    const priced = document && readProduct(document, region);
    if (!priced) {
      ignored++;
      continue;
    }
    const key = `${priced.model}\n${priced.kind.scope}`;
    const prices = collected[priced.offer].get(key) ?? {};
    const current = prices[priced.kind.tokenClass];
    // Duplicate SKUs for one price keep the lowest, so the answer does not depend on their order.
    if (current === undefined || priced.micros < current) prices[priced.kind.tokenClass] = priced.micros;
    collected[priced.offer].set(key, prices);
  }

  const models: ParsedPriceList['models'] = new Map();
  for (const key of new Set([...collected.marketplace.keys(), ...collected.legacy.keys()])) {
    const prices = complete(collected.marketplace.get(key)) ?? complete(collected.legacy.get(key));
    if (!prices) continue;
    const [model, scope] = key.split('\n') as [string, PriceScope];
    models.set(model, { ...models.get(model), [scope]: prices });
  }
  return { models, ignored };
}

/** The rows the gateway prices Bedrock requests by: in-region and geo ids regional, `global.` global. */
export function awsPriceRows(parsed: ParsedPriceList, region: string): AwsPriceRow[] {
  const rows: AwsPriceRow[] = [];
  const row = (model_prefix: string, prices: ScopePrices, scope: PriceScope): AwsPriceRow => ({ model_prefix, ...prices, note: `AWS Price List, ${region} ${scope} price` });
  for (const [model, scopes] of parsed.models) {
    if (scopes.regional) {
      rows.push(row(`anthropic.${model}`, scopes.regional, 'regional'));
      for (const geo of GEO_PREFIXES) rows.push(row(`${geo}.anthropic.${model}`, scopes.regional, 'regional'));
    }
    if (scopes.global) rows.push(row(`global.anthropic.${model}`, scopes.global, 'global'));
  }
  return rows.sort((a, b) => (a.model_prefix < b.model_prefix ? -1 : a.model_prefix > b.model_prefix ? 1 : 0));
}
