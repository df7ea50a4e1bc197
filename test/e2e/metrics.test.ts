/**
 * Metrics end to end on SQLite: scripted traffic through the gateway to the mock Anthropic API
 * (and mock Bedrock for throttling) shows up in `GET /metrics` with the right values and labels,
 * including body sizes, upstream utilization from the mock's rate-limit headers, rate-limit
 * refusals, budget outcomes, the spend queue and the process metrics;
 * the scrape is authorized by an admin session, an admin API key or the scrape token, refused
 * otherwise (and the refusal counted), or open when configured; the same instruments reach an
 * OTLP gRPC collector.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newSessionToken } from '../../src/identity/tokens.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { MOCK_RATE_LIMITS, startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import { sleep } from '../support/mock-script.js';
import { startOtlpCollector, type OtlpCollector } from '../support/otlp-collector.js';
import { metricTypes, sampleValue } from '../support/prometheus-text.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
const M = `model="${MODEL}"`;

const bodyOf = (text: string, stream: boolean) => JSON.stringify({ model: MODEL, max_tokens: 256, stream, messages: [{ role: 'user', content: text }] });

/** POST /v1/messages with the last user message carrying mock directives; resolves at the response headers. */
function message(gw: TestGateway, key: string | undefined, text: string, stream = false): Promise<Response> {
  return fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...(key ? { 'x-api-key': key } : {}) },
    body: bodyOf(text, stream),
  });
}

