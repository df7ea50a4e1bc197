/**
 * Turns the gateway's events (a settled request's ledger row, a request body, an upstream reply's
 * rate-limit headers, a budget decision, a refused credential, a ledger flush failure or
 * quarantine) into measurements. Labels come from client-controlled values
 * (model names, tool names, upstream error types), so each such label is bounded: after a fixed
 * number of distinct values, new ones are reported as `other` instead of growing the series set
 * without limit (spec §7: labels never carry unbounded values).
 */
import { ApiError, type ErrorCode } from '../errors.js';
import type { Gate } from '../limits/governor.js';
import { toolKindOf, toolNamesOf } from '../spend/tool-names.js';
import type { SpendLedgerTable } from '../store/schema.js';
import type { BudgetOutcome, Instruments } from './instruments.js';
import { UpstreamUtilization } from './upstream-utilization.js';

export const OVERFLOW_LABEL = 'other';
const MAX_LABEL_LENGTH = 100;

/** Remembers the first `limit` distinct values of a label and maps any later one to `other`. */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  of(value: string): string {
    const label = value.slice(0, MAX_LABEL_LENGTH);
    if (this.seen.has(label)) return label;
    if (this.seen.size >= this.limit) return OVERFLOW_LABEL;
    this.seen.add(label);
    return label;
  }
}

/**
 * One server exposes many tools and every user may configure different servers, so MCP tools
 * are counted per server (`mcp__github`): the question operators ask is which MCP servers are
 * used, and that keeps the series few.
 */
export function toolLabels(name: string): { tool: string; type: 'builtin' | 'mcp' } {
  const { type, server } = toolKindOf(name);
  return type === 'mcp' ? { tool: `mcp__${server}`, type } : { tool: name, type };
}

export interface RecorderOptions {
  /** The kind of a live endpoint (undefined once it is gone), to tell Bedrock throttling apart. */
  endpointKind(endpointId: string): 'anthropic' | 'bedrock' | undefined;
}

export interface Recorders {
  settled(row: SpendLedgerTable): void;
  /** An upstream failure that settles no ledger row (unreachable upstream, count_tokens, model list). */
  unsettledUpstreamError(errorType: string, endpointId: string): void;
  requestBody(model: string, bytes: number): void;
  /** An upstream's reply headers, read for its `anthropic-ratelimit-*` utilization. */
  upstreamReply(endpointId: string, headers: Readonly<Record<string, string | undefined>>): void;
  budgetOutcome(status: BudgetOutcome): void;
  authFailure(reason: string): void;
  spendFlushError(): void;
  spendQuarantined(count: number): void;
}

export function createRecorders(instruments: Instruments, options: RecorderOptions): Recorders {
  const models = new BoundedLabel(100);
  const tools = new BoundedLabel(200);
  const errorTypes = new BoundedLabel(50);
  const countError = (errorType: string, endpointId: string) => instruments.errors.add(1, { error_type: errorTypes.of(errorType), endpoint_id: endpointId });
  const utilization = new UpstreamUtilization();
  instruments.upstreamUtilization.addCallback((result) => utilization.observe(result, (id) => options.endpointKind(id) !== undefined));

  return {
    settled(row) {
      const model = models.of(row.model);
      const byModel = { model };
      const streaming = row.streaming === 1 ? 'true' : 'false';
      const request = { model, streaming, status: String(row.status) } as const;
      instruments.requests.add(1, request);
      instruments.requestDuration.record(row.duration_ms, request);
      // An error body's first byte is no token: only answered requests measure time to first token.
      if (row.ttft_ms !== null && row.status < 400) instruments.timeToFirstToken.record(row.ttft_ms, { model, streaming });
      instruments.inputTokens.add(row.input_tokens, byModel);
      instruments.outputTokens.add(row.output_tokens, byModel);
      instruments.cacheReadTokens.add(row.cache_read_tokens, byModel);
      instruments.cacheWriteTokens.add(row.cache_write_5m_tokens + row.cache_write_1h_tokens, byModel);
      instruments.cost.add(row.cost_micros / 1e6, byModel);
      // tool_names has one entry per call, so each call is counted.
      for (const name of toolNamesOf(row.tool_names)) {
        const labels = toolLabels(name);
        instruments.toolCalls.add(1, { ...labels, tool: tools.of(labels.tool) });
      }
      // tool_errors: the tool results this request reported as failed (`is_error`), one per result.
      for (const name of toolNamesOf(row.tool_errors)) {
        const labels = toolLabels(name);
        instruments.toolErrors.add(1, { ...labels, tool: tools.of(labels.tool) });
      }
      if (row.error_type !== null) {
        const endpointId = row.endpoint_id ?? '';
        countError(row.error_type, endpointId);
        // Bedrock's ThrottlingException and ServiceQuotaExceededException surface as rate_limit_error.
        if (row.error_type === 'rate_limit_error' && options.endpointKind(endpointId) === 'bedrock') {
          instruments.bedrockThrottles.add(1, { model, endpoint_id: endpointId });
        }
      }
    },
    unsettledUpstreamError: countError,
    requestBody(model, bytes) {
      instruments.requestBodyBytes.record(bytes, { model: models.of(model) });
    },
    upstreamReply(endpointId, headers) {
      utilization.record(endpointId, headers);
    },
    budgetOutcome(status) {
      instruments.budgetRequests.add(1, { status });
    },
    authFailure(reason) {
      instruments.authFailures.add(1, { reason });
    },
    spendFlushError() {
      instruments.spendFlushErrors.add(1);
    },
    spendQuarantined(count) {
      instruments.spendRecordsQuarantined.add(count);
    },
  };
}

const ADMITTED_OUTCOMES: ReadonlySet<string> = new Set<BudgetOutcome>(['ok', 'warning', 'shaped']);
const REFUSED_OUTCOMES: Partial<Record<ErrorCode, BudgetOutcome>> = {
  budget_exceeded: 'blocked',
  budget_throttled: 'throttled',
  budgets_unavailable: 'unavailable',
};

/**
 * Wraps the budget gate to count each decision by outcome: an admitted request by the status its
 * `x-ccag-budget-status` header tells the client, a refused one by its error. A request with no
 * budget gets no header and is not counted. A count by outcome rather than a utilization gauge:
 * utilization belongs to a budget's subject (a user, team or key), an unbounded label, whereas
 * these six values answer the operator's question (how much traffic is warned, shaped or blocked).
 */
export function countBudgetOutcomes(gate: Gate, record: (status: BudgetOutcome) => void): Gate {
  return {
    async admit(request) {
      try {
        const admission = await gate.admit(request);
        const status = admission.headers['x-ccag-budget-status'];
        if (status !== undefined && ADMITTED_OUTCOMES.has(status)) record(status as BudgetOutcome);
        return admission;
      } catch (error) {
        const refused = error instanceof ApiError ? REFUSED_OUTCOMES[error.code] : undefined;
        if (refused) record(refused);
        throw error;
      }
    },
  };
}
