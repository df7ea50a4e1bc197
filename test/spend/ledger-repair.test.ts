import { describe, expect, test } from 'vitest';
import { repairLedgerRow } from '../../src/spend/ledger-repair.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { ledgerRow } from './ledger-rows.js';

describe('ledger row repair', () => {
  test('a sound row is unchanged', () => {
    const row = ledgerRow(1, { tool_names: 'Bash,Read', ttft_ms: 120, agent_id: 'agent-1', parent_agent_id: 'main', billing_group: 'team-a' });
    expect(repairLedgerRow(row)).toEqual(row);
  });

  test('control characters go, over-long strings are cut, numbers are coerced and clamped', () => {
    const broken = {
      ...ledgerRow(2),
      model: 'claude-\u0000sonnet\u001f-4-5\u007f',
      session_id: 'a'.repeat(600),
      tool_names: 'T'.repeat(20_000),
      key_id: 42,
      streaming: true,
      status: '200',
      input_tokens: -5,
      output_tokens: 12.6,
      cache_read_tokens: Number.NaN,
      cache_write_5m_tokens: 2n ** 70n,
      cache_write_1h_tokens: Number.POSITIVE_INFINITY,
      web_searches: 1e12,
      ttft_ms: undefined,
      pricing_status: null,
    } as unknown as SpendLedgerTable;
    expect(repairLedgerRow(broken)).toEqual({
      ...ledgerRow(2),
      model: 'claude-sonnet-4-5',
      session_id: 'a'.repeat(512),
      tool_names: 'T'.repeat(16_384),
      key_id: '42',
      streaming: 1,
      status: 200,
      input_tokens: 0,
      output_tokens: 13,
      cache_read_tokens: 0,
      cache_write_5m_tokens: Number.MAX_SAFE_INTEGER,
      cache_write_1h_tokens: Number.MAX_SAFE_INTEGER,
      web_searches: 2_147_483_647,
      ttft_ms: null,
      pricing_status: 'unknown',
    });
  });

  test('a row without a request id stays without one: it cannot be recorded exactly once', () => {
    const row = { ...ledgerRow(3), request_id: null } as unknown as SpendLedgerTable;
    expect(repairLedgerRow(row).request_id).toBeNull();
  });
});
