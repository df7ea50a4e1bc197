/**
 * Stage 3, admit: rate limits, then the budget reservation, before any endpoint is chosen, so a
 * refused request costs no routing work and never reaches an upstream. The admission holds what
 * it took until settlement gives it back or settles it.
 */
import type { Principal } from '../../identity/authenticator.js';
import type { Admission, Gate } from '../../limits/governor.js';
import { estimateInputTokens, maxTokensOf, worstCaseMicros } from '../../limits/worst-case.js';
import type { PricingService } from '../../spend/pricing.service.js';
import type { ClientCall } from './client-format.js';

export function admit(governor: Gate, pricing: Pick<PricingService, 'costFor'>, principal: Principal, call: ClientCall, now: number): Promise<Admission> {
  return governor.admit({
    principal,
    model: call.model,
    worstCaseMicros: () => worstCaseMicros(pricing, call.model, call.body, call.raw.length),
    maxTokens: maxTokensOf(call.body),
    estimatedInputTokens: estimateInputTokens(call.raw.length),
    now,
  });
}
