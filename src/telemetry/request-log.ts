/**
 * The log lines of the data plane (spec §7): one `completed` line per settled request and one
 * `upstream error` line per upstream failure. Never a credential or prompt content.
 */
import type { Logger } from 'pino';
import type { UpstreamFailure } from '../gateway/upstream-failure.js';
import type { SpendLedgerTable } from '../store/schema.js';

export function completedLogLine(log: Logger) {
  return (row: SpendLedgerTable) =>
    log.isLevelEnabled('info') &&
    log.info(
      {
        request_id: row.request_id,
        model: row.model,
        status: row.status,
        streaming: row.streaming === 1,
        input_tokens: row.input_tokens,
        output_tokens: row.output_tokens,
        cache_read_tokens: row.cache_read_tokens,
        cache_write_tokens: row.cache_write_5m_tokens + row.cache_write_1h_tokens,
        cost_usd: row.cost_micros / 1e6,
        duration_ms: row.duration_ms,
        ttft_ms: row.ttft_ms,
        user_id: row.user_id,
        team_id: row.team_id,
        key_prefix: row.key_prefix,
        endpoint_id: row.endpoint_id,
        session_id: row.session_id,
        error_type: row.error_type,
      },
      'completed',
    );
}

/** One line per upstream failure; `message` is what the client was told, never the request. */
export function upstreamErrorLogLine(log: Logger) {
  return (failure: UpstreamFailure) =>
    log.warn(
      {
        request_id: failure.requestId,
        endpoint_id: failure.endpointId,
        endpoint: failure.endpointName,
        model: failure.model,
        status: failure.status,
        error_type: failure.errorType,
        message: failure.message,
      },
      'upstream error',
    );
}
