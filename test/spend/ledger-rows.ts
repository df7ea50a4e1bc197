/** Ledger rows for tests: a complete, valid row per number, with overrides. */
import type { SpendLedgerTable } from '../../src/store/schema.js';

export function ledgerRow(n: number, overrides: Partial<SpendLedgerTable> = {}): SpendLedgerTable {
  return {
    request_id: `req-${String(n).padStart(6, '0')}`,
    created_at: 1_760_000_000_000 + n,
    key_id: 'key-1',
    key_prefix: 'sk-ccag-abc',
    user_id: 'user-1',
    team_id: null,
    endpoint_id: 'ep-1',
    model: 'claude-sonnet-4-5',
    upstream_model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    streaming: 1,
    status: 200,
    stop_reason: 'end_turn',
    error_type: null,
    input_tokens: 100 + n,
    output_tokens: 10,
    cache_read_tokens: 0,
    cache_write_5m_tokens: 0,
    cache_write_1h_tokens: 0,
    cost_micros: 480 + n,
    pricing_status: 'priced',
    usage_estimated: 0,
    duration_ms: 1234,
    ttft_ms: null,
    session_id: 'session-1',
    tool_names: null,
    tool_errors: null,
    web_searches: 0,
    upstream_request_id: null,
    agent_id: null,
    parent_agent_id: null,
    billing_group: null,
    ...overrides,
  };
}