async function scrape(gw: TestGateway, authorization?: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${gw.url}/metrics`, { headers: authorization ? { authorization } : {} });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function scrapeAsAdmin(gw: TestGateway): Promise<string> {
  const scraped = await scrape(gw, `Bearer ${await gw.adminToken()}`);
  expect(scraped.status).toBe(200);
  return scraped.text;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const authFailures = (text: string, reason: string) => sampleValue(text, `ccag_auth_failures_total{reason="${reason}"}`) ?? 0;

describe('metrics on a gateway (sqlite)', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_METRICS_TOKEN: SCRAPE_TOKEN } });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('scripted traffic: requests, durations, tokens, cost, tools, errors, in-flight and auth failures', async () => {
    const g = gw!;
    const { key } = await g.createKey('dev@example.com');
    const expiring = await g.createKey('expiring@example.com', { expires_at: new Date(Date.now() + 800).toISOString() });
    const revoked = await g.createKey('revoked@example.com');
    expect((await g.admin('POST', `/keys/${revoked.id}/revoke`)).status).toBe(200);

    const settle = async (response: Response, status: number) => {
      expect(response.status).toBe(status);
      await response.text();
    };
    const served: [string, boolean][] = [
      ['hi [[usage in=100 out=20 cr=5 cw5=3 cw1h=2]]', false],
      ['run it [[tool Bash]]', true],
      ['search [[tool mcp__github__search_issues]]', false],
      ['read the PR [[tool mcp__github__get_pr]]', false],
      ['slow down [[error 429 rate_limit_error Slow down]]', false],
      ['boom [[error 500 api_error Boom]]', true],
      ['wait [[pause 1000]]', true],
    ];
    await settle(await message(g, key, ...served[0]!), 200);
    await settle(await message(g, key, ...served[1]!), 200);
    await settle(await message(g, key, ...served[2]!), 200);
    await settle(await message(g, key, ...served[3]!), 200);
    await settle(await message(g, key, ...served[4]!), 429);
    await settle(await message(g, key, ...served[5]!), 500);

    // A stream paused after its first delta is in flight while we scrape.
    const paused = await message(g, key, ...served[6]!);
    expect(paused.status).toBe(200);
    expect(sampleValue(await scrapeAsAdmin(g), 'ccag_requests_in_flight')).toBe(1);
    await paused.text();

    await settle(await message(g, 'sk-ccag-' + '0'.repeat(64), 'bad key'), 401);
    await settle(await message(g, undefined, 'no key'), 401);
    await settle(await message(g, revoked.key, 'revoked'), 401);
    await sleep(900);
    await settle(await message(g, expiring.key, 'expired'), 401);

    const rows = await g.ledgerRows(7);
    expect(rows).toHaveLength(7);
    const endpointId = rows[0]!.endpoint_id!;
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);

    const text = await scrapeAsAdmin(g);
    expect(sampleValue(text, `ccag_requests_total{${M},streaming="false",status="200"}`)).toBe(3);
    expect(sampleValue(text, `ccag_requests_total{${M},streaming="true",status="200"}`)).toBe(2);
    expect(sampleValue(text, `ccag_requests_total{${M},streaming="false",status="429"}`)).toBe(1);
    expect(sampleValue(text, `ccag_requests_total{${M},streaming="true",status="500"}`)).toBe(1);
    expect(sampleValue(text, `ccag_request_duration_ms_count{${M},streaming="true",status="200"}`)).toBe(2);
    expect(sampleValue(text, `ccag_request_duration_ms_bucket{${M},streaming="true",status="200",le="+Inf"}`)).toBe(2);
    // The paused stream alone lasts over a second.
    expect(sampleValue(text, `ccag_request_duration_ms_sum{${M},streaming="true",status="200"}`)).toBeGreaterThanOrEqual(1000);
    expect(sampleValue(text, `ccag_time_to_first_token_ms_count{${M},streaming="true"}`)).toBe(2);
    expect(sampleValue(text, 'ccag_requests_in_flight')).toBe(0);

    expect(sampleValue(text, `ccag_tokens_input_total{${M}}`)).toBe(sum((r) => r.input_tokens));
    expect(sampleValue(text, `ccag_tokens_output_total{${M}}`)).toBe(sum((r) => r.output_tokens));
    expect(sampleValue(text, `ccag_tokens_cache_read_total{${M}}`)).toBe(5);
    expect(sampleValue(text, `ccag_tokens_cache_write_total{${M}}`)).toBe(5);
    expect(sum((r) => r.input_tokens)).toBeGreaterThanOrEqual(100);
    expect(sampleValue(text, `ccag_cost_usd_total{${M}}`)).toBeCloseTo(sum((r) => r.cost_micros) / 1e6, 9);
    expect(sum((r) => r.cost_micros)).toBeGreaterThan(0);

    expect(sampleValue(text, 'ccag_tool_calls_total{tool="Bash",type="builtin"}')).toBe(1);
    expect(sampleValue(text, 'ccag_tool_calls_total{tool="mcp__github",type="mcp"}')).toBe(2);
    expect(sampleValue(text, `ccag_errors_total{error_type="rate_limit_error",endpoint_id="${endpointId}"}`)).toBe(1);
    expect(sampleValue(text, `ccag_errors_total{error_type="api_error",endpoint_id="${endpointId}"}`)).toBe(1);
    // An Anthropic endpoint's 429 is not a Bedrock throttle.
    expect(text).not.toContain('ccag_bedrock_throttles_total{');

    expect(authFailures(text, 'invalid')).toBe(1);
    expect(authFailures(text, 'missing')).toBe(1);
    expect(authFailures(text, 'revoked')).toBe(1);
    expect(authFailures(text, 'expired')).toBe(1);

    for (const unlabelled of ['ccag_web_searches_total', 'ccag_rate_limits_total', 'ccag_spend_flush_errors_total', 'ccag_spend_records_quarantined_total']) {
      expect(sampleValue(text, unlabelled)).toBe(0);
    }
    expect(metricTypes(text)).toMatchObject({ ccag_requests_total: 'counter', ccag_request_duration_ms: 'histogram', ccag_requests_in_flight: 'gauge' });

    // Every parsed body (not the refused credentials, which are never parsed), by model.
    const bodyBytes = served.map(([words, stream]) => Buffer.byteLength(bodyOf(words, stream)));
    expect(sampleValue(text, `ccag_request_body_bytes_count{${M}}`)).toBe(served.length);
    expect(sampleValue(text, `ccag_request_body_bytes_sum{${M}}`)).toBe(bodyBytes.reduce((a, b) => a + b, 0));
    expect(sampleValue(text, `ccag_request_body_bytes_bucket{${M},le="1024"}`)).toBe(served.length);
    expect(sampleValue(text, `ccag_request_body_bytes_bucket{${M},le="33554432"}`)).toBe(served.length);

    // The mock's anthropic-ratelimit-* headers, per window: 1 - remaining / limit.
    const used = ({ limit, remaining }: { limit: number; remaining: number }) => (limit - remaining) / limit;
    const utilization = (window: string) => sampleValue(text, `ccag_upstream_utilization{endpoint_id="${endpointId}",window="${window}"}`);
    expect(utilization('requests')).toBe(used(MOCK_RATE_LIMITS.requests));
    expect(utilization('input_tokens')).toBe(used(MOCK_RATE_LIMITS['input-tokens']));
    expect(utilization('output_tokens')).toBe(used(MOCK_RATE_LIMITS['output-tokens']));
    expect(utilization('tokens')).toBe(used(MOCK_RATE_LIMITS.tokens));
    expect(metricTypes(text).ccag_upstream_utilization).toBe('gauge');

    // Every row is in the database, so nothing waits in the ledger writer.
    expect(sampleValue(text, 'ccag_spend_queue_depth')).toBe(0);

    expect(sampleValue(text, 'ccag_process_resident_memory_bytes')).toBeGreaterThan(10 * 2 ** 20);
    expect(sampleValue(text, 'ccag_process_heap_used_bytes')).toBeGreaterThan(2 ** 20);
    expect(sampleValue(text, 'ccag_process_cpu_seconds_total{mode="user"}')).toBeGreaterThan(0);
    expect(sampleValue(text, 'ccag_process_cpu_seconds_total{mode="system"}')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, 'ccag_process_uptime_seconds')).toBeGreaterThan(0);
    expect(sampleValue(text, 'ccag_process_event_loop_delay_p99_ms')).toBeGreaterThanOrEqual(0);
  });

  test('rate-limit refusals by scope and kind, and budget outcomes by status', async () => {
    const g = gw!;
    const limited = await g.createKey('limited@example.com');
    expect((await g.admin('PUT', `/rate-limits/key/${limited.id}`, { rpm: 1 })).status).toBe(200);
    const first = await message(g, limited.key, 'one');
    expect(first.status).toBe(200);
    await first.text();
    const second = await message(g, limited.key, 'two');
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error');

    // A $1 monthly budget (standard policy: notify at 80%, block at 100%); output costs $15 per MTok.
    const budgeted = (await g.admin<{ key: string; user_id: string }>('POST', '/keys', { user_email: 'budgeted@example.com' })).body;
    const budget = await g.admin('POST', '/budgets', { subject_type: 'user', subject_id: budgeted.user_id, period: 'monthly', amount_usd: 1 });
    expect(budget.status, JSON.stringify(budget.body)).toBe(201);
    const ask = async (outputTokens: number, status: number) => {
      const rowsBefore = (await g.store.db.selectFrom('spend_ledger').select('request_id').execute()).length;
      const response = await message(g, budgeted.key, `spend [[usage in=0 out=${outputTokens}]]`);
      expect(response.status).toBe(status);
      await response.text();
      // The next decision must see this one's spend.
      if (status === 200) await g.ledgerRows(rowsBefore + 1);
      return response.headers.get('x-ccag-budget-status');
    };
    expect(await ask(60_000, 200)).toBe('ok'); // $0.90
    expect(await ask(10_000, 200)).toBe('warning'); // 90% before, $1.05 after
    expect(await ask(1, 429)).toBe('blocked');

    const text = await scrapeAsAdmin(g);
    expect(sampleValue(text, 'ccag_rate_limits_total{scope="key",kind="rpm"}')).toBe(1);
    // The labelled series sum to the refusals; the unlabelled one stays at 0.
    expect(sampleValue(text, 'ccag_rate_limits_total')).toBe(0);
    const budgetRequests = (status: string) => sampleValue(text, `ccag_budget_requests_total{status="${status}"}`);
    expect([budgetRequests('ok'), budgetRequests('warning'), budgetRequests('blocked')]).toEqual([1, 1, 1]);
    expect([budgetRequests('shaped'), budgetRequests('throttled'), budgetRequests('unavailable')]).toEqual([0, 0, 0]);
  });

  test('the scrape needs the scrape token, an admin session or an admin API key; refusals are counted', async () => {
    const g = gw!;
    const before = await scrapeAsAdmin(g);

    const missing = await scrape(g);
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text)).toEqual({ error: { code: 'missing_credentials', message: expect.any(String) } });
    const wrong = await scrape(g, `Bearer ${SCRAPE_TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error.code).toBe('invalid_credentials');

    const member = await g.admin<{ id: string }>('POST', '/users', { email: 'member@example.com' });
    const session = newSessionToken();
    await g.store.db
      .insertInto('sessions')
      .values({ id: randomUUID(), token_hash: session.hash, user_id: member.body.id, created_at: Date.now(), expires_at: Date.now() + 3_600_000, revoked_at: null })
      .execute();
    const forbidden = await scrape(g, `Bearer ${session.token}`);
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.text).error.code).toBe('forbidden');

    const withToken = await scrape(g, `Bearer ${SCRAPE_TOKEN}`);
    expect(withToken.status).toBe(200);
    expect(withToken.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(withToken.text).toContain('# TYPE ccag_requests_total counter');

    const adminKey = await g.admin<{ key: string }>('POST', '/api-keys', { name: 'prometheus' });
    expect(adminKey.status).toBe(201);
    expect((await scrape(g, `Bearer ${adminKey.body.key}`)).status).toBe(200);

    // The admin API's own refusals count too.
    expect((await fetch(`${g.url}/admin/keys`)).status).toBe(401);

    const after = await scrapeAsAdmin(g);
    expect(authFailures(after, 'missing') - authFailures(before, 'missing')).toBe(2);
    expect(authFailures(after, 'invalid') - authFailures(before, 'invalid')).toBe(1);
    expect(authFailures(after, 'forbidden') - authFailures(before, 'forbidden')).toBe(1);
  });
});

