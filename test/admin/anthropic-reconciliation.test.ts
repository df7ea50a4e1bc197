/**
 * GET /admin/analytics/anthropic-reconciliation: the ledger's Anthropic spend beside the cost
 * report per UTC day, on SQLite and PostgreSQL, through a gateway with and without the Admin API
 * key; and the range rules and figures (pure).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { reconciliationDays } from '../../src/admin/reconciliation.routes.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { reconciledFigures } from '../../src/telemetry/admin-api-collector/anthropic-reconciliation.js';
import { centsToPicoUsd } from '../../src/telemetry/admin-api-collector/cents.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { bucket, costResult, MOCK_ADMIN_KEY, startMockAdminApi, type MockAdminApi } from '../support/mock-admin-api.js';

const H = 3_600_000;
const D = 86_400_000;
const DAY0 = Date.UTC(2026, 10, 20);
const PATH = '/admin/analytics/anthropic-reconciliation';

describe('reconciliation range and figures', () => {
  test('whole UTC days, the last seven by default, never past today, at most 92', () => {
    const now = DAY0 + 15 * H;
    expect(reconciliationDays({}, now)).toEqual({ fromDay: DAY0 - 6 * D, toDay: DAY0 + D });
    expect(reconciliationDays({ from: DAY0 - 2 * D + H, to: DAY0 - D + H }, now)).toEqual({ fromDay: DAY0 - 2 * D, toDay: DAY0 });
    expect(reconciliationDays({ from: DAY0 - D, to: DAY0 + 30 * D }, now)).toEqual({ fromDay: DAY0 - D, toDay: DAY0 + D });
    expect(() => reconciliationDays({ from: DAY0 + 2 * D }, now)).toThrow(/before to/);
    expect(() => reconciliationDays({ from: DAY0 - 100 * D }, now)).toThrow(/at most 92/);
  });

  test('the difference is Anthropic minus the ledger, in percent of Anthropic', () => {
    expect(reconciledFigures(centsToPicoUsd('300'), centsToPicoUsd('250'))).toEqual({ ledger_usd: 2.5, anthropic_usd: 3, difference_usd: 0.5, difference_percent: 16.66 });
    expect(reconciledFigures(0n, centsToPicoUsd('1'))).toEqual({ ledger_usd: 0.01, anthropic_usd: 0, difference_usd: -0.01, difference_percent: null });
  });
});

describe.each(['sqlite', 'postgres'] as const)('GET %s anthropic-reconciliation', (kind) => {
  let mock: MockAdminApi;
  let gw: TestGateway | undefined;
  let token: string;
  // The route reads the real clock; the data is placed relative to today, whatever day that is.
  const today = Math.floor(Date.now() / D) * D;
  const get = async (query: string) => {
    const response = await fetch(`${gw!.url}${PATH}${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    mock = await startMockAdminApi();
    gw = await startGateway({ database: kind, env: { ANTHROPIC_ADMIN_API_KEY: MOCK_ADMIN_KEY, ANTHROPIC_ADMIN_API_URL: mock.url, CCAG_ADMIN_API_COLLECTOR_INTERVAL_MS: '3600000' } });
    if (!gw) return;
    token = await gw.adminToken();
    const endpoint = (id: string, endpointKind: 'anthropic' | 'bedrock') => ({ id, name: id, kind: endpointKind, config: '{}', credentials: null, is_default: 0, enabled: 1, priority: 0, created_at: 0, updated_at: 0 });
    await gw.store.db.insertInto('endpoints').values([endpoint('ep-anthropic', 'anthropic'), endpoint('ep-bedrock', 'bedrock')]).execute();
    const row = (id: string, createdAt: number, endpointId: string, costMicros: number): SpendLedgerTable => ({
      request_id: id, created_at: createdAt, key_id: null, key_prefix: null, user_id: null, team_id: null, endpoint_id: endpointId, model: 'claude-sonnet-4-5',
      upstream_model: null, streaming: 0, status: 200, stop_reason: 'end_turn', error_type: null, input_tokens: 1, output_tokens: 1, cache_read_tokens: 0,
      cache_write_5m_tokens: 0, cache_write_1h_tokens: 0, cost_micros: costMicros, pricing_status: 'priced', usage_estimated: 0, duration_ms: 1, ttft_ms: null,
      session_id: null, tool_names: null, tool_errors: null, web_searches: 0, upstream_request_id: null,
    });
    await gw.store.db
      .insertInto('spend_ledger')
      .values([
        row('r1', today - 2 * D + H, 'ep-anthropic', 2_000_000),
        row('r2', today - D - 1, 'ep-anthropic', 500_000),
        row('r3', today - 2 * D + 2 * H, 'ep-bedrock', 9_000_000),
        row('r4', today - D + 3 * H, 'ep-anthropic', 4_000_000),
      ])
      .execute();
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });
  afterEach(() => {
    mock.cost = [];
  });

  test('per UTC day: the ledger (anthropic endpoints only), the cost report, and their difference', async (context) => {
    if (!gw) return context.skip();
    mock.cost = [bucket(today - 2 * D, D, [costResult('200', 'wrkspc_01'), costResult('100', null)]), bucket(today - D, D, [costResult('400', null)])];
    const from = new Date(today - 2 * D).toISOString().slice(0, 10);
    const { status, body } = await get(`?from=${from}&to=${new Date(today).toISOString()}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      configured: true,
      from: new Date(today - 2 * D).toISOString(),
      to: new Date(today).toISOString(),
      days: [
        { day: from, ledger_usd: 2.5, anthropic_usd: 3, difference_usd: 0.5, difference_percent: 16.66 },
        { day: new Date(today - D).toISOString().slice(0, 10), ledger_usd: 4, anthropic_usd: 4, difference_usd: 0, difference_percent: 0 },
      ],
      total: { ledger_usd: 6.5, anthropic_usd: 7, difference_usd: 0.5, difference_percent: 7.14 },
    });
    const costRequest = mock.requests.filter((r) => r.path === '/v1/organizations/cost_report').at(-1)!;
    expect([costRequest.query.get('starting_at'), costRequest.query.get('ending_at'), costRequest.query.get('bucket_width')]).toEqual([
      new Date(today - 2 * D).toISOString(),
      new Date(today).toISOString(),
      '1d',
    ]);
  });

  test("the Admin API's failure is a 502 naming it; a bad range is a 400; a data-plane key is refused", async (context) => {
    if (!gw) return context.skip();
    mock.failNext(401, {}, '/v1/organizations/cost_report');
    // A range of its own, so no earlier answer is reused.
    const failed = await get(`?from=${new Date(today - 30 * D).toISOString()}`);
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: { code: 'upstream_unreachable', message: expect.stringContaining('answered 401') } });
    expect(JSON.stringify(failed.body)).not.toContain(MOCK_ADMIN_KEY);
    expect((await get('?from=yesterday')).status).toBe(400);

    const member = await gw.createKey('member@example.com');
    const refused = await fetch(`${gw.url}${PATH}`, { headers: { authorization: `Bearer ${member.key}` } });
    expect(refused.status).toBe(401);
  });

  test('a gateway without ANTHROPIC_ADMIN_API_KEY answers configured: false and asks nothing', async (context) => {
    if (!gw) return context.skip();
    const plain = await startGateway({ database: kind, env: { ANTHROPIC_ADMIN_API_URL: mock.url } });
    try {
      const before = mock.requests.length;
      const response = await fetch(`${plain!.url}${PATH}`, { headers: { authorization: `Bearer ${await plain!.adminToken()}` } });
      expect(await response.json()).toMatchObject({ configured: false, days: [], total: null });
      expect(mock.requests.length).toBe(before);
    } finally {
      await plain!.close();
    }
  });
});
