/**
 * Settlement: the last stage of a billed request. One object per request, begun once the request
 * is admitted, that meters the reply the client receives and settles it exactly once: the ledger
 * row, the admission's settle (budgets and rate limits learn the real cost and tokens) and the
 * `settled` observers (the `completed` log line, metrics, the `upstream error` line). A request
 * that was never served gives its admission back instead.
 */
import type { Principal } from '../identity/authenticator.js';
import type { Admission } from '../limits/governor.js';
import type { SpendLedgerTable } from '../store/schema.js';
import type { MessagesBody, PriorUsage, UpstreamReply } from '../upstreams/types.js';
import type { LedgerWriter } from './ledger-writer.js';
import { ledgerRowOf, type Attribution, type ServedOutcome } from './ledger-row.js';
import type { PricingService } from './pricing.service.js';
import { UsageMeter, type MeteredUsage } from './usage-meter.js';

export type { ServedOutcome } from './ledger-row.js';

/** A settled request, for its observers: the row written, and the error message the client got. */
export interface SettledRequest {
  readonly row: SpendLedgerTable;
  readonly endpointName: string | null;
  readonly errorMessage: string | null;
}

export interface SettlerDeps {
  readonly pricing: Pick<PricingService, 'costFor'>;
  readonly ledger: Pick<LedgerWriter, 'record'>;
  readonly onSettled?: (settled: SettledRequest) => void;
}

/** What the gateway knows of a request when it is admitted. */
export interface BilledRequest {
  readonly requestId: string;
  /** Epoch ms the request arrived (the ledger's `created_at`). */
  readonly receivedAt: number;
  /** `performance.now()` at arrival, for durations. */
  readonly startedAt: number;
  readonly principal: Principal;
  /** The client's model name. */
  readonly model: string;
  readonly streaming: boolean;
  readonly attribution: Attribution;
  readonly body: MessagesBody;
}

export interface ServedBy {
  readonly id: string;
  readonly name: string;
}

export class Settlement {
  private meter: UsageMeter | null = null;
  private done = false;

  constructor(
    private readonly deps: SettlerDeps,
    private readonly request: BilledRequest,
    private readonly admission: Admission,
  ) {}

  /** The observer of the reply's bytes (Anthropic SSE or JSON) on their way to the client. */
  meterFor(upstream: UpstreamReply): UsageMeter {
    this.meter = new UsageMeter((upstream.headers['content-type'] ?? '').startsWith('text/event-stream'));
    return this.meter;
  }

  /** The request was served (fully, partly, or the client left): bill what reached the client. */
  served(endpoint: ServedBy, outcome: ServedOutcome, upstream: UpstreamReply | null): SpendLedgerTable | undefined {
    if (this.done) return undefined;
    this.done = true;
    const usage = withPriorUsage(this.meter?.finish() ?? null, upstream?.priorUsage);
    const row = ledgerRowOf({
      requestId: this.request.requestId,
      receivedAt: this.request.receivedAt,
      durationMs: performance.now() - this.request.startedAt,
      principal: this.request.principal,
      endpointId: endpoint.id,
      model: this.request.model,
      streaming: this.request.streaming,
      attribution: this.request.attribution,
      requestBody: this.request.body,
      upstream,
      usage,
      outcome,
      pricing: this.deps.pricing,
    });
    this.deps.ledger.record(row);
    this.admission.settle({ costMicros: row.cost_micros, tokens: row.input_tokens + row.output_tokens });
    this.deps.onSettled?.({ row, endpointName: endpoint.name, errorMessage: usage?.errorMessage ?? null });
    return row;
  }

  /** Nothing was served (refused or unreachable before any answer): give everything back. */
  notServed(): void {
    if (this.done) return;
    this.done = true;
    this.admission.release();
  }
}

export interface Settler {
  begin(request: BilledRequest, admission: Admission): Settlement;
}

export function createSettler(deps: SettlerDeps): Settler {
  return { begin: (request, admission) => new Settlement(deps, request, admission) };
}

/** Adds the usage of model calls the reply's body does not report (UpstreamReply.priorUsage). */
function withPriorUsage(usage: MeteredUsage | null, prior: PriorUsage | undefined): MeteredUsage | null {
  if (!usage || !prior) return usage;
  return {
    ...usage,
    inputTokens: usage.inputTokens + prior.inputTokens,
    outputTokens: usage.outputTokens + prior.outputTokens,
    cacheReadTokens: usage.cacheReadTokens + prior.cacheReadTokens,
    cacheWrite5mTokens: usage.cacheWrite5mTokens + prior.cacheWrite5mTokens,
    cacheWrite1hTokens: usage.cacheWrite1hTokens + prior.cacheWrite1hTokens,
    webSearches: usage.webSearches + prior.webSearches,
    sawUsage: true,
  };
}
