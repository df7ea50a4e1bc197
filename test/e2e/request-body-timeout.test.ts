/**
 * Regression (issue 13): a request body that never finished held its connection forever, with or
 * without a key, because the key was checked only after the body was read. Now the credential is
 * checked on the headers (a caller without one is refused before its body is read, and the
 * connection closes), and the whole request must arrive within CCAG_REQUEST_BODY_TIMEOUT_MS
 * (408 `request_timeout` in the surface's shape).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { firstResponse, rawConnection } from '../support/raw-http.js';

const TIMEOUT_MS = 1_000;
const BODY = JSON.stringify({ model: 'claude-haiku-4-5-20251001', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });

describe('slow and stalled request bodies (issue 13)', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key = '';

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_REQUEST_BODY_TIMEOUT_MS: String(TIMEOUT_MS) } });
    key = (await gw!.createKey('slow@example.com')).key;
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const head = (path: string, credential: string) =>
    `POST ${path} HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\n${credential}content-length: ${BODY.length}\r\n\r\n`;

  test('a request without a key is refused on its headers, before its body arrives, and the connection closes', async (ctx) => {
    if (!gw) return ctx.skip();
    const connection = await rawConnection(gw.url);
    connection.write(head('/v1/messages', ''));
    connection.write(BODY.slice(0, 10));
    const { text, closed, elapsedMs } = await connection.closed(TIMEOUT_MS / 2);
    expect(firstResponse(text)).toMatchObject({ status: 401, body: { type: 'error', error: { type: 'authentication_error' } } });
    expect(firstResponse(text).headers).toContain('connection: close');
    expect(closed).toBe(true);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS / 2);
  });

  test('a keyed request whose body stops answers 408 request_timeout in the Anthropic envelope and closes', async (ctx) => {
    if (!gw) return ctx.skip();
    const connection = await rawConnection(gw.url);
    connection.write(head('/v1/messages', `x-api-key: ${key}\r\n`));
    connection.write(BODY.slice(0, 10));
    const { text, closed, elapsedMs } = await connection.closed(TIMEOUT_MS * 5);
    expect(firstResponse(text)).toEqual({ status: 408, headers: expect.any(String), body: { type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('CCAG_REQUEST_BODY_TIMEOUT_MS') } } });
    expect(closed).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS * 3);
  });

  test('a body trickled a byte at a time past the limit is cut off the same way', async (ctx) => {
    if (!gw) return ctx.skip();
    const connection = await rawConnection(gw.url);
    connection.write(head('/v1/messages', `x-api-key: ${key}\r\n`));
    let sent = 0;
    const trickle = setInterval(() => sent < BODY.length - 1 && connection.write(BODY[sent++]!), 100);
    const { text, closed } = await connection.closed(TIMEOUT_MS * 5);
    clearInterval(trickle);
    expect(firstResponse(text).status).toBe(408);
    expect(closed).toBe(true);
  });

  test('headers that never finish are cut off too, and the admin API answers in its own shape', async (ctx) => {
    if (!gw) return ctx.skip();
    const stalledHeaders = await rawConnection(gw.url);
    stalledHeaders.write('POST /v1/messages HTTP/1.1\r\nhost: gateway\r\n');
    expect((await stalledHeaders.closed(TIMEOUT_MS * 5)).closed).toBe(true);

    const admin = await rawConnection(gw.url);
    admin.write(`POST /admin/teams HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer ${await gw.adminToken()}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"na`);
    const { text } = await admin.closed(TIMEOUT_MS * 5);
    expect(firstResponse(text)).toMatchObject({ status: 408, body: { error: { code: 'request_timeout' } } });
  });

  test('an idle kept-alive connection is not cut by the request timeout (Claude Code reuses it between turns)', async (ctx) => {
    if (!gw) return ctx.skip();
    const connection = await rawConnection(gw.url);
    connection.write('GET /health HTTP/1.1\r\nhost: gateway\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2.5));
    connection.write('GET /health HTTP/1.1\r\nhost: gateway\r\nconnection: close\r\n\r\n');
    const { text } = await connection.closed(TIMEOUT_MS * 5);
    expect(text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
  });

  test('a long streamed response is not cut by the request timeout', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-haiku-4-5-20251001', max_tokens: 5, stream: true, messages: [{ role: 'user', content: '[[chunks 6]] [[delay 400]] [[text abcdef]]' }] }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('message_stop');
  });
});
