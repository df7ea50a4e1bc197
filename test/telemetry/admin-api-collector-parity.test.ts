/**
 * The collector's series that match the Prometheus exporter it replaces (seed 004): usage rows as
 * `claude_requests_total`, the current-day gauges, the key name and owner labels read from the
 * key and user lists, and the collector's own health under `ccag_admin_api_`. Against the mock
 * Admin API over HTTP, with an injected clock; the ledger is a constant (its comparison is tested
 * in admin-api-collector.test.ts).
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAdminApiClient } from '../../src/telemetry/admin-api-collector/client.js';
import { createAdminApiCollector, type AdminApiCollector } from '../../src/telemetry/admin-api-collector/collector.js';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.js';
import { apiKey, bucket, costResult, MOCK_ADMIN_KEY, orgUser, startMockAdminApi, usageResult, type MockAdminApi } from '../support/mock-admin-api.js';
import { metricTypes, sampleValue } from '../support/prometheus-text.js';

const MIN = 60_000;
const H = 3_600_000;
const D = 86_400_000;
const DAY0 = Date.UTC(2026, 10, 20);
const WS = 'wrkspc_01';
const KEYS_PATH = '/v1/organizations/api_keys';
const USERS_PATH = '/v1/organizations/users';

const row = (key: string, input: number, fields: Parameters<typeof usageResult>[0] = {}) =>
  usageResult({ uncached_input_tokens: input, model: 'claude-sonnet-4-5', api_key_id: key, workspace_id: WS, service_tier: 'standard', ...fields });
const named = (key: string, name: string, email: string, owner: string) => `api_key_id="${key}",api_key_name="${name}",owner_email="${email}",owner_name="${owner}"`;
const ADA = named('apikey_01', 'ci-deploy', 'ada@example.com', 'Ada Lovelace');
const tokensTotal = (text: string, key = ADA, type = 'input') => sampleValue(text, `claude_tokens_total{type="${type}",model="claude-sonnet-4-5",${key},workspace_id="${WS}",service_tier="standard"}`);
const tokensCurrent = (text: string, key = ADA, type = 'input') => sampleValue(text, `claude_tokens_current{type="${type}",model="claude-sonnet-4-5",${key},workspace_id="${WS}",service_tier="standard"}`);
const requestsTotal = (text: string, key = ADA) => sampleValue(text, `claude_requests_total{model="claude-sonnet-4-5",${key},workspace_id="${WS}",service_tier="standard"}`);
const requestsCurrent = (text: string, key = ADA) => sampleValue(text, `claude_requests_current{model="claude-sonnet-4-5",${key},workspace_id="${WS}",service_tier="standard"}`);
const listRequests = (mock: MockAdminApi, path: string) => mock.requests.filter((r) => r.path === path);

describe('Admin API collector: parity with the claude exporter', () => {
  let mock: MockAdminApi;
  let metrics: Metrics;
  let collector: AdminApiCollector;
  let now: number;

  beforeEach(async () => {
    mock = await startMockAdminApi();
    mock.users = [orgUser('user_ada', 'ada@example.com', 'Ada Lovelace'), orgUser('user_bob', 'bob@example.com', 'Bob Builder')];
    mock.apiKeys = [apiKey('apikey_01', 'ci-deploy', 'user_ada')];
    metrics = createMetrics({ otlpIntervalMs: 60_000 });
    now = DAY0 + 12 * H;
    collector = createAdminApiCollector({
      client: createAdminApiClient({ baseUrl: mock.url, apiKey: MOCK_ADMIN_KEY }),
      ledger: { microsBetween: async () => 0n },
      meter: metrics.meter,
      log: pino({ level: 'silent' }),
      intervalMs: H,
      clock: () => now,
    });
  });
  afterEach(async () => {
    await collector.stop();
    await metrics.shutdown();
    await mock.close();
  });

  test('claude_requests_total counts each hour a key used a model once, however often the hour is restated', async () => {
    mock.usage = [bucket(DAY0, H, [row('apikey_01', 100)]), bucket(DAY0 + H, H, [row('apikey_01', 0, { output_tokens: 3 })])];
    await collector.pollOnce();
    expect(requestsTotal(await metrics.scrape())).toBe(2);

    // The same hours again, one revised upward: more tokens, no more requests.
    mock.usage = [bucket(DAY0, H, [row('apikey_01', 180)]), bucket(DAY0 + H, H, [row('apikey_01', 0, { output_tokens: 3 })])];
    await collector.pollOnce();
    let text = await metrics.scrape();
    expect(requestsTotal(text)).toBe(2);
    expect(tokensTotal(text)).toBe(180);

    // A new hour adds one; an hour the report lists with only zeros is no activity.
    mock.usage.push(bucket(DAY0 + 2 * H, H, [row('apikey_01', 5)]), bucket(DAY0 + 3 * H, H, [row('apikey_01', 0)]));
    await collector.pollOnce();
    text = await metrics.scrape();
    expect(requestsTotal(text)).toBe(3);
    expect(metricTypes(text)['claude_requests_total']).toBe('counter');
  });

  test('the current gauges hold the UTC day so far, move down on a revision, and start again at midnight', async () => {
    now = DAY0 + 23 * H + 30 * MIN;
    mock.usage = [bucket(DAY0 - D + 22 * H, H, [row('apikey_01', 1000)]), bucket(DAY0 + 9 * H, H, [row('apikey_01', 40)]), bucket(DAY0 + 10 * H, H, [row('apikey_01', 2)])];
    mock.cost = [bucket(DAY0 - D, D, [costResult('900', WS)]), bucket(DAY0, D, [costResult('250.5', WS)])];
    await collector.pollOnce();
    let text = await metrics.scrape();
    // The previous day is in the polled window (and in the totals), not in the current period.
    expect(tokensTotal(text)).toBe(1042);
    expect(tokensCurrent(text)).toBe(42);
    expect(requestsCurrent(text)).toBe(2);
    expect(sampleValue(text, `claude_cost_current_usd{workspace_id="${WS}"}`)).toBe(2.505);
    expect(metricTypes(text)['claude_tokens_current']).toBe('gauge');

    // A bucket revised downward: the counter keeps its high, the gauge follows the report.
    mock.usage[1] = bucket(DAY0 + 9 * H, H, [row('apikey_01', 30)]);
    await collector.pollOnce();
    text = await metrics.scrape();
    expect(tokensCurrent(text)).toBe(32);
    expect(tokensTotal(text)).toBe(1042);

    // Past midnight, before any poll of the new day: yesterday's figures are not today's.
    now = DAY0 + D + 5 * MIN;
    text = await metrics.scrape();
    expect(tokensCurrent(text)).toBe(0);
    expect(sampleValue(text, `claude_cost_current_usd{workspace_id="${WS}"}`)).toBe(0);

    // The first poll of the new day counts only the new day; a series without usage today stays at 0.
    mock.usage.push(bucket(DAY0 + D, H, [row('apikey_01', 7, { model: 'claude-haiku-4-5' })]));
    mock.cost.push(bucket(DAY0 + D, D, [costResult('10', WS)]));
    await collector.pollOnce();
    text = await metrics.scrape();
    expect(tokensCurrent(text)).toBe(0);
    expect(sampleValue(text, `claude_tokens_current{type="input",model="claude-haiku-4-5",${ADA},workspace_id="${WS}",service_tier="standard"}`)).toBe(7);
    expect(sampleValue(text, `claude_cost_current_usd{workspace_id="${WS}"}`)).toBe(0.1);
    expect(tokensTotal(text)).toBe(1042);
  });

  test('names and owners come from the key and user lists, read to their end page by page', async () => {
    mock.listPageSize = 2;
    mock.users = [orgUser('user_ada', 'ada@example.com', 'Ada Lovelace'), orgUser('user_bob', 'bob@example.com', 'Bob Builder'), orgUser('user_cy', 'cy@example.com', 'Cy Young')];
    mock.apiKeys = [
      apiKey('apikey_01', 'ci-deploy', 'user_ada'),
      apiKey('apikey_02', 'bob-laptop', 'user_ada', { principal: { id: 'user_bob', type: 'user' } }),
      apiKey('apikey_03', 'batch-jobs', 'user_ada', { principal: { id: 'svac_01', type: 'service_account' } }),
      apiKey('apikey_04', 'old', 'user_cy', { status: 'archived' }),
      apiKey('apikey_05', 'cy-key', 'user_cy'),
    ];
    mock.usage = [bucket(DAY0, H, ['apikey_01', 'apikey_02', 'apikey_03', 'apikey_05'].map((key) => row(key, 10)).concat(row('', 4, { api_key_id: null })))];
    await collector.pollOnce();

    const keyPages = listRequests(mock, KEYS_PATH);
    expect(keyPages.map((r) => r.query.get('after_id'))).toEqual([null, 'apikey_02', 'apikey_04']);
    expect(keyPages.every((r) => r.query.get('limit') === '1000')).toBe(true);
    expect(listRequests(mock, USERS_PATH).map((r) => r.query.get('after_id'))).toEqual([null, 'user_bob']);
    const text = await metrics.scrape();
    expect(tokensTotal(text)).toBe(10);
    // The user the key acts as, when the list names one, is its owner rather than its creator.
    expect(tokensTotal(text, named('apikey_02', 'bob-laptop', 'bob@example.com', 'Bob Builder'))).toBe(10);
    // A key acting as a service account has no user owner.
    expect(tokensTotal(text, named('apikey_03', 'batch-jobs', '', ''))).toBe(10);
    expect(tokensTotal(text, named('apikey_05', 'cy-key', 'cy@example.com', 'Cy Young'))).toBe(10);
    // Usage without a key (the Console) has no name.
    expect(tokensTotal(text, named('', '', '', ''))).toBe(4);
  });

  test('the lists are read again hourly, or after 5 minutes for a key they do not know; a failed read keeps the names', async () => {
    mock.usage = [bucket(DAY0, H, [row('apikey_01', 10)])];
    await collector.pollOnce();
    now += 10 * MIN;
    await collector.pollOnce();
    expect(listRequests(mock, KEYS_PATH)).toHaveLength(1);

    // A key created since: its first usage asks for the lists again, so it is named from the start.
    mock.apiKeys.push(apiKey('apikey_new', 'new-key', 'user_bob'));
    mock.usage.push(bucket(DAY0 + H, H, [row('apikey_new', 3)]));
    now += 1 * MIN;
    await collector.pollOnce();
    expect(listRequests(mock, KEYS_PATH)).toHaveLength(2);
    expect(tokensTotal(await metrics.scrape(), named('apikey_new', 'new-key', 'bob@example.com', 'Bob Builder'))).toBe(3);

    // A key the lists still do not know (deleted since) asks again at most every 5 minutes.
    mock.usage.push(bucket(DAY0 + H, H, [row('apikey_gone', 1)]));
    now += 5 * MIN;
    await collector.pollOnce();
    expect(listRequests(mock, KEYS_PATH)).toHaveLength(3);
    now += 2 * MIN;
    await collector.pollOnce();
    expect(listRequests(mock, KEYS_PATH)).toHaveLength(3);
    now += 4 * MIN;
    await collector.pollOnce();
    expect(listRequests(mock, KEYS_PATH)).toHaveLength(4);
    expect(tokensTotal(await metrics.scrape(), named('apikey_gone', '', '', ''))).toBe(1);

    // An hour on, the refresh fails (keys, then users): the names stay, the failures are counted.
    now += H;
    mock.failNext(500, {}, KEYS_PATH);
    await collector.pollOnce();
    mock.failNext(503, {}, USERS_PATH);
    await collector.pollOnce();
    let text = await metrics.scrape();
    expect(tokensTotal(text)).toBe(10);
    expect(sampleValue(text, 'ccag_admin_api_errors_total{report="api_keys",reason="server_error"}')).toBe(1);
    expect(sampleValue(text, 'ccag_admin_api_errors_total{report="users",reason="server_error"}')).toBe(1);

    // A failed refresh is tried again on the next poll, not an hour later. After a rename the old
    // name's series stops and the new one counts only what comes after: a sum over names stays exact.
    mock.apiKeys[0] = apiKey('apikey_01', 'ci-deploy-v2', 'user_ada');
    mock.usage.push(bucket(DAY0 + 2 * H, H, [row('apikey_01', 5)]));
    await collector.pollOnce();
    expect(listRequests(mock, KEYS_PATH)).toHaveLength(7);
    const renamed = named('apikey_01', 'ci-deploy-v2', 'ada@example.com', 'Ada Lovelace');
    text = await metrics.scrape();
    expect([tokensTotal(text), tokensTotal(text, renamed)]).toEqual([10, 5]);
    // Today's gauge shows the key once, under its new name.
    expect([tokensCurrent(text), tokensCurrent(text, renamed)]).toEqual([0, 15]);
  });

  test('health: loop duration per poll, last success per report, loop success, errors by report', async () => {
    mock.usage = [bucket(DAY0, H, [row('apikey_01', 10)])];
    mock.cost = [bucket(DAY0, D, [costResult('100', WS)])];
    await collector.pollOnce();
    let text = await metrics.scrape();
    expect(metricTypes(text)['ccag_admin_api_loop_duration_seconds']).toBe('histogram');
    expect(sampleValue(text, 'ccag_admin_api_loop_duration_seconds_count')).toBe(1);
    expect(sampleValue(text, 'ccag_admin_api_loop_duration_seconds_sum')).toBeGreaterThan(0);
    for (const report of ['usage', 'cost', 'api_keys', 'users']) {
      expect(sampleValue(text, `ccag_admin_api_last_success_timestamp_seconds{report="${report}"}`), report).toBe(now / 1000);
    }
    expect(sampleValue(text, 'ccag_admin_api_loop_success')).toBe(1);

    const firstSuccess = now / 1000;
    now += 10 * MIN;
    mock.failNext(500, {}, '/v1/organizations/cost_report');
    await collector.pollOnce();
    text = await metrics.scrape();
    expect(sampleValue(text, 'ccag_admin_api_loop_duration_seconds_count')).toBe(2);
    expect(sampleValue(text, 'ccag_admin_api_loop_success')).toBe(0);
    expect(sampleValue(text, 'ccag_admin_api_last_success_timestamp_seconds{report="usage"}')).toBe(now / 1000);
    expect(sampleValue(text, 'ccag_admin_api_last_success_timestamp_seconds{report="cost"}')).toBe(firstSuccess);
    expect(sampleValue(text, 'ccag_admin_api_errors_total{report="cost",reason="server_error"}')).toBe(1);

    now += 10 * MIN;
    await collector.pollOnce();
    expect(sampleValue(await metrics.scrape(), 'ccag_admin_api_loop_success')).toBe(1);
  });
});
