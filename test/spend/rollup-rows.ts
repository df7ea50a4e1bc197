/**
 * Ledger rows with a realistic spread for rollup tests, from a seeded generator (no clock): users
 * with and without teams, several models and endpoints, errors, client aborts, TTFTs, repeated
 * and MCP tool calls, reported tool failures.
 */
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { ledgerRow } from './ledger-rows.js';

const TOOLS = ['Bash', 'Read', 'Edit', 'mcp__github__search_issues', 'mcp__github__get_pr', 'mcp__linear__create_issue'];

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` rows numbered from `first`, spread over `spanMs` from `start`. */
export function spreadRows(first: number, count: number, start: number, spanMs: number, random: () => number): SpendLedgerTable[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const user = pick(['u1', 'u2', 'u3', 'u4', 'u5', null]);
    const failed = random() < 0.1;
    const aborted = !failed && random() < 0.05;
    const calls = Array.from({ length: Math.floor(random() * 4) }, () => pick(TOOLS));
    const failures = random() < 0.2 ? [pick(TOOLS)] : [];
    return ledgerRow(first + i, {
      created_at: start + Math.floor(random() * spanMs),
      user_id: user,
      team_id: user === 'u1' || user === 'u2' ? 't1' : user === 'u3' ? 't2' : null,
      model: pick(['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5']),
      endpoint_id: pick(['ep-a', 'ep-b', null]),
      status: failed ? 529 : aborted ? 499 : 200,
      error_type: failed ? 'overloaded_error' : null,
      input_tokens: Math.floor(random() * 50_000),
      output_tokens: Math.floor(random() * 4_000),
      cache_read_tokens: Math.floor(random() * 100_000),
      cache_write_5m_tokens: Math.floor(random() * 5_000),
      cache_write_1h_tokens: random() < 0.3 ? Math.floor(random() * 5_000) : 0,
      cost_micros: Math.floor(random() * 2_000_000),
      duration_ms: Math.floor(random() * 120_000),
      ttft_ms: random() < 0.8 ? Math.floor(random() * 5_000) : null,
      tool_names: calls.length > 0 ? calls.join(',') : null,
      tool_errors: failures.length > 0 ? failures.join(',') : null,
      web_searches: random() < 0.1 ? 1 : 0,
    });
  });
}
