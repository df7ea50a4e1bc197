/**
 * IdP-issued JWTs as bearer tokens on the data plane, on SQLite and PostgreSQL: the Anthropic SDK
 * with `authToken` through CCAG to the mock Anthropic API, JWKS rotation, the refusals, and a
 * deactivation reaching this and another replica.
 */
import { rmSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { IDP_CLIENT_ID, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';

const MODEL = 'claude-haiku-4-5-20251001';
const AUDIENCE = 'api://ccag';

describe.each(['sqlite', 'postgres'] as const)('IdP JWTs on the data plane (%s)', (database) => {
  let mock: MockAnthropic;
  let idp: TestIdp;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    idp = await startOidcIdp();
    gw = await startGateway({ database, keepDatabase: true, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    const created = await gw.admin('POST', '/idps', { name: 'corp', issuer: idp.issuer, client_id: IDP_CLIENT_ID, audience: AUDIENCE });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await gw?.close();
    await gw?.database.drop();
    if (gw) rmSync(gw.dataDir, { recursive: true, force: true });
    await idp?.close();
    await mock?.close();
  });

  const token = (email: string, options: Parameters<TestIdp['signJwt']>[1] = {}) => idp.signJwt({ sub: `sub-${email}`, email }, { audience: AUDIENCE, ...options });

  const call = (url: string, bearer: string) =>
    fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });

  test('the Anthropic SDK with an IdP token as authToken: answered, billed to the (auto-provisioned) user', async (ctx) => {
    if (!gw) return ctx.skip();
    const client = new Anthropic({ authToken: await token('sdk@example.com'), apiKey: null, baseURL: gw.url, maxRetries: 0 });
    const { data, response } = await client.messages.create({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.content[0]).toEqual({ type: 'text', text: 'Hello from the mock.' });
    const user = await gw.store.db.selectFrom('users').selectAll().where('email', '=', 'sdk@example.com').executeTakeFirstOrThrow();
    const requestId = response.headers.get('x-ccag-request-id')!;
    let row;
    for (let i = 0; i < 200 && !row; i++) {
      row = await gw.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId).executeTakeFirst();
      if (!row) await sleep(25);
    }
    expect(row).toMatchObject({ user_id: user.id, key_prefix: null });
    expect(JSON.stringify(mock.requests.at(-1)!.headers)).not.toContain('eyJ');
  });

  test('after a key rotation, tokens signed with the new key are accepted', async (ctx) => {
    if (!gw) return ctx.skip();
    expect((await call(gw.url, await token('rotate@example.com'))).status).toBe(200);
    await idp.rotateKeys();
    // jose refetches a JWKS for an unknown key id at most once a second.
    await sleep(1100);
    expect((await call(gw.url, await token('rotate@example.com'))).status).toBe(200);
  });

  test('expired, wrong-audience, wrong-issuer and tampered tokens get 401 without a retry hint', async (ctx) => {
    if (!gw) return ctx.skip();
    const refused = [
      await token('bad@example.com', { expiresIn: -120 }),
      await token('bad@example.com', { audience: 'someone-else' }),
      await token('bad@example.com', { issuer: 'https://unknown-idp.example' }),
      (await token('bad@example.com')).replace(/\.[^.]+$/, '.AAAA'),
    ];
    for (const bearer of refused) {
      const response = await call(gw.url, bearer);
      expect(response.status).toBe(401);
      expect(response.headers.get('x-should-retry')).toBe('false');
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    }
    expect(await gw.store.db.selectFrom('users').select('id').where('email', '=', 'bad@example.com').executeTakeFirst()).toBeUndefined();
  });

  test('a deactivated user is refused at once here and within seconds on another replica', async (ctx) => {
    if (!gw) return ctx.skip();
    const replica = await startGateway({
      database,
      existing: { database: gw.database, dataDir: gw.dataDir },
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url },
    });
    try {
      const bearer = await token('leaver@example.com');
      expect((await call(gw.url, bearer)).status).toBe(200);
      expect((await call(replica!.url, bearer)).status).toBe(200);
      const user = await gw.store.db.selectFrom('users').select('id').where('email', '=', 'leaver@example.com').executeTakeFirstOrThrow();
      expect((await gw.admin('PATCH', `/users/${user.id}`, { status: 'deactivated' })).status).toBe(200);

      expect((await call(gw.url, bearer)).status).toBe(401);
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 5000) {
        await sleep(100);
        status = (await call(replica!.url, bearer)).status;
      }
      expect(status).toBe(401);
      // A fresh token of the same user is refused too: the sign-in rules see the deactivation.
      expect((await call(replica!.url, await token('leaver@example.com'))).status).toBe(401);
    } finally {
      await replica?.close();
    }
  });
});
