/**
 * The router: which endpoints may serve a request, in failover order, and the record of how each
 * call to an endpoint went, which is what its health (cooldowns, probes, headroom) learns from.
 * Everything here answers from memory: routing runs on every request.
 */
import type { Principal } from '../identity/authenticator.js';
import type { ModelInfo } from '../upstreams/types.js';
import type { LiveEndpoint } from './endpoint-pool.js';

/** Why a call was retried on another endpoint (the `reason` label of `ccag.failovers.total`). */
export type FailoverReason = 'throttled' | 'overloaded' | 'unreachable' | 'server_error';

/**
 * One call to one endpoint, from dispatch to the end of the relay. The first report wins; later
 * ones are ignored, so every path can report without tracking what was said before.
 */
export interface EndpointAttempt {
  /** The endpoint answered and the answer was relayed; its headers carry rate-limit state. */
  succeeded(headers: Readonly<Record<string, string>>): void;
  /** Throttled or overloaded (429, 529/503, a throttling stream frame): cools the endpoint down. */
  throttled(headers: Readonly<Record<string, string>>, reason: 'throttled' | 'overloaded'): void;
  /** Unreachable or failing (5xx): counts toward making it unhealthy. */
  failed(reason: FailoverReason): void;
  /** The call ended for reasons that say nothing about the endpoint (client gone, bad request). */
  abandoned(): void;
}

export interface RoutedEndpoint extends LiveEndpoint {
  /** Starts a call (counted in flight until its attempt is reported). */
  begin(): EndpointAttempt;
}

export interface Router {
  /**
   * The endpoints that may serve `model` for this caller, in failover order (the first is the
   * strategy's choice; never empty). Rejects with ApiError when none can, naming the model and
   * the team. Answered from memory; only the refusal may read (the team's name).
   */
  candidates(principal: Principal, model: string): Promise<readonly RoutedEndpoint[]>;
  /** A call moved from one endpoint to the next before any byte reached the client. */
  failedOver(from: RoutedEndpoint, to: RoutedEndpoint, reason: FailoverReason): void;
  /** The models the caller's route can use (GET /v1/models, Bedrock-format inference profiles). */
  models(principal: Principal, signal: AbortSignal): Promise<ModelInfo[]>;
}
