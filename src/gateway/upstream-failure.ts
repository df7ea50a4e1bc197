/**
 * Upstream failures as the operator sees them: one `upstream error` log line each and a count in
 * `ccag.errors.total`. Error replies the upstream sent are relayed to the client and settle in
 * the ledger; failures before any reply (unreachable upstream) and those of calls that are not
 * billed (count_tokens, the model list) settle nowhere, so they are reported here alone.
 */
import { ApiError } from '../errors.js';

export interface UpstreamFailure {
  /** The gateway's request id, for billed requests only. */
  readonly requestId: string | null;
  readonly endpointId: string;
  readonly endpointName: string;
  readonly model: string | null;
  /** The status the client got. */
  readonly status: number;
  /** An Anthropic error type, or `upstream_unreachable` when no answer came. */
  readonly errorType: string;
  /** The message the client got (the upstream layer has already withheld account details). */
  readonly message: string | null;
  /** The request settled in the spend ledger, whose row already counts the error. */
  readonly settled: boolean;
}

export type UpstreamFailureReporter = (failure: UpstreamFailure) => void;

/**
 * A throw before the upstream answered, as a failure; undefined when the upstream layer judged
 * the request itself (unknown model, an unsupported call, a bad body): the caller's fault.
 */
export function failureOfThrow(error: unknown): Pick<UpstreamFailure, 'status' | 'errorType' | 'message'> | undefined {
  if (!(error instanceof ApiError)) return { status: 500, errorType: 'api_error', message: null };
  if (error.code === 'upstream_unreachable') return { status: error.status, errorType: error.code, message: error.message };
  return undefined;
}