describe('spend ledger trouble (sqlite)', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    mock = await startMockAnthropic();
    // One row fits in memory; a second spills both to the journal.
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_LEDGER_MAX_BUFFERED: '1' } });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('a failed flush and a quarantined row are counted; rows waiting in memory or the journal are the queue depth', async () => {
    const g = gw!;
    const { key } = await g.createKey('dev@example.com');
    // The database rejects this one row as data, whatever repair does to it.
    await sql`CREATE TRIGGER poison BEFORE INSERT ON spend_ledger WHEN NEW.input_tokens = 4242 BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`.execute(g.store.db);
    const poisoned = await message(g, key, 'poison [[usage in=4242]]');
    expect(poisoned.status).toBe(200);
    await poisoned.text();
    await waitFor(async () => sampleValue(await scrapeAsAdmin(g), 'ccag_spend_records_quarantined_total') === 1);

    // Without its table the ledger cannot write: rows stay buffered and each attempt is a flush error.
    await sql`ALTER TABLE spend_ledger RENAME TO spend_ledger_away`.execute(g.store.db);
    const kept = await message(g, key, 'kept for later');
    expect(kept.status).toBe(200);
    await kept.text();
    await waitFor(async () => (sampleValue(await scrapeAsAdmin(g), 'ccag_spend_flush_errors_total') ?? 0) >= 1);
    // The row waits in the writer's buffer until the table is back.
    expect(sampleValue(await scrapeAsAdmin(g), 'ccag_spend_queue_depth')).toBe(1);
    const spilling = await message(g, key, 'spilled to the journal');
    expect(spilling.status).toBe(200);
    await spilling.text();
    const journaled = () => readdirSync(join(g.dataDir, 'journal')).some((name) => name.startsWith('spend-journal'));
    await waitFor(async () => journaled() && sampleValue(await scrapeAsAdmin(g), 'ccag_spend_queue_depth') === 2);
    await sql`ALTER TABLE spend_ledger_away RENAME TO spend_ledger`.execute(g.store.db);
    expect(await g.ledgerRows(2)).toHaveLength(2);
    await waitFor(async () => sampleValue(await scrapeAsAdmin(g), 'ccag_spend_queue_depth') === 0);
  });
});

