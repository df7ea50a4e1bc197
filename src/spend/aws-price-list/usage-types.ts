/**
 * Which price a Price List product is: its token class and whether it is the regional or the
 * global (cross-region) rate. Pure. Anything else — batch, flex, priority, long context,
 * provisioned throughput, images, search units, an unknown cache TTL — is not a price the gateway
 * bills by and yields undefined, never a guess.
 *
 * The Marketplace offer (`AmazonBedrockFoundationModels`, where current Claude models are) names
 * the class only in `usagetype`, in two spellings that are both live (AWS is migrating):
 *   USE1-MP:USE1_InputTokenCount-Units                 USE1-MP:USE1_input_tokens_standard-Units
 *   USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units
 *                                                      USE1-MP:USE1_cache_write_tokens_1h_global_standard-Units
 * The older `AmazonBedrock` offer (legacy Claude) says it in `inferenceType` ("Input tokens").
 */

export type TokenClass = 'input' | 'output' | 'cache_read' | 'cache_write_5m' | 'cache_write_1h';
export type PriceScope = 'regional' | 'global';

export interface PriceKind {
  tokenClass: TokenClass;
  scope: PriceScope;
}

const CAMEL_CLASSES: Record<string, TokenClass> = {
  InputTokenCount: 'input',
  OutputTokenCount: 'output',
  CacheReadInputTokenCount: 'cache_read',
  CacheWriteInputTokenCount: 'cache_write_5m',
  CacheWrite1hInputTokenCount: 'cache_write_1h',
};
// Whole-string matches: `CacheWrite1hInputTokenCount` ends in `InputTokenCount`, so a suffix
// match would bill input at the 1-hour write price.
const CAMEL = /^(InputTokenCount|OutputTokenCount|CacheReadInputTokenCount|CacheWriteInputTokenCount|CacheWrite1hInputTokenCount)(_Global)?$/;
const SNAKE = /^(input|output|cache_read|cache_write)_tokens(?:_(5m|1h))?(_global)?(?:_standard)?$/;

/** A Marketplace usagetype such as `USE1-MP:USE1_OutputTokenCount_Global-Units`. */
export function marketplacePriceKind(usagetype: string | undefined): PriceKind | undefined {
  if (!usagetype) return undefined;
  const body = usagetype.replace(/^[A-Z0-9]+-MP:[A-Z0-9]+_/, '').replace(/-Units$/, '');
  const camel = CAMEL.exec(body);
  if (camel) return { tokenClass: CAMEL_CLASSES[camel[1]!]!, scope: camel[2] ? 'global' : 'regional' };
  const snake = SNAKE.exec(body);
  if (!snake) return undefined;
  const [, base, ttl, global] = snake;
  if (base !== 'cache_write' && ttl !== undefined) return undefined;
  const tokenClass: TokenClass = base === 'cache_write' ? (ttl === '1h' ? 'cache_write_1h' : 'cache_write_5m') : (base as TokenClass);
  return { tokenClass, scope: global ? 'global' : 'regional' };
}

const LEGACY_EXCLUDED = /batch|mantle|latency|flex|priority|provisioned|custom|global|cross-region|long-context/i;

/** An `AmazonBedrock` product: on-demand, regional, classed by `inferenceType`. */
export function legacyPriceKind(attributes: Readonly<Record<string, string | undefined>>): PriceKind | undefined {
  if (attributes.feature !== undefined && attributes.feature !== 'On-demand Inference') return undefined;
  if (LEGACY_EXCLUDED.test(attributes.usagetype ?? '')) return undefined;
  const type = (attributes.inferenceType ?? '').trim().toLowerCase();
  const tokenClass: TokenClass | undefined =
    type === 'input tokens' ? 'input'
    : type === 'output tokens' ? 'output'
    : /cache read/.test(type) ? 'cache_read'
    : /cache write/.test(type) && !/1h|1-hour/.test(type) ? 'cache_write_5m'
    : undefined;
  return tokenClass ? { tokenClass, scope: 'regional' } : undefined;
}
