/** The ledger row for one served request: identity, routing, metered usage and its cost. */
import type { Principal } from '../identity/authenticator.js';
import type { SpendLedgerTable } from '../store/schema.js';
import type { MessagesBody, UpstreamReply } from '../upstreams/types.js';
import type { PricingService } from './pricing.service.js';
import { toolErrorsOf } from './tool-errors.js';
import { toolList } from './tool-names.js';
import type { MeteredUsage } from './usage-meter.js';

/** How a served request ended, as the client saw it. */
export interface ServedOutcome {
  /** The status the client got (499 when it went away first). */
  readonly status: number;
  /** Milliseconds to the first byte written to the client, or null. */
  readonly firstByteMs: number | null;
  /** The error type of a failure the gateway reported to the client. */
  readonly errorType: string | null;
}

/** Who within a Claude Code session sent the request, and its billing group (src/gateway/attribution.ts). */
export interface Attribution {
  readonly sessionId: string | null;
  /** Null for the main agent. */
  readonly agentId: string | null;
  readonly parentAgentId: string | null;
  readonly billingGroup: string | null;
}

export interface SettleInput {
  requestId: string;
  receivedAt: number;
  durationMs: number;
  principal: Principal;
  endpointId: string;
  model: string;
  streaming: boolean;
  attribution: Attribution;
  /** The client's request, for the tool results it reports as failed. */
  requestBody: MessagesBody;
  upstream: UpstreamReply | null;
  usage: MeteredUsage | null;
  outcome: ServedOutcome;
  pricing: Pick<PricingService, 'costFor'>;
}

const NO_USAGE: MeteredUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  stopReason: null,
  toolNames: [],
  webSearches: 0,
  estimated: false,
  sawUsage: false,
  errorType: null,
  errorMessage: null,
};

export function ledgerRowOf(input: SettleInput): SpendLedgerTable {
  const usage = input.usage ?? NO_USAGE;
  const upstreamModel = input.upstream?.upstreamModel || null;
  const cost = input.pricing.costFor(upstreamModel ?? input.model, input.model, usage);
  return {
    request_id: input.requestId,
    created_at: input.receivedAt,
    key_id: input.principal.keyId,
    key_prefix: input.principal.keyPrefix,
    user_id: input.principal.userId,
    team_id: input.principal.teamId,
    endpoint_id: input.endpointId,
    model: input.model,
    upstream_model: upstreamModel,
    streaming: input.streaming ? 1 : 0,
    status: input.outcome.status,
    stop_reason: usage.stopReason,
    error_type: input.outcome.errorType ?? usage.errorType,
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens,
    cache_write_5m_tokens: usage.cacheWrite5mTokens,
    cache_write_1h_tokens: usage.cacheWrite1hTokens,
    cost_micros: cost.costMicros,
    pricing_status: cost.pricingStatus,
    usage_estimated: usage.estimated ? 1 : 0,
    duration_ms: Math.round(input.durationMs),
    ttft_ms: input.outcome.firstByteMs === null ? null : Math.round(input.outcome.firstByteMs),
    session_id: input.attribution.sessionId,
    // One entry per call, so tool analytics count calls, not requests.
    tool_names: toolList(usage.toolNames),
    tool_errors: toolList(toolErrorsOf(input.requestBody)),
    web_searches: usage.webSearches,
    upstream_request_id: input.upstream?.upstreamRequestId ?? null,
    agent_id: input.attribution.agentId,
    parent_agent_id: input.attribution.parentAgentId,
    billing_group: input.attribution.billingGroup,
  };
}
