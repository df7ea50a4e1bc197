/**
 * The Anthropic Admin API collector against a mock Admin API that pages: pagination, exact
 * cents-to-dollars, per-bucket deltas across polls, revisions and midnight, the comparison with
 * the ledger (SQLite and PostgreSQL), provider failures, and the names a scrape shows.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createAnthropicSpend } from '../../src/spend/spend-by-window.js';
import type { Store } from '../../src/store/database.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { centsToPicoUsd, formatPicoUsd } from '../../src/telemetry/admin-api-collector/cents.js';
import { createAdminApiClient } from '../../src/telemetry/admin-api-collector/client.js';
import { createAdminApiCollector, type AdminApiCollector } from '../../src/telemetry/admin-api-collector/collector.js';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startGateway } from '../support/gateway.js';
import { bucket, costResult, MOCK_ADMIN_KEY, startMockAdminApi, usageResult, type MockAdminApi } from '../support/mock-admin-api.js';
import { metricTypes, sampleValue } from '../support/prometheus-text.js';

const H = 3_600_000;
const D = 86_400_000;
const DAY0 = Date.UTC(2026, 10, 20);
const WS = 'wrkspc_01';
const result = (input: number, fields: Parameters<typeof usageResult>[0] = {}) =>
  usageResult({ uncached_input_tokens: input, model: 'claude-sonnet-4-5', api_key_id: 'apikey_01', workspace_id: WS, service_tier: 'standard', ...fields });
/** The mock lists no keys here, so the name and owner labels are empty. */
const tokens = (text: string, type: string, model = 'claude-sonnet-4-5') =>
  sampleValue(text, `claude_tokens_total{type="${type}",model="${model}",api_key_id="apikey_01",api_key_name="",owner_email="",owner_name="",workspace_id="${WS}",service_tier="standard"}`);
const costUsd = (text: string, workspace = WS) => sampleValue(text, `claude_cost_total_usd{workspace_id="${workspace}"}`);

test('cents as decimal strings become dollars exactly', () => {
  expect(formatPicoUsd(centsToPicoUsd('123.78912'))).toBe('1.2378912');
  expect(formatPicoUsd(centsToPicoUsd('0.1') + centsToPicoUsd('0.2'))).toBe('0.003');
  expect(formatPicoUsd(centsToPicoUsd('100'))).toBe('1');
  expect(formatPicoUsd(centsToPicoUsd('-2.5'))).toBe('-0.025');
  expect(() => centsToPicoUsd('1e3')).toThrow();
});