describe('metrics open to the network (sqlite)', () => {
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    gw = await startGateway({ database: 'sqlite', env: { CCAG_METRICS_OPEN: 'true' } });
  });
  afterAll(() => gw?.close());

  test('CCAG_METRICS_OPEN=true serves the scrape without credentials', async () => {
    const scraped = await scrape(gw!);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('ccag_rate_limits_total 0');
  });
});

describe('Bedrock throttling (sqlite)', () => {
  let mock: MockBedrock;
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    mock = await startMockBedrock();
    gw = await startGateway({ database: 'sqlite' });
    await gw!.addEndpoint({
      kind: 'bedrock',
      name: 'bedrock-us',
      region: 'us-east-1',
      auth: 'static',
      access_key_id: 'AKIDTEST',
      secret_access_key: 'secret',
      endpoint_url: mock.url,
      is_default: true,
    });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('a ThrottlingException counts as a Bedrock throttle and an error of its endpoint', async () => {
    const g = gw!;
    const { key } = await g.createKey('dev@example.com');
    const response = await message(g, key, 'too fast [[bedrock-error ThrottlingException Rate exceeded]]');
    expect(response.status).toBe(429);
    await response.text();
    const [row] = await g.ledgerRows(1);
    const text = await scrapeAsAdmin(g);
    expect(sampleValue(text, `ccag_bedrock_throttles_total{${M},endpoint_id="${row!.endpoint_id}"}`)).toBe(1);
    expect(sampleValue(text, `ccag_errors_total{error_type="rate_limit_error",endpoint_id="${row!.endpoint_id}"}`)).toBe(1);
  });
});

