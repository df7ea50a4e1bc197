/**
 * The most a request can cost before it is sent, which is what a budget reserves. Input tokens
 * are estimated generously from the body size (one token per 3 bytes; real prompts average about
 * 4) and priced as the dearest input class (a 1-hour cache write), so the estimate stays an upper
 * bound whatever the prompt caching does; output is `max_tokens` at the output price.
 */
import type { PricingService } from '../spend/pricing.service.js';
import type { MessagesBody } from '../upstreams/types.js';

const BYTES_PER_TOKEN = 3;
/** When a request names no max_tokens (the upstream will refuse it), reserve as if it asked for this. */
const DEFAULT_MAX_TOKENS = 4096;

export function estimateInputTokens(bodyBytes: number): number {
  return Math.ceil(bodyBytes / BYTES_PER_TOKEN);
}

/** The output tokens the worst case prices: the request's max_tokens, else the default above. */
export function maxTokensOf(body: MessagesBody): number {
  return typeof body.max_tokens === 'number' && body.max_tokens > 0 ? body.max_tokens : DEFAULT_MAX_TOKENS;
}

export function worstCaseMicros(pricing: Pick<PricingService, 'costFor'>, model: string, body: MessagesBody, bodyBytes: number): number {
  const maxTokens = maxTokensOf(body);
  const input = estimateInputTokens(bodyBytes);
  const cost = (plain: number, cacheWrite: number) =>
    pricing.costFor(null, model, { inputTokens: plain, outputTokens: maxTokens, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: cacheWrite }).costMicros;
  // Both ways, because a price row may lack a cache-write price (which would then count as free).
  return Math.max(cost(input, 0), cost(0, input));
}
