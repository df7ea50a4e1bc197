/**
 * Every instrument of spec §7 and the extras it suggests (cost, time to first token, body size,
 * spend queue depth, upstream utilization, budget outcomes, process metrics), with its exact
 * OpenTelemetry name, in one typed object. The
 * Prometheus exporter turns dots into underscores and appends `_total` to counters whose name
 * does not already end in it, so names ending in `.total` scrape as `…_total` (never
 * `_total_total`) and the others gain it (`ccag.tokens.input` → `ccag_tokens_input_total`).
 * Units go in the instrument's unit, which the exporter prints as `# UNIT` without renaming.
 */
import type { Counter, Histogram, Meter, ObservableCounter, ObservableGauge, ObservableUpDownCounter } from '@opentelemetry/api';
import { observeProcess } from './process-metrics.js';
import { DROP_REASONS, FORWARD_FAILURE_REASONS, type DropReason, type ForwardFailureReason } from './relay/outcomes.js';
import { SIGNALS, type Signal } from './relay/signals.js';
import type { UtilizationLabels } from './upstream-utilization.js';

/** Milliseconds, from a fast cache hit to a 10-minute extended-thinking stream. */
const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000];

/** Bytes, from a one-line prompt to the 32 MB the Messages API accepts. */
const BODY_BUCKETS_BYTES = [1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 8_388_608, 16_777_216, 33_554_432];

/** Where a request stood against its budgets (requests without a budget are not counted). */
export const BUDGET_OUTCOMES = ['ok', 'warning', 'shaped', 'throttled', 'blocked', 'unavailable'] as const;
export type BudgetOutcome = (typeof BUDGET_OUTCOMES)[number];

export type RequestLabels = { model: string; streaming: 'true' | 'false'; status: string };
export type ModelLabels = { model: string };

export interface Instruments {
  readonly requests: Counter<RequestLabels>;
  readonly requestDuration: Histogram<RequestLabels>;
  /** Observed from the gateway's in-flight set at each collection. */
  readonly requestsInFlight: ObservableUpDownCounter;
  readonly inputTokens: Counter<ModelLabels>;
  readonly outputTokens: Counter<ModelLabels>;
  readonly cacheReadTokens: Counter<ModelLabels>;
  readonly cacheWriteTokens: Counter<ModelLabels>;
  readonly toolCalls: Counter<{ tool: string; type: 'builtin' | 'mcp' }>;
  /** Tool results a client reported as failed (`is_error`), by tool (MCP: per server) and type. */
  readonly toolErrors: Counter<{ tool: string; type: 'builtin' | 'mcp' }>;
  readonly webSearches: Counter;
  readonly errors: Counter<{ error_type: string; endpoint_id: string }>;
  readonly bedrockThrottles: Counter<{ model: string; endpoint_id: string }>;
  readonly rateLimits: Counter;
  readonly authFailures: Counter<{ reason: string }>;
  readonly spendFlushErrors: Counter;
  readonly spendRecordsQuarantined: Counter;
  readonly cost: Counter<ModelLabels>;
  readonly timeToFirstToken: Histogram<{ model: string; streaming: 'true' | 'false' }>;
  readonly requestBodyBytes: Histogram<ModelLabels>;
  /** Observed from the ledger writer: rows buffered in memory plus rows spilled to the journal. */
  readonly spendQueueDepth: ObservableGauge;
  readonly upstreamUtilization: ObservableGauge<UtilizationLabels>;
  readonly budgetRequests: Counter<{ status: BudgetOutcome }>;
  /** Endpoint cooldowns started (throttling, repeated failures), by endpoint. */
  readonly endpointCooldowns: Counter<{ endpoint_id: string }>;
  /** 1 while an endpoint takes requests (healthy or probing), 0 while cooling or unhealthy. */
  readonly endpointHealthy: ObservableGauge<{ endpoint_id: string }>;
  /** Requests retried on another endpoint before the first byte, by why. */
  readonly failovers: Counter<{ reason: string }>;
  /** Telemetry relay (docs/telemetry-relay.md): authenticated OTLP batches, by signal. */
  readonly relayReceived: Counter<{ signal: Signal }>;
  readonly relayForwarded: Counter<{ signal: Signal }>;
  readonly relayDropped: Counter<{ signal: Signal; reason: DropReason }>;
  readonly relayForwardFailures: Counter<{ signal: Signal; reason: ForwardFailureReason }>;
  /** Observed from the relay's queue: batches waiting or being sent. */
  readonly relayQueueDepth: ObservableGauge;
  /** Notification delivery attempts (tests excluded), by destination type and outcome. */
  readonly notificationsDelivered: Counter<{ destination_type: string; status: 'delivered' | 'failed' }>;
  /** Observed from the delivery worker: outbox events waiting (retries included), as of its last tick. */
  readonly notificationsOutboxPending: ObservableGauge;
  /** Web searches run by the gateway that failed at the provider, by provider type (a fixed set). */
  readonly webSearchFailures: Counter<{ provider: string }>;
  /** Rows the retention purge deleted, by table (docs/retention.md). */
  readonly retentionDeleted: Counter<{ table: string }>;
  /** 1 while this replica receives change announcements (docs/replicas.md), 0 while it falls back to polling. */
  readonly changeBusConnected: ObservableGauge<{ transport: string }>;
  /** Change announcements this replica received, its own included. */
  readonly changeBusMessages: ObservableCounter<{ transport: string }>;
}

