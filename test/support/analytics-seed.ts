/**
 * Spend for the analytics route tests: users in teams, a member with a session, two real
 * requests through the gateway (one reporting a failed tool, one calling an MCP tool), and 60
 * ledger rows written through the real ledger sink (so with their rollups) at times relative to
 * now, whose expected figures the tests compute from the rows themselves.
 */
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import { newSessionToken } from '../../src/identity/tokens.js';
import { createLedgerSink } from '../../src/spend/ledger-sink.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { ledgerRow } from '../spend/ledger-rows.js';
import type { TestGateway } from './gateway.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5'] as const;

export interface AnalyticsSeed {
  /** UTC midnight ten days ago: the seeded rows lie in [base, base + 70 h). */
  base: number;
  rows: SpendLedgerTable[];
  users: { alice: string; bob: string; carol: string };
  teams: { platform: string; mobile: string };
  endpointId: string;
  /** Carol is a member; this is her session token. */
  memberToken: string;
}

async function created<T>(answer: Promise<{ status: number; body: T }>): Promise<T> {
  const { status, body } = await answer;
  if (status !== 201) throw new Error(`seeding failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

async function ask(gw: TestGateway, key: string, messages: unknown[]): Promise<void> {
  const response = await fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages }),
  });
  if (response.status !== 200) throw new Error(`request failed: ${response.status}`);
  await response.text();
}

export async function seedAnalytics(gw: TestGateway): Promise<AnalyticsSeed> {
  const platform = (await created(gw.admin<{ id: string }>('POST', '/teams', { name: 'Platform' }))).id;
  const mobile = (await created(gw.admin<{ id: string }>('POST', '/teams', { name: 'Mobile' }))).id;
  const alice = (await created(gw.admin<{ id: string }>('POST', '/users', { email: 'alice@example.com', team_id: platform }))).id;
  const bob = (await created(gw.admin<{ id: string }>('POST', '/users', { email: 'bob@example.com', team_id: mobile }))).id;
  const carol = (await created(gw.admin<{ id: string }>('POST', '/users', { email: 'carol@example.com', team_id: platform }))).id;
  const session = newSessionToken();
  const now = Date.now();
  await gw.store.db.insertInto('sessions').values({ id: randomUUID(), token_hash: session.hash, user_id: carol, created_at: now, expires_at: now + HOUR, revoked_at: null }).execute();
  const endpoints = await gw.admin<{ data: Array<{ id: string }> }>('GET', '/endpoints');
  const endpointId = endpoints.body.data[0]!.id;

  // Live: Bash failed in the previous turn, and the answer calls an MCP tool; then a Bash call.
  const { key } = await gw.createKey('alice@example.com');
  await ask(gw, key, [
    { role: 'user', content: 'list the files' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true, content: 'denied' }, { type: 'text', text: '[[usage in=1000 out=100]] [[tool mcp__github__search]]' }] },
  ]);
  await ask(gw, key, [{ role: 'user', content: '[[usage in=10 out=5]] [[tool Bash]]' }]);
  await gw.ledgerRows(2);

  const base = Math.floor((now - 10 * DAY) / DAY) * DAY;
  const who = [
    { user_id: alice, team_id: platform },
    { user_id: bob, team_id: mobile },
    { user_id: carol, team_id: platform },
    { user_id: null, team_id: null },
  ];
  const rows = Array.from({ length: 60 }, (_, i) =>
    ledgerRow(900_000 + i, {
      created_at: base + i * 70 * 60_000,
      ...who[i % 4]!,
      model: MODELS[i % 3]!,
      endpoint_id: i % 2 === 0 ? endpointId : 'ep-gone',
      status: i % 7 === 0 ? 529 : i % 11 === 0 ? 499 : 200,
      error_type: i % 7 === 0 ? 'overloaded_error' : null,
      input_tokens: 1000 + i,
      output_tokens: 100 + i,
      cache_read_tokens: 500 * (i % 3),
      cache_write_5m_tokens: 10 * i,
      cache_write_1h_tokens: i % 4,
      cost_micros: 1000 + 137 * i,
      duration_ms: 500 + 100 * i,
      ttft_ms: i % 5 === 0 ? null : 100 + i,
    }),
  );
  const sink = createLedgerSink({ db: gw.store.db, timeoutMs: 15_000, log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() }, quarantine: async () => {} });
  const written = await sink.write(rows);
  if (written.inserted !== rows.length) throw new Error(`seeding wrote ${written.inserted} rows`);
  return { base, rows, users: { alice, bob, carol }, teams: { platform, mobile }, endpointId, memberToken: session.token };
}
