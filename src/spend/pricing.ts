/**
 * Price lookup and cost arithmetic: pure, no I/O. Prices are integer micro-dollars per million
 * tokens, costs integer micro-dollars, so a cost is exact and the same on every replica.
 */
import type { PricingTable } from '../store/schema.js';

export type PricingStatus = 'priced' | 'unknown_model' | 'partial_price';

/** The price columns of a `pricing` row. */
export type PriceColumns = Omit<PricingTable, 'source' | 'note' | 'updated_at'>;

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  /** Web searches the request ran (the gateway's or Anthropic's own), each at the per-search price. */
  webSearches?: number;
}

export interface CostResult {
  costMicros: number;
  pricingStatus: PricingStatus;
}

/** Prices in token-class order: input, output, cache read, 5-minute write, 1-hour write. */
type PriceVector = readonly [number | null, number | null, number | null, number | null, number | null];

interface CompiledPrice {
  readonly base: PriceVector;
  readonly tierThreshold: number | null;
  readonly tier: PriceVector;
}

/**
 * What may follow a prefix for it to match: a release date, a Bedrock version (`-v1`, `-v1:0`,
 * `:0`), `-latest`, a context suffix (`[1m]`) or a Vertex-style `@date`. Anything else means
 * another model: `claude-mythos-5-2` is not `claude-mythos-5`.
 */
const BOUNDARY = /-\d{8}(?![0-9a-z])|-v\d+(?![0-9a-z])|:\d+|-latest(?![0-9a-z])|\[|@/y;
const DASH = 0x2d;
const COLON = 0x3a;
const BRACKET = 0x5b;
const AT = 0x40;

function compile(row: PriceColumns): CompiledPrice {
  return {
    base: [row.input, row.output, row.cache_read, row.cache_write_5m, row.cache_write_1h],
    tierThreshold: row.tier_threshold,
    tier: [row.tier_input, row.tier_output, row.tier_cache_read, row.tier_cache_write_5m, row.tier_cache_write_1h],
  };
}

/** Longest-prefix lookup with the boundary rule, by hashing only the few candidate prefixes. */
export class PriceIndex {
  private readonly byPrefix = new Map<string, CompiledPrice>();

  constructor(rows: Iterable<PriceColumns>) {
    for (const row of rows) this.byPrefix.set(row.model_prefix, compile(row));
  }

  lookup(modelId: string): CompiledPrice | undefined {
    // ARNs of inference profiles and foundation models end in the model or profile id.
    const id = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
    const exact = this.byPrefix.get(id);
    if (exact) return exact;
    // Walk back from the end so the first hit is the longest matching prefix.
    for (let i = id.length - 1; i > 0; i--) {
      const c = id.charCodeAt(i);
      if (c !== DASH && c !== COLON && c !== BRACKET && c !== AT) continue;
      BOUNDARY.lastIndex = i;
      if (!BOUNDARY.test(id)) continue;
      const hit = this.byPrefix.get(id.slice(0, i));
      if (hit) return hit;
    }
    return undefined;
  }
}

const MILLION = 1_000_000;
const HALF = MILLION / 2;

/**
 * Cost of a request: round_half_up(Σ tokens × price / 10^6) in integer arithmetic, plus each web
 * search at `searchPriceMicros` (searches cost the same whatever the model, known or not). Every
 * token of a request whose prompt (input + cache reads + cache writes) exceeds the tier threshold
 * is priced at the tier. A token class with tokens but no price costs 0 and flags the result.
 */
export function costOf(price: CompiledPrice | undefined, usage: TokenUsage, searchPriceMicros = 0): CostResult {
  const searches = (usage.webSearches ?? 0) * searchPriceMicros;
  if (!price) return { costMicros: searches, pricingStatus: 'unknown_model' };
  const counts = [usage.inputTokens, usage.outputTokens, usage.cacheReadTokens, usage.cacheWrite5mTokens, usage.cacheWrite1hTokens];
  const prompt = counts[0]! + counts[2]! + counts[3]! + counts[4]!;
  const prices = price.tierThreshold !== null && prompt > price.tierThreshold ? price.tier : price.base;
  let partial = false;
  let sum = 0;
  for (let i = 0; i < 5; i++) {
    const count = counts[i]!;
    if (count === 0) continue;
    const unit = prices[i];
    if (unit === null || unit === undefined) partial = true;
    else sum += count * unit;
  }
  return { costMicros: roundMillionths(sum, counts, prices) + searches, pricingStatus: partial ? 'partial_price' : 'priced' };
}

/**
 * While the float sum stays within 2^53 every product and partial sum was exact, and `%` on
 * exact integers is exact; beyond that (absurd counts or prices) the sum is redone in BigInt.
 */
function roundMillionths(sum: number, counts: readonly number[], prices: PriceVector): number {
  const shifted = sum + HALF;
  if (shifted <= Number.MAX_SAFE_INTEGER) return (shifted - (shifted % MILLION)) / MILLION;
  let big = 0n;
  for (let i = 0; i < 5; i++) {
    const unit = prices[i];
    if (unit !== null && unit !== undefined) big += BigInt(Math.trunc(counts[i]!)) * BigInt(unit);
  }
  return Number((big + BigInt(HALF)) / BigInt(MILLION));
}
