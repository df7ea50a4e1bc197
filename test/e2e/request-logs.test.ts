/**
 * Request logs end to end (sqlite): a `completed` line per proxied request and an `upstream error`
 * line per upstream failure, including an unreachable upstream and calls that are not billed
 * (count_tokens, the model list), which also count in `ccag_errors_total` exactly once. The
 * captured lines of the whole run never contain the virtual key, a bearer token or prompt text.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sampleValue } from '../support/prometheus-text.js';
import { freePort } from '../support/serve-process.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const PROMPT = 'the launch codes are tangerine-walrus-4711';

type LogLine = Record<string, unknown> & { msg: string };

function captureLogs(): { stream: Writable; lines: () => LogLine[]; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text, lines: () => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine) };
}

function post(gw: TestGateway, path: string, headers: Record<string, string>, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify({ model: MODEL, max_tokens: 256, ...body }),
  });
}

async function status(response: Promise<Response>): Promise<number> {
  const answered = await response;
  await answered.text();
  return answered.status;
}

async function scrape(gw: TestGateway): Promise<string> {
  return (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${await gw.adminToken()}` } })).text();
}

describe('request logs (sqlite)', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  const logs = captureLogs();

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, LOG_LEVEL: 'info' }, logDestination: logs.stream });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('completed and upstream error lines carry the request facts, never credentials or the prompt', async () => {
    const g = gw!;
    const { key } = await g.createKey('dev@example.com');
    const asKey = { 'x-api-key': key };
    const messages = (text: string) => [{ role: 'user', content: `${PROMPT} ${text}` }];
    expect(await status(post(g, '/v1/messages', asKey, { messages: messages('[[usage in=10 out=5]]') }))).toBe(200);
    expect(await status(post(g, '/v1/messages', asKey, { stream: true, messages: messages('[[tool Bash]]') }))).toBe(200);
    expect(await status(post(g, '/v1/messages', asKey, { messages: messages('[[error 429 rate_limit_error Slow down]]') }))).toBe(429);
    expect(await status(post(g, '/v1/messages', asKey, { stream: true, messages: messages('[[midstream-error]]') }))).toBe(200);
    // A model no endpoint serves: refused by routing, before any upstream (so no upstream error line).
    expect(await status(post(g, '/v1/messages/count_tokens', asKey, { model: 'gpt-4o', messages: messages('') }))).toBe(404);
    const bearer = 'sk-ccag-' + 'b'.repeat(64);
    expect(await status(post(g, '/v1/messages', { authorization: `Bearer ${bearer}` }, { messages: messages('') }))).toBe(401);
    const rows = await g.ledgerRows(4);
    // The scrape authorizes with the admin session's bearer token, which must not be logged either.
    const metrics = await scrape(g);

    const completed = logs.lines().filter((line) => line.msg === 'completed');
    expect(completed).toHaveLength(4);
    expect(completed[0]).toMatchObject({ request_id: rows[0]!.request_id, model: MODEL, status: 200, input_tokens: 10, output_tokens: 5, key_prefix: rows[0]!.key_prefix, endpoint_id: rows[0]!.endpoint_id });

    const upstreamErrors = logs.lines().filter((line) => line.msg === 'upstream error');
    const endpoint = { endpoint_id: rows[0]!.endpoint_id, endpoint: 'anthropic' };
    expect(upstreamErrors).toEqual([
      expect.objectContaining({ level: 40, ...endpoint, request_id: rows[2]!.request_id, model: MODEL, status: 429, error_type: 'rate_limit_error', message: 'Slow down' }),
      expect.objectContaining({ ...endpoint, request_id: rows[3]!.request_id, status: 200, error_type: 'overloaded_error', message: 'Overloaded' }),
    ]);
    // Settled requests are counted from their ledger row, once each; the gateway's own refusal is no upstream error.
    const errors = (type: string) => sampleValue(metrics, `ccag_errors_total{error_type="${type}",endpoint_id="${rows[0]!.endpoint_id}"}`);
    expect([errors('rate_limit_error'), errors('overloaded_error'), errors('not_found_error')]).toEqual([1, 1, undefined]);

    const everything = logs.text();
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.slice(-20));
    expect(everything).not.toContain(bearer);
    expect(everything).not.toContain(await g.adminToken());
    expect(everything).not.toContain(mock.apiKey);
    expect(everything).not.toContain('tangerine-walrus');
  });
});

describe('an unreachable upstream (sqlite)', () => {
  let gw: TestGateway | undefined;
  const logs = captureLogs();

  beforeAll(async () => {
    const closedPort = await freePort();
    gw = await startGateway({
      database: 'sqlite',
      env: { ANTHROPIC_API_KEY: 'sk-ant-unused-upstream-key', ANTHROPIC_UPSTREAM_URL: `http://127.0.0.1:${closedPort}`, LOG_LEVEL: 'info' },
      logDestination: logs.stream,
    });
  });
  afterAll(() => gw?.close());

  test('is logged and counted as upstream_unreachable, outside the requests counter', async () => {
    const g = gw!;
    const { key } = await g.createKey('dev@example.com');
    expect(await status(post(g, '/v1/messages', { 'x-api-key': key }, { messages: [{ role: 'user', content: PROMPT }] }))).toBe(502);
    expect(await status(fetch(`${g.url}/v1/models`, { headers: { 'x-api-key': key } }))).toBe(502);
    const metrics = await scrape(g);

    const upstreamErrors = logs.lines().filter((line) => line.msg === 'upstream error');
    expect(upstreamErrors).toEqual([
      expect.objectContaining({ endpoint: 'anthropic', request_id: expect.stringMatching(/^req_ccag_/), model: MODEL, status: 502, error_type: 'upstream_unreachable' }),
      expect.objectContaining({ endpoint: 'anthropic', request_id: null, model: null, status: 502, error_type: 'upstream_unreachable', message: expect.any(String) }),
    ]);
    const endpointId = upstreamErrors[0]!.endpoint_id as string;
    expect(sampleValue(metrics, `ccag_errors_total{error_type="upstream_unreachable",endpoint_id="${endpointId}"}`)).toBe(2);
    expect(metrics).not.toContain('ccag_requests_total{');
    expect(logs.lines().filter((line) => line.msg === 'completed')).toEqual([]);
    expect(logs.text()).not.toContain(key);
    expect(logs.text()).not.toContain('sk-ant-unused-upstream-key');
    expect(logs.text()).not.toContain('tangerine-walrus');
  });
});
