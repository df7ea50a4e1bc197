/**
 * Virtual keys (expiry, revocation) and the gateway's own errors, over HTTP, on both databases.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';

const MODEL = 'claude-haiku-4-5-20251001';

describe.each(['sqlite', 'postgres'] as const)('keys and gateway errors (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({
      database,
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_MAX_BODY_BYTES: '65536' },
    });
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const call = (headers: Record<string, string>, body: string | object = { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) =>
    fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function expectError(response: Response, status: number, type: string) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe(type);
    return body.error.message;
  }

  test('missing, unknown and malformed credentials get 401 authentication_error without a retry hint', async (ctx) => {
    if (!gw) return ctx.skip();
    const missing = await call({});
    expect(missing.headers.get('x-should-retry')).toBe('false');
    await expectError(missing, 401, 'authentication_error');
    await expectError(await call({ 'x-api-key': `sk-ccag-${'0'.repeat(64)}` }), 401, 'authentication_error');
    await expectError(await call({ authorization: 'Bearer nonsense' }), 401, 'authentication_error');
  });

  test('x-api-key and Authorization: Bearer both work, also together', async (ctx) => {
    if (!gw) return ctx.skip();
    const { key } = await gw.createKey('both@example.com');
    expect((await call({ 'x-api-key': key })).status).toBe(200);
    expect((await call({ authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await call({ 'x-api-key': 'sk-ant-something-else', authorization: `Bearer ${key}` })).status).toBe(200);
  });

  test('a key stops working the moment it expires', async (ctx) => {
    if (!gw) return ctx.skip();
    const { key } = await gw.createKey('expiring@example.com', { expires_at: new Date(Date.now() + 1500).toISOString() });
    expect((await call({ 'x-api-key': key })).status).toBe(200);
    await sleep(1600);
    await expectError(await call({ 'x-api-key': key }), 401, 'authentication_error');
    const listed = await gw.admin<{ data: Array<{ prefix: string; status: string }> }>('GET', '/keys?user_email=expiring@example.com');
    expect(listed.body.data.map((k) => k.status)).toEqual(['expired']);
  });

  test('revocation is effective at once; the plaintext is never listed', async (ctx) => {
    if (!gw) return ctx.skip();
    const created = await gw.createKey('revoked@example.com', { name: 'ci' });
    expect((await call({ 'x-api-key': created.key })).status).toBe(200);
    const revoked = await gw.admin<{ status: string }>('POST', `/keys/${created.id}/revoke`);
    expect(revoked.body.status).toBe('revoked');
    await expectError(await call({ 'x-api-key': created.key }), 401, 'authentication_error');
    const listed = await gw.admin<{ data: unknown[] }>('GET', '/keys?include_revoked=true');
    expect(JSON.stringify(listed.body)).not.toContain(created.key);
    expect(JSON.stringify(listed.body)).not.toContain('key_hash');
  });

  test('a key revoked through another replica stops working within seconds', async (ctx) => {
    if (!gw) return ctx.skip();
    const created = await gw.createKey('other-replica@example.com');
    expect((await call({ 'x-api-key': created.key })).status).toBe(200);
    // Another replica writes the revocation straight to the shared database.
    await gw.store.db.updateTable('api_keys').set({ status: 'revoked', revoked_at: Date.now(), updated_at: Date.now() }).where('id', '=', created.id).execute();
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      await sleep(100);
      status = (await call({ 'x-api-key': created.key })).status;
    }
    expect(status).toBe(401);
  });

  test('malformed JSON is 400, an oversized body 413, a missing model 400 — all Anthropic-shaped', async (ctx) => {
    if (!gw) return ctx.skip();
    const { key } = await gw.createKey('errors@example.com');
    const before = mock.requests.length;
    await expectError(await call({ 'x-api-key': key }, '{"model": "x",'), 400, 'invalid_request_error');
    await expectError(await call({ 'x-api-key': key }, { max_tokens: 5, messages: [] }), 400, 'invalid_request_error');
    const huge = { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x'.repeat(70_000) }] };
    await expectError(await call({ 'x-api-key': key }, huge), 413, 'request_too_large');
    expect(mock.requests.length).toBe(before);
  });

  test('HEAD /, /health and /health/deep', async (ctx) => {
    if (!gw) return ctx.skip();
    expect((await fetch(`${gw.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect(await (await fetch(`${gw.url}/health`)).json()).toEqual({ status: 'ok' });
    const deep = await fetch(`${gw.url}/health/deep`);
    expect(deep.status).toBe(200);
    expect(await deep.json()).toMatchObject({ status: 'ok', database: { ok: true }, endpoints: [{ kind: 'anthropic', ok: true }] });
  });

  test('unknown routes answer 404 in Anthropic shape', async (ctx) => {
    if (!gw) return ctx.skip();
    await expectError(await fetch(`${gw.url}/v1/nothing-here`), 404, 'not_found_error');
  });
});
