/**
 * Metrics end to end on SQLite: scripted traffic through the gateway to the mock Anthropic API
 * (and mock Bedrock for throttling) shows up in `GET /metrics` with the right values and labels;
 * the scrape is authorized by an admin session, an admin API key or the scrape token, refused
 * otherwise (and the refusal counted), or open when configured; the same instruments reach an
 * OTLP gRPC collector.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newSessionToken } from '../../src/identity/tokens.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import { sleep } from '../support/mock-script.js';
import { startOtlpCollector, type OtlpCollector } from '../support/otlp-collector.js';
import { metricTypes, sampleValue } from '../support/prometheus-text.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
const M = `model="${MODEL}"`;

/** POST /v1/messages with the last user message carrying mock directives; resolves at the response headers. */
function message(gw: TestGateway, key: string | undefined, text: string, stream = false): Promise<Response> {
  return fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({ model: MODEL, max_tokens: 256, stream, messages: [{ role: 'user', content: text }] }),
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
    await settle(await message(g, key, 'hi [[usage in=100 out=20 cr=5 cw5=3 cw1h=2]]'), 200);
    await settle(await message(g, key, 'run it [[tool Bash]]', true), 200);
    await settle(await message(g, key, 'search [[tool mcp__github__search_issues]]'), 200);
    await settle(await message(g, key, 'read the PR [[tool mcp__github__get_pr]]'), 200);
    await settle(await message(g, key, 'slow down [[error 429 rate_limit_error Slow down]]'), 429);
    await settle(await message(g, key, 'boom [[error 500 api_error Boom]]', true), 500);

    // A stream paused after its first delta is in flight while we scrape.
    const paused = await message(g, key, 'wait [[pause 1000]]', true);
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
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('a failed flush and a quarantined row are counted', async () => {
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
    await sql`ALTER TABLE spend_ledger_away RENAME TO spend_ledger`.execute(g.store.db);
    expect(await g.ledgerRows(1)).toHaveLength(1);
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
  });
});
