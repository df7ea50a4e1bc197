/**
 * The gate every proxied request passes before it is forwarded: rate limits, then budgets. Each
 * gate admits (holding what it must: a concurrency slot, a budget reservation) or refuses with a
 * 429; the governor runs them in order and, when a later one refuses, gives back what the
 * earlier ones hold. The admission carries the response headers the gates want the client to
 * see, and is settled with the request's real cost and tokens, or released if nothing was served.
 */
import type { Principal } from '../identity/authenticator.js';

export interface AdmissionRequest {
  readonly principal: Principal;
  /** The model the client asked for. */
  readonly model: string;
  /**
   * The most the request can cost, in micro-dollars: input (estimated) plus `max_tokens` of output.
   * A function, because only a caller with a budget needs it: the others pay nothing for pricing.
   */
  worstCaseMicros(): number;
  /** The max_tokens the worst case prices, for a strict budget's refusal to name it. */
  readonly maxTokens?: number;
  /** Input tokens estimated from the body (for tokens-per-minute limits before the answer is known). */
  readonly estimatedInputTokens: number;
  readonly now: number;
}

export interface SettledUsage {
  readonly costMicros: number;
  /** Input plus output tokens, as billed. */
  readonly tokens: number;
}

export interface Admission {
  /** Headers for the client's response (rate-limit, budget and usage-limit headers). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * True when the caller has a spending cap: the upstream's own `anthropic-ratelimit-*` headers
   * are then dropped so Claude Code reads only ours (spec §13).
   */
  readonly capped: boolean;
  /** The request ended (served, failed upstream, or aborted): account for what it really used. */
  settle(usage: SettledUsage): void;
  /** Nothing was served (refused before forwarding, upstream unreachable): give everything back. */
  release(): void;
}

/** One gate; refusing is throwing an ApiError (429 `rate_limit_error` or `billing_error`). */
export interface Gate {
  admit(request: AdmissionRequest): Promise<Admission>;
}

export const OPEN_ADMISSION: Admission = { headers: {}, capped: false, settle() {}, release() {} };

export function createGovernor(gates: readonly Gate[]): Gate {
  return {
    async admit(request) {
      const held: Admission[] = [];
      try {
        for (const gate of gates) held.push(await gate.admit(request));
      } catch (error) {
        for (const admission of held) admission.release();
        throw error;
      }
      if (held.length === 0) return OPEN_ADMISSION;
      if (held.length === 1) return held[0]!;
      return {
        headers: Object.assign({}, ...held.map((admission) => admission.headers)) as Record<string, string>,
        capped: held.some((admission) => admission.capped),
        settle: (usage) => held.forEach((admission) => admission.settle(usage)),
        release: () => held.forEach((admission) => admission.release()),
      };
    },
  };
}
