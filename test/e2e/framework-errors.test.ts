/**
 * Regression (issue 13): Fastify's own errors bypassed the renderers (`POST /v1/messages%ff`
 * answered `{"error":"Bad Request","code":"FST_ERR_BAD_URL"}`, a 101-character admin path segment
 * 414 `FST_ERR_MAX_PARAM_LENGTH`). Every framework and parser error is answered in the shape of
 * the surface it hit, and the size limits answer 413 and 431 clearly (docs/errors.md).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { firstResponse, rawConnection } from '../support/raw-http.js';

const MAX_BODY_BYTES = 65_536;
const MAX_HEADER_BYTES = 8_192;

describe('framework errors in each surface shape (issue 13)', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key = '';

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({
      database: 'sqlite',
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_MAX_BODY_BYTES: String(MAX_BODY_BYTES), CCAG_MAX_HEADER_BYTES: String(MAX_HEADER_BYTES) },
    });
    key = (await gw!.createKey('framework@example.com')).key;
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const anthropicError = (type: string) => ({ type: 'error', error: { type, message: expect.any(String) } });
  const adminError = (code: string) => ({ error: { code, message: expect.any(String) } });

  test('POST /v1/messages%ff answers 400 in the Anthropic envelope, not FST_ERR_BAD_URL', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await fetch(`${gw.url}/v1/messages%ff`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(anthropicError('invalid_request_error'));
  });

  test('a bad URL under /admin and /scim answers in their own shapes', async (ctx) => {
    if (!gw) return ctx.skip();
    const admin = await fetch(`${gw.url}/admin/users/%ff`);
    expect(admin.status).toBe(400);
    expect(await admin.json()).toEqual(adminError('invalid_request'));
    const scim = await fetch(`${gw.url}/scim/v2/Users/%ff`);
    expect(scim.status).toBe(400);
    expect(scim.headers.get('content-type')).toContain('application/scim+json');
    expect(await scim.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400' });
  });

  test('GET /admin/users/<101 characters> is routed (a long id is valid), and past the limit answers 414 in the admin shape', async (ctx) => {
    if (!gw) return ctx.skip();
    const token = await gw.adminToken();
    const long = await fetch(`${gw.url}/admin/users/${'a'.repeat(101)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(long.status).toBe(404);
    expect(await long.json()).toEqual(adminError('not_found'));
    const tooLong = await fetch(`${gw.url}/admin/users/${'a'.repeat(600)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(tooLong.status).toBe(414);
    expect(await tooLong.json()).toEqual(adminError('uri_too_long'));
  });

  test('a Bedrock path segment past the limit answers as an AWS error', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await fetch(`${gw.url}/model/${'m'.repeat(600)}/invoke`, { method: 'POST', headers: { 'x-api-key': key }, body: '{}' });
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(await response.json()).toEqual({ message: expect.stringContaining('too long') });
  });

  test('a body over CCAG_MAX_BODY_BYTES answers 413 request_too_large on the data plane and the admin API', async (ctx) => {
    if (!gw) return ctx.skip();
    const big = JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'x'.repeat(MAX_BODY_BYTES) }] });
    const data = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: big });
    expect(data.status).toBe(413);
    expect(await data.json()).toEqual(anthropicError('request_too_large'));
    const admin = await fetch(`${gw.url}/admin/teams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await gw.adminToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(admin.status).toBe(413);
    expect(await admin.json()).toEqual(adminError('request_too_large'));
  });

  test('malformed JSON and an unsupported content type on the admin API answer in the admin shape', async (ctx) => {
    if (!gw) return ctx.skip();
    const headers = { authorization: `Bearer ${await gw.adminToken()}` };
    const malformed = await fetch(`${gw.url}/admin/teams`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual(adminError('invalid_json'));
    const unsupported = await fetch(`${gw.url}/admin/teams`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-unknown' }, body: 'name' });
    expect(unsupported.status).toBe(415);
    expect(await unsupported.json()).toEqual(adminError('invalid_request'));
  });

  test('headers over CCAG_MAX_HEADER_BYTES answer 431 in the surface shape and close the connection', async (ctx) => {
    if (!gw) return ctx.skip();
    for (const [path, expected] of [['/v1/messages', anthropicError('invalid_request_error')], ['/admin/users', adminError('headers_too_large')]] as const) {
      const connection = await rawConnection(gw.url);
      connection.write(`POST ${path} HTTP/1.1\r\nhost: gateway\r\nx-api-key: ${key}\r\nx-padding: ${'p'.repeat(MAX_HEADER_BYTES)}\r\ncontent-length: 2\r\n\r\n{}`);
      const { text, closed } = await connection.closed();
      const response = firstResponse(text);
      expect(response.status).toBe(431);
      expect(response.body).toEqual(expected);
      expect(closed).toBe(true);
    }
  });
});