describe('OTLP gRPC push (sqlite)', () => {
  let mock: MockAnthropic;
  let collector: OtlpCollector;
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    mock = await startMockAnthropic();
    collector = await startOtlpCollector();
    gw = await startGateway({
      database: 'sqlite',
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_METRIC_EXPORT_INTERVAL: '300' },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await collector?.close();
    await mock?.close();
  });

  test('the collector receives the same instruments, with the resource and values', async () => {
    const g = gw!;
    const { key } = await g.createKey('dev@example.com');
    const ok = await message(g, key, 'hi [[tool mcp__github__search_issues]]');
    expect(ok.status).toBe(200);
    await ok.text();
    expect((await message(g, undefined, 'no key')).status).toBe(401);

    const deadline = Date.now() + 10_000;
    while (!collector.latest().get('ccag.requests.total') || !collector.latest().get('ccag.auth_failures.total')) {
      if (Date.now() > deadline) throw new Error(`no OTLP export with traffic after ${collector.exports()} exports`);
      await sleep(100);
    }
    const latest = collector.latest();
    expect([...latest.keys()].sort()).toEqual(
      expect.arrayContaining([
        'ccag.requests.total',
        'ccag.request.duration_ms',
        'ccag.requests.in_flight',
        'ccag.tokens.input',
        'ccag.tokens.output',
        'ccag.tokens.cache_read',
        'ccag.tokens.cache_write',
        'ccag.tool_calls.total',
        'ccag.web_searches.total',
        'ccag.rate_limits.total',
        'ccag.auth_failures.total',
        'ccag.spend_flush_errors.total',
        'ccag.spend_records_quarantined.total',
        'ccag.cost.usd',
        'ccag.time_to_first_token_ms',
        'ccag.request.body_bytes',
        'ccag.upstream.utilization',
        'ccag.spend.queue_depth',
        'ccag.budget.requests.total',
        'ccag.process.resident_memory_bytes',
        'ccag.process.heap_used_bytes',
        'ccag.process.cpu_seconds',
        'ccag.process.uptime_seconds',
      ]),
    );
    expect(collector.resource()).toMatchObject({ 'service.name': 'ccag', 'service.version': expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(latest.get('ccag.requests.total')).toEqual({
      name: 'ccag.requests.total',
      kind: 'sum',
      points: [{ labels: { model: MODEL, streaming: 'false', status: '200' }, value: 1 }],
    });
    expect(latest.get('ccag.request.duration_ms')?.kind).toBe('histogram');
    expect(latest.get('ccag.tool_calls.total')?.points).toEqual([{ labels: { tool: 'mcp__github', type: 'mcp' }, value: 1 }]);
    expect(latest.get('ccag.auth_failures.total')?.points).toEqual([{ labels: { reason: 'missing' }, value: 1 }]);
    expect(latest.get('ccag.request.body_bytes')).toMatchObject({ kind: 'histogram', points: [{ labels: { model: MODEL }, value: 1 }] });
    expect(latest.get('ccag.upstream.utilization')).toMatchObject({ kind: 'gauge', points: expect.arrayContaining([{ labels: { endpoint_id: expect.any(String), window: 'requests' }, value: 0.2 }]) });
  });
});
