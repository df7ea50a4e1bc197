/**
 * Makes a ledger row the database rejected storable while keeping every figure that is sound:
 * control characters (PostgreSQL refuses NUL) are stripped, over-long strings truncated, numbers
 * coerced and clamped to their column's range. Pure. A row without a request id stays broken: it
 * cannot be recorded exactly once, so it is quarantined rather than invented.
 */
import type { SpendLedgerTable } from '../store/schema.js';

type Column = 'id' | 'text' | 'text?' | 'long-text?' | 'int' | 'bigint' | 'bigint?';

const COLUMNS = {
  request_id: 'id',
  created_at: 'bigint',
  key_id: 'text?',
  key_prefix: 'text?',
  user_id: 'text?',
  team_id: 'text?',
  endpoint_id: 'text?',
  model: 'text',
  upstream_model: 'text?',
  streaming: 'int',
  status: 'int',
  stop_reason: 'text?',
  error_type: 'text?',
  input_tokens: 'bigint',
  output_tokens: 'bigint',
  cache_read_tokens: 'bigint',
  cache_write_5m_tokens: 'bigint',
  cache_write_1h_tokens: 'bigint',
  cost_micros: 'bigint',
  pricing_status: 'text',
  usage_estimated: 'int',
  duration_ms: 'bigint',
  ttft_ms: 'bigint?',
  session_id: 'text?',
  tool_names: 'long-text?',
  tool_errors: 'long-text?',
  web_searches: 'int',
  upstream_request_id: 'text?',
  agent_id: 'text?',
  parent_agent_id: 'text?',
  billing_group: 'text?',
} as const satisfies Record<keyof SpendLedgerTable, Column>;

/**
 * 512 characters keep any string under PostgreSQL's 2,704-byte btree entry limit (request_id
 * and user_id are indexed) even at four bytes per character.
 */
const MAX_TEXT = 512;
const MAX_LONG_TEXT = 16_384;
const MAX_INT4 = 2_147_483_647;
const CONTROL = /[\u0000-\u001f\u007f]/g;

function cleanText(value: unknown, max: number): string | null {
  if (value === null || value === undefined) return null;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'object') {
    try {
      text = JSON.stringify(value);
    } catch {
      text = String(value);
    }
  } else text = String(value);
  return text.replace(CONTROL, '').slice(0, max);
}

function cleanNumber(value: unknown, max: number): number {
  const number = typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
  if (Number.isNaN(number)) return 0;
  return Math.min(max, Math.max(0, Math.round(number)));
}

export function repairLedgerRow(row: SpendLedgerTable): SpendLedgerTable {
  const source = row as unknown as Record<string, unknown>;
  const repaired: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(COLUMNS) as Array<[keyof SpendLedgerTable, Column]>) {
    const value = source[name];
    switch (column) {
      case 'id':
        repaired[name] = cleanText(value, MAX_TEXT);
        break;
      case 'text':
        repaired[name] = cleanText(value, MAX_TEXT) ?? 'unknown';
        break;
      case 'text?':
        repaired[name] = cleanText(value, MAX_TEXT);
        break;
      case 'long-text?':
        repaired[name] = cleanText(value, MAX_LONG_TEXT);
        break;
      case 'int':
        repaired[name] = cleanNumber(value, MAX_INT4);
        break;
      case 'bigint':
        repaired[name] = cleanNumber(value, Number.MAX_SAFE_INTEGER);
        break;
      case 'bigint?':
        repaired[name] = value === null || value === undefined ? null : cleanNumber(value, Number.MAX_SAFE_INTEGER);
        break;
    }
  }
  return repaired as unknown as SpendLedgerTable;
}