/** Why a request failed over (the `reason` label of `ccag.failovers.total`): a fixed set. */
export const FAILOVER_REASONS = ['throttled', 'overloaded', 'unreachable', 'server_error'] as const;

export function createInstruments(meter: Meter): Instruments {
  const latency = { unit: 'ms', advice: { explicitBucketBoundaries: LATENCY_BUCKETS_MS } };
  const instruments: Instruments = {
    requests: meter.createCounter('ccag.requests.total', { description: 'Proxy requests by model, streaming and outcome HTTP status.' }),
    requestDuration: meter.createHistogram('ccag.request.duration_ms', { description: 'Proxy request duration.', ...latency }),
    requestsInFlight: meter.createObservableUpDownCounter('ccag.requests.in_flight', { description: 'Proxy requests being served now.' }),
    inputTokens: meter.createCounter('ccag.tokens.input', { description: 'Uncached input tokens.' }),
    outputTokens: meter.createCounter('ccag.tokens.output', { description: 'Output tokens.' }),
    cacheReadTokens: meter.createCounter('ccag.tokens.cache_read', { description: 'Input tokens read from the prompt cache.' }),
    cacheWriteTokens: meter.createCounter('ccag.tokens.cache_write', { description: 'Input tokens written to the prompt cache (5m and 1h).' }),
    toolCalls: meter.createCounter('ccag.tool_calls.total', { description: 'Tools called in responses, by tool and type (builtin or mcp).' }),
    toolErrors: meter.createCounter('ccag.tool_errors.total', { description: 'Tool results the client reported as failed (is_error), by tool and type (builtin or mcp).' }),
    webSearches: meter.createCounter('ccag.web_searches.total', { description: 'Web searches run by the gateway.' }),
    errors: meter.createCounter('ccag.errors.total', { description: 'Upstream error outcomes by Anthropic error type and endpoint.' }),
    bedrockThrottles: meter.createCounter('ccag.bedrock.throttles.total', { description: 'Bedrock throttling (rate_limit_error) by model and endpoint.' }),
    rateLimits: meter.createCounter('ccag.rate_limits.total', { description: 'Requests the gateway refused for a rate limit.' }),
    authFailures: meter.createCounter('ccag.auth_failures.total', { description: 'Refused credentials on the data plane, admin API and /metrics, by reason.' }),
    spendFlushErrors: meter.createCounter('ccag.spend_flush_errors.total', { description: 'Spend ledger flushes that left rows unwritten.' }),
    spendRecordsQuarantined: meter.createCounter('ccag.spend_records_quarantined.total', {
      description: 'Spend rows the database rejected as data and set aside (alarm on non-zero).',
    }),
    cost: meter.createCounter('ccag.cost.usd', { description: 'Spend in US dollars by model.', unit: 'USD' }),
    timeToFirstToken: meter.createHistogram('ccag.time_to_first_token_ms', { description: 'Time until the first response byte.', ...latency }),
    requestBodyBytes: meter.createHistogram('ccag.request.body_bytes', {
      description: 'Size of /v1/messages request bodies by model.',
      unit: 'By',
      advice: { explicitBucketBoundaries: BODY_BUCKETS_BYTES },
    }),
    spendQueueDepth: meter.createObservableGauge('ccag.spend.queue_depth', { description: 'Spend rows waiting to be written: buffered in memory plus spilled to the journal.' }),
    upstreamUtilization: meter.createObservableGauge('ccag.upstream.utilization', {
      description: "Share of an upstream account's rate limit used (1 - remaining/limit), by endpoint and window.",
    }),
    budgetRequests: meter.createCounter('ccag.budget.requests.total', { description: 'Requests checked against a budget, by where the budget stood.' }),
    endpointCooldowns: meter.createCounter('ccag.endpoint.cooldowns.total', { description: 'Endpoint cooldowns started after throttling or repeated failures, by endpoint.' }),
    endpointHealthy: meter.createObservableGauge('ccag.endpoint.healthy', { description: 'Whether an endpoint takes requests (1) or is cooling down or unhealthy (0), on this replica.' }),
    failovers: meter.createCounter('ccag.failovers.total', { description: 'Requests retried on the next endpoint before the first byte, by reason.' }),
    relayReceived: meter.createCounter('ccag.telemetry_relay.received.total', { description: 'Authenticated OTLP batches the telemetry relay received, by signal.' }),
    relayForwarded: meter.createCounter('ccag.telemetry_relay.forwarded.total', { description: 'Batches a collector accepted (2xx), by signal.' }),
    relayDropped: meter.createCounter('ccag.telemetry_relay.dropped.total', { description: 'Batches the relay did not send to a collector, by signal and reason.' }),
    relayForwardFailures: meter.createCounter('ccag.telemetry_relay.forward_failures.total', { description: 'Sends to a collector that failed (not retried), by signal and reason.' }),
    relayQueueDepth: meter.createObservableGauge('ccag.telemetry_relay.queue_depth', { description: 'Telemetry relay batches waiting for or being sent to a collector, on this replica.' }),
    notificationsDelivered: meter.createCounter('ccag.notifications.delivered', { description: 'Notification delivery attempts by destination type and outcome (delivered or failed).' }),
    notificationsOutboxPending: meter.createObservableGauge('ccag.notifications.outbox_pending', { description: 'Notification events waiting for delivery, retries included.' }),
    webSearchFailures: meter.createCounter('ccag.web_search_failures.total', { description: 'Web searches run by the gateway that failed at the search provider, by provider type.' }),
    retentionDeleted: meter.createCounter('ccag.retention.deleted', { description: 'Rows the retention purge deleted, by table.' }),
    changeBusConnected: meter.createObservableGauge('ccag.change_bus.connected', { description: 'Whether this replica receives change announcements (1) or follows changes by polling only (0), by transport.' }),
    changeBusMessages: meter.createObservableCounter('ccag.change_bus.messages', { description: 'Change announcements this replica received, by transport.' }),
  };
  observeProcess(meter);
  // Unlabelled counters exist from the start, so a dashboard or alert sees 0 rather than no data.
  for (const counter of [instruments.webSearches, instruments.rateLimits, instruments.spendFlushErrors, instruments.spendRecordsQuarantined]) counter.add(0);
  // The budget outcomes are a fixed set: each starts at 0, so a panel shows them before the first budget.
  for (const status of BUDGET_OUTCOMES) instruments.budgetRequests.add(0, { status });
  for (const reason of FAILOVER_REASONS) instruments.failovers.add(0, { reason });
  for (const signal of SIGNALS) {
    instruments.relayReceived.add(0, { signal });
    instruments.relayForwarded.add(0, { signal });
    for (const reason of DROP_REASONS) instruments.relayDropped.add(0, { signal, reason });
    for (const reason of FORWARD_FAILURE_REASONS) instruments.relayForwardFailures.add(0, { signal, reason });
  }
  return instruments;
}