describe.each(['sqlite', 'postgres'] as const)('Anthropic Admin API collector (%s)', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let mock: MockAdminApi;
  let metrics: Metrics;
  let collector: AdminApiCollector;
  let now: number;
  let logLines: Record<string, unknown>[];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (database) store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  beforeEach(async (context) => {
    if (!database) return context.skip();
    mock = await startMockAdminApi();
    metrics = createMetrics({ otlpIntervalMs: 60_000 });
    logLines = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    now = DAY0 + 12 * H;
    collector = createAdminApiCollector({
      client: createAdminApiClient({ baseUrl: mock.url, apiKey: MOCK_ADMIN_KEY }),
      ledger: createAnthropicSpend(store.db),
      meter: metrics.meter,
      log: pino({ level: 'info' }, sink),
      intervalMs: H,
      clock: () => now,
    });
  });
  afterEach(async () => {
    if (!database) return;
    await collector.stop();
    await metrics.shutdown();
    await mock.close();
    await store.db.deleteFrom('spend_ledger').execute();
    await store.db.deleteFrom('endpoints').execute();
  });

  test('follows has_more / next_page and sends the admin key and version headers', async () => {
    mock.pageSize = 2;
    mock.usage = [0, 1, 2, 3, 4].map((hour) => bucket(DAY0 + hour * H, H, [result(10, { output_tokens: 3 })]));
    mock.cost = [bucket(DAY0 - D, D, [costResult('50', WS)]), bucket(DAY0, D, [costResult('25', WS)])];
    await collector.pollOnce();

    const usageRequests = mock.requests.filter((r) => r.path === '/v1/organizations/usage_report/messages');
    expect(usageRequests).toHaveLength(3);
    expect(usageRequests[0]!.query.get('page')).toBeNull();
    expect(usageRequests[1]!.query.get('page')).toMatch(/^page_/);
    expect(usageRequests[2]!.query.get('page')).not.toBe(usageRequests[1]!.query.get('page'));
    expect(usageRequests[0]!.query.get('bucket_width')).toBe('1h');
    expect(usageRequests[0]!.query.getAll('group_by[]')).toEqual(['model', 'api_key_id', 'workspace_id', 'service_tier']);
    expect(usageRequests[0]!.query.get('starting_at')).toBe(new Date(DAY0 - D).toISOString());
    expect(usageRequests[0]!.query.get('ending_at')).toBe(new Date(DAY0 + D).toISOString());
    const costRequests = mock.requests.filter((r) => r.path === '/v1/organizations/cost_report');
    expect(costRequests.map((r) => r.query.get('bucket_width'))).toEqual(['1d']);
    expect(costRequests[0]!.query.getAll('group_by[]')).toEqual(['workspace_id']);
    for (const request of mock.requests) {
      expect(request.headers['x-api-key']).toBe(MOCK_ADMIN_KEY);
      expect(request.headers['anthropic-version']).toBe('2023-06-01');
    }

    const text = await metrics.scrape();
    expect(tokens(text, 'input')).toBe(50);
    expect(tokens(text, 'output')).toBe(15);
    expect(tokens(text, 'cache_read')).toBe(0);
    expect(costUsd(text)).toBe(0.75);
  });

  test('cost amounts add up in exact decimal, not float', async () => {
    mock.cost = [bucket(DAY0, D, [costResult('0.1', WS), costResult('0.2', WS), costResult('123.78912', 'wrkspc_02')])];
    await collector.pollOnce();
    const text = await metrics.scrape();
    // 0.1 + 0.2 cents in floats would be 0.0030000000000000005 dollars.
    expect(text).toContain(`claude_cost_total_usd{workspace_id="${WS}"} 0.003\n`);
    expect(costUsd(text, 'wrkspc_02')).toBe(1.2378912);
  });

  test('a bucket seen again adds nothing; a revision adds only the difference', async () => {
    mock.usage = [bucket(DAY0, H, [result(100)])];
    mock.cost = [bucket(DAY0, D, [costResult('1000', WS)])];
    await collector.pollOnce();
    await collector.pollOnce();
    let text = await metrics.scrape();
    expect(tokens(text, 'input')).toBe(100);
    expect(costUsd(text)).toBe(10);

    mock.usage = [bucket(DAY0, H, [result(150)]), bucket(DAY0 + H, H, [result(7)])];
    mock.cost = [bucket(DAY0, D, [costResult('1234.5', WS)])];
    await collector.pollOnce();
    text = await metrics.scrape();
    expect(tokens(text, 'input')).toBe(157);
    expect(costUsd(text)).toBe(12.345);

    // A downward revision cannot take a counter back; rising again adds only what exceeds the earlier high.
    mock.usage = [bucket(DAY0, H, [result(120)]), bucket(DAY0 + H, H, [result(7)])];
    await collector.pollOnce();
    expect(tokens(await metrics.scrape(), 'input')).toBe(157);
    mock.usage = [bucket(DAY0, H, [result(160)]), bucket(DAY0 + H, H, [result(7)])];
    await collector.pollOnce();
    expect(tokens(await metrics.scrape(), 'input')).toBe(167);
  });

  test('crossing midnight and moving the window never counts a bucket twice', async () => {
    now = DAY0 + 23 * H + 50 * 60_000;
    mock.usage = [bucket(DAY0 + 23 * H, H, [result(100)])];
    mock.cost = [bucket(DAY0, D, [costResult('1000', WS)])];
    await collector.pollOnce();

    // 00:10 the next day: yesterday's buckets are restated (one revised) beside today's first.
    now = DAY0 + D + 10 * 60_000;
    mock.usage = [bucket(DAY0 + 23 * H, H, [result(120)]), bucket(DAY0 + D, H, [result(5)])];
    mock.cost = [bucket(DAY0, D, [costResult('1500', WS)]), bucket(DAY0 + D, D, [costResult('200', WS)])];
    await collector.pollOnce();
    let text = await metrics.scrape();
    expect(tokens(text, 'input')).toBe(125);
    expect(costUsd(text)).toBe(17);

    // Two days on, DAY0 has left the window: nothing is re-added and nothing is lost.
    now = DAY0 + 2 * D + 10 * 60_000;
    await collector.pollOnce();
    text = await metrics.scrape();
    expect(tokens(text, 'input')).toBe(125);
    expect(costUsd(text)).toBe(17);
    expect(mock.requests.at(-1)!.query.get('starting_at')).toBe(new Date(DAY0 + D).toISOString());
  });

  test("compares the provider's cost with the ledger's Anthropic spend per UTC day", async () => {
    const endpoint = (id: string, kind: 'anthropic' | 'bedrock') => ({ id, name: id, kind, config: '{}', credentials: null, is_default: 0, enabled: 1, priority: 0, created_at: 0, updated_at: 0 });
    await store.db.insertInto('endpoints').values([endpoint('ep-anthropic', 'anthropic'), endpoint('ep-bedrock', 'bedrock')]).execute();
    const row = (id: string, createdAt: number, endpointId: string, costMicros: number): SpendLedgerTable => ({
      request_id: id,
      created_at: createdAt,
      key_id: null,
      key_prefix: null,
      user_id: null,
      team_id: null,
      endpoint_id: endpointId,
      model: 'claude-sonnet-4-5',
      upstream_model: null,
      streaming: 0,
      status: 200,
      stop_reason: 'end_turn',
      error_type: null,
      input_tokens: 1,
      output_tokens: 1,
      cache_read_tokens: 0,
      cache_write_5m_tokens: 0,
      cache_write_1h_tokens: 0,
      cost_micros: costMicros,
      pricing_status: 'priced',
      usage_estimated: 0,
      duration_ms: 1,
      ttft_ms: null,
      session_id: null,
      tool_names: null,
      tool_errors: null,
      web_searches: 0,
      upstream_request_id: null,
    });
    await store.db
      .insertInto('spend_ledger')
      .values([
        row('r1', DAY0 - D + H, 'ep-anthropic', 2_000_000),
        row('r2', DAY0 - 1, 'ep-anthropic', 500_000),
        row('r3', DAY0 - D + 2 * H, 'ep-bedrock', 9_000_000),
        row('r4', DAY0 + H, 'ep-anthropic', 1_000_000),
        row('r5', DAY0 - 2 * D, 'ep-anthropic', 7_000_000),
      ])
      .execute();
    mock.cost = [bucket(DAY0 - D, D, [costResult('200', WS), costResult('100', null)]), bucket(DAY0, D, [costResult('100.5', WS)])];

    const { comparisons } = await collector.pollOnce();
    expect(comparisons?.map((c) => [c.window, formatPicoUsd(c.providerPico), formatPicoUsd(c.ledgerPico)])).toEqual([
      ['previous_day', '3', '2.5'],
      ['current_day', '1.005', '1'],
    ]);
    const text = await metrics.scrape();
    expect(metricTypes(text)['ccag_admin_api_cost_difference_usd']).toBe('gauge');
    expect(sampleValue(text, 'ccag_admin_api_cost_difference_usd{window="previous_day"}')).toBe(0.5);
    expect(sampleValue(text, 'ccag_admin_api_cost_difference_usd{window="current_day"}')).toBe(0.005);
    expect(costUsd(text, '')).toBe(1);
    const line = logLines.find((l) => l.msg === 'admin api cost compared with the ledger');
    expect(line?.previous_day).toEqual({ day: '2026-11-19', provider_cost_usd: '3', ledger_cost_usd: '2.5', difference_usd: '0.5' });
    expect(line?.current_day).toEqual({ day: '2026-11-20', provider_cost_usd: '1.005', ledger_cost_usd: '1', difference_usd: '0.005' });
  });

  test('401, 500 and 429 are logged and counted, never thrown; a 429 stops the poll and returns retry-after', async () => {
    mock.usage = [bucket(DAY0, H, [result(10)])];
    mock.cost = [bucket(DAY0, D, [costResult('100', WS)])];

    mock.failNext(401);
    await expect(collector.pollOnce()).resolves.toBeDefined();
    mock.failNext(500);
    await collector.pollOnce();
    const before = mock.requests.length;
    mock.failNext(429, { 'retry-after': '7' });
    expect(await collector.pollOnce()).toEqual({ retryAfterMs: 7000 });
    // Rate limits are per organization: the cost report is not asked for after the usage report's 429.
    expect(mock.requests.slice(before).map((r) => r.path)).toEqual(['/v1/organizations/usage_report/messages']);

    const text = await metrics.scrape();
    const errors = (reason: string) => sampleValue(text, `ccag_admin_api_errors_total{report="usage",reason="${reason}"}`);
    expect([errors('unauthorized'), errors('server_error'), errors('rate_limited')]).toEqual([1, 1, 1]);
    // The polls the 401 and 500 cut short still read the cost report; the usage came in on none of them.
    expect(tokens(text, 'input')).toBeUndefined();
    expect(costUsd(text)).toBe(1);
    const warnings = logLines.filter((l) => l.msg === 'admin api report failed');
    expect(warnings.map((l) => l.reason)).toEqual(['unauthorized', 'server_error', 'rate_limited']);
    expect(JSON.stringify(logLines)).not.toContain(MOCK_ADMIN_KEY);

    await collector.pollOnce();
    expect(tokens(await metrics.scrape(), 'input')).toBe(10);
  });

  test('the poll loop waits for retry-after after a 429, not the whole interval', async () => {
    mock.failNext(429, { 'retry-after': '1' });
    const started = Date.now();
    collector.start();
    const usageRequests = () => mock.requests.filter((r) => r.path === '/v1/organizations/usage_report/messages');
    while (usageRequests().length < 2 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(usageRequests()).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    // The interval is an hour: no third poll follows.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(usageRequests()).toHaveLength(2);
  });

  test('without ANTHROPIC_ADMIN_API_KEY the gateway never calls the Admin API and exports no claude_* series', async () => {
    const gw = await startGateway({ database: kind, env: { ANTHROPIC_ADMIN_API_URL: mock.url, CCAG_METRICS_OPEN: 'true' } });
    try {
      const text = await (await fetch(`${gw!.url}/metrics`)).text();
      expect(text).toContain('ccag_requests_in_flight');
      expect(text).not.toContain('claude_');
      expect(text).not.toContain('ccag_admin_api_');
      expect(mock.requests).toHaveLength(0);
    } finally {
      await gw!.close();
    }
  });

  test('a gateway with ANTHROPIC_ADMIN_API_KEY scrapes claude_tokens_total and claude_cost_total_usd on /metrics', async () => {
    const today = Math.floor(Date.now() / D) * D;
    mock.pageSize = 1;
    mock.usage = [bucket(today, H, [result(40, { cache_read_input_tokens: 9, cache_creation: { ephemeral_5m_input_tokens: 4, ephemeral_1h_input_tokens: 2 } })]), bucket(today + H, H, [result(2)])];
    mock.cost = [bucket(today, D, [costResult('250.5', WS)])];
    const gw = await startGateway({
      database: kind,
      env: { ANTHROPIC_ADMIN_API_KEY: MOCK_ADMIN_KEY, ANTHROPIC_ADMIN_API_URL: mock.url, CCAG_METRICS_OPEN: 'true' },
    });
    try {
      let text = '';
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
        text = await (await fetch(`${gw!.url}/metrics`)).text();
        if (text.includes('ccag_admin_api_cost_difference_usd{')) break;
      }
      const types = metricTypes(text);
      expect(types['claude_tokens_total']).toBe('counter');
      expect(types['claude_cost_total_usd']).toBe('gauge');
      expect(types['ccag_admin_api_cost_difference_usd']).toBe('gauge');
      expect(text).not.toContain('claude_cost_total_usd_total');
      expect(tokens(text, 'input')).toBe(42);
      expect(tokens(text, 'cache_read')).toBe(9);
      expect(tokens(text, 'cache_creation_5m')).toBe(4);
      expect(tokens(text, 'cache_creation_1h')).toBe(2);
      expect(costUsd(text)).toBe(2.505);
      expect(sampleValue(text, 'ccag_admin_api_cost_difference_usd{window="current_day"}')).toBe(2.505);
    } finally {
      await gw!.close();
    }
  });
});
