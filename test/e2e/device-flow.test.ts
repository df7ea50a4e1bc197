/**
 * Claude Code's sign-in to CCAG (spec §13), over HTTP exactly as the client drives it, on SQLite
 * and PostgreSQL: discovery, device authorization, the verification page in a browser with
 * cookies, token polling, the access token on every data-plane endpoint (Anthropic SDK and the
 * real Claude Code CLI), refresh with rotation, revocation, deprovisioning across replicas, and
 * signing in on the verification page through an OIDC identity provider.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashPassword } from '../../src/identity/passwords.js';
import { runClaudeCode } from '../support/claude-code.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';
import { sleep } from '../support/mock-script.js';
import { Browser } from '../support/browser.js';
import { approveWithPassword, authorizeDevice, DEVICE_GRANT, pollToken, postForm } from '../support/device-flow.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const ADMIN = { username: ADMIN_USERNAME, password: ADMIN_PASSWORD };

interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  email: string;
}

describe.each(['sqlite', 'postgres'] as const)('device sign-in for Claude Code (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let base: string;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (gw) base = gw.url;
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  /** A whole sign-in: authorize, approve in the browser, one poll. */
  async function signIn(account = ADMIN): Promise<Tokens> {
    const device = await authorizeDevice(base);
    await approveWithPassword(base, device.user_code, account);
    const answer = await pollToken(base, device.device_code);
    expect(answer.status).toBe(200);
    return answer.body as unknown as Tokens;
  }

  const models = (token: string, url = base) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  const refresh = (refreshToken: string) => postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken });

  test('discovery names the device, token and revocation endpoints and no authorization endpoint', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await fetch(`${base}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: base,
      device_authorization_endpoint: `${base}/oauth/device_authorization`,
      token_endpoint: `${base}/oauth/token`,
      revocation_endpoint: `${base}/oauth/revoke`,
      grant_types_supported: [DEVICE_GRANT, 'refresh_token'],
    });
    expect(metadata).not.toHaveProperty('authorization_endpoint');
  });

  test('the whole flow as Claude Code drives it, then the bearer on every data-plane endpoint', async (ctx) => {
    if (!gw) return ctx.skip();
    const device = await authorizeDevice(base);
    expect(device.device_code.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    expect(device.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(device).toMatchObject({ verification_uri: `${base}/oauth/device`, verification_uri_complete: `${base}/oauth/device?user_code=${device.user_code}`, expires_in: 600, interval: 5 });
    const stored = await gw.store.db.selectFrom('oauth_device_codes').selectAll().where('user_code', '=', device.user_code.replace('-', '')).executeTakeFirstOrThrow();
    expect(stored.device_code_hash).not.toBe(device.device_code);
    expect(stored.client).toBe('Claude Code');

    expect(await pollToken(base, device.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
    expect(await pollToken(base, device.device_code)).toMatchObject({ status: 400, body: { error: 'slow_down' } });

    const browser = new Browser(base);
    const page = await browser.get(`/oauth/device?user_code=${device.user_code.toLowerCase()}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`value="${device.user_code}"`);
    expect(page.html).not.toContain('<script');
    expect((await browser.post('/oauth/device', { action: 'code', user_code: device.user_code.replace('-', '').toLowerCase() })).html).toContain('name="password"');
    const approval = await browser.post('/oauth/device', { action: 'password', user_code: device.user_code, ...ADMIN });
    expect(approval.html).toContain(`Approve sign-in of <strong>Claude Code</strong> as <strong>${ADMIN_USERNAME}</strong>?`);
    expect((await browser.post('/oauth/device', { action: 'approve', user_code: device.user_code })).html).toContain('Device approved');

    await sleep(5_000); // the interval, after the slow_down
    const answer = await pollToken(base, device.device_code);
    expect(answer.status).toBe(200);
    const tokens = answer.body as unknown as Tokens;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, email: ADMIN_USERNAME });
    expect(tokens.access_token).toMatch(/^ccag-at-[A-Za-z0-9_-]{43}$/);
    expect(tokens.refresh_token).toMatch(/^ccag-rt-[A-Za-z0-9_-]{43}$/);
    expect(await pollToken(base, device.device_code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const client = new Anthropic({ baseURL: base, authToken: tokens.access_token, apiKey: null, maxRetries: 0 });
    const { data, response } = await client.messages
      .create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi [[usage in=10 out=5]]' }] })
      .withResponse();
    expect(data.content[0]).toEqual({ type: 'text', text: 'Hello from the mock.' });
    expect(JSON.stringify(mock.requests.at(-1)!.headers)).not.toContain(tokens.access_token);
    const streamed = await client.messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'stream [[text streamed]]' }] }).finalMessage();
    expect(streamed.content[0]).toMatchObject({ type: 'text', text: 'streamed' });
    expect((await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'count me' }] })).input_tokens).toBeGreaterThan(0);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.length).toBeGreaterThan(0);

    const admin = await gw.store.db.selectFrom('users').select('id').where('email', '=', ADMIN_USERNAME).executeTakeFirstOrThrow();
    const requestId = response.headers.get('x-ccag-request-id')!;
    let row;
    for (let i = 0; i < 200 && !row; i++, await sleep(25)) {
      row = await gw.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    }
    expect(row).toMatchObject({ user_id: admin.id, key_id: null, input_tokens: 10, output_tokens: 5 });

    // An admin signed in this way may use the admin API with the same bearer.
    const users = await fetch(`${base}/admin/users`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(users.status).toBe(200);
  });

  test('the real Claude Code CLI works with the access token and no API key', async (ctx) => {
    if (!gw) return ctx.skip();
    const tokens = await signIn();
    const before = (await gw.store.db.selectFrom('spend_ledger').select('request_id').execute()).length;
    const result = await runClaudeCode('Say hello [[text Hello over OAuth.]] [[usage in=77 out=7]]', { ANTHROPIC_BASE_URL: base, ANTHROPIC_AUTH_TOKEN: tokens.access_token });
    expect(result.json, result.stderr + result.stdout).toMatchObject({ type: 'result', is_error: false, result: 'Hello over OAuth.' });
    const admin = await gw.store.db.selectFrom('users').select('id').where('email', '=', ADMIN_USERNAME).executeTakeFirstOrThrow();
    const rows = await gw.ledgerRows(before + 1);
    const answered = rows.find((r) => r.input_tokens === 77);
    expect(answered).toMatchObject({ user_id: admin.id, key_id: null, status: 200 });
  });

  test('refresh rotates the pair in place; replaying the old refresh token ends the grant', async (ctx) => {
    if (!gw) return ctx.skip();
    const first = await signIn();
    // The token endpoint takes JSON as well as forms.
    const response = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    });
    expect(response.status).toBe(200);
    const pair = (await response.json()) as Tokens;
    expect(pair).toMatchObject({ token_type: 'Bearer', email: ADMIN_USERNAME });
    expect(pair.access_token).not.toBe(first.access_token);
    expect(pair.refresh_token).not.toBe(first.refresh_token);
    expect((await models(pair.access_token)).status).toBe(200);
    expect((await models(first.access_token)).status).toBe(401);

    expect(await refresh(first.refresh_token)).toMatchObject({ status: 401, body: { error: 'invalid_grant' } });
    // Reuse means someone else holds a copy: the current pair stops as well.
    expect((await models(pair.access_token)).status).toBe(401);
    expect(await refresh(pair.refresh_token)).toMatchObject({ status: 401, body: { error: 'invalid_grant' } });
  });

  test('revocation by refresh token refuses the bearer with 401 and x-should-retry false', async (ctx) => {
    if (!gw) return ctx.skip();
    const tokens = await signIn();
    expect((await models(tokens.access_token)).status).toBe(200);
    expect((await postForm(`${base}/oauth/revoke`, { token: tokens.refresh_token, token_type_hint: 'refresh_token' })).status).toBe(200);
    const refused = await models(tokens.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(await refused.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(await refresh(tokens.refresh_token)).toMatchObject({ status: 401, body: { error: 'invalid_grant' } });
    expect((await postForm(`${base}/oauth/revoke`, { token: 'ccag-rt-unknown' })).status).toBe(200);

    const byAccess = await signIn();
    expect((await postForm(`${base}/oauth/revoke`, { token: byAccess.access_token })).status).toBe(200);
    expect((await models(byAccess.access_token)).status).toBe(401);
  });

  test('a deactivated member: refresh answers 401 invalid_grant, the bearer stops here at once and on a second replica within 5 s', async (ctx) => {
    if (!gw) return ctx.skip();
    const created = await gw.admin<{ id: string }>('POST', '/users', { email: 'dev@example.com', role: 'member' });
    expect(created.status).toBe(201);
    await gw.store.db.updateTable('users').set({ password_hash: await hashPassword('member-password') }).where('id', '=', created.body.id).execute();
    const replica = (await startGateway({ database, existing: { database: gw.database, dataDir: gw.dataDir }, env: gw.env }))!;
    try {
      const tokens = await signIn({ username: 'dev@example.com', password: 'member-password' });
      expect(tokens.email).toBe('dev@example.com');
      expect((await models(tokens.access_token)).status).toBe(200);
      const members = await fetch(`${base}/admin/users`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(members.status).toBe(403);
      const deadline = Date.now() + 5_000;
      while ((await models(tokens.access_token, replica.url)).status !== 200 && Date.now() < deadline) await sleep(100);
      expect((await models(tokens.access_token, replica.url)).status).toBe(200);

      expect((await gw.admin('POST', `/users/${created.body.id}/deactivate`)).status).toBe(200);
      expect((await models(tokens.access_token)).status).toBe(401);
      expect(await refresh(tokens.refresh_token)).toMatchObject({ status: 401, body: { error: 'invalid_grant' } });
      const stoppedBy = Date.now() + 5_000;
      let status = 200;
      while (Date.now() < stoppedBy && (status = (await models(tokens.access_token, replica.url)).status) === 200) await sleep(100);
      expect(status).toBe(401);
    } finally {
      await replica.close();
    }
  });

  test('a denied code answers access_denied; an expired one expired_token and the page says so', async (ctx) => {
    if (!gw) return ctx.skip();
    const denied = await authorizeDevice(base);
    expect(await approveWithPassword(base, denied.user_code, ADMIN, 'deny')).toContain('Sign-in denied');
    expect(await pollToken(base, denied.device_code)).toMatchObject({ status: 400, body: { error: 'access_denied' } });

    const expired = await authorizeDevice(base);
    await gw.store.db.updateTable('oauth_device_codes').set({ expires_at: Date.now() - 1 }).where('user_code', '=', expired.user_code.replace('-', '')).execute();
    expect(await pollToken(base, expired.device_code)).toMatchObject({ status: 400, body: { error: 'expired_token' } });
    const browser = new Browser(base);
    await browser.get('/oauth/device');
    const page = await browser.post('/oauth/device', { action: 'code', user_code: expired.user_code });
    expect(page.status).toBe(410);
    expect(page.html).toContain('That code has expired');
  });

  test('a form without the CSRF token is refused with 403', async (ctx) => {
    if (!gw) return ctx.skip();
    const device = await authorizeDevice(base);
    const browser = new Browser(base);
    await browser.get('/oauth/device');
    expect((await browser.post('/oauth/device', { action: 'code', user_code: device.user_code, csrf: '' })).status).toBe(403);
    expect((await browser.post('/oauth/device', { action: 'code', user_code: device.user_code, csrf: 'forged' })).status).toBe(403);
  });

  test('too many code submissions from one address get a 429 page', async (ctx) => {
    if (!gw) return ctx.skip();
    const browser = new Browser(base);
    await browser.get('/oauth/device');
    let last = { status: 0, html: '' };
    for (let i = 0; i < 12 && last.status !== 429; i++) last = await browser.post('/oauth/device', { action: 'code', user_code: 'BBBB-BBBB' });
    expect(last.status).toBe(429);
    expect(last.html).toContain('Too many attempts');
  });
});

describe.each(['sqlite', 'postgres'] as const)('device sign-in through an identity provider (%s)', (database) => {
  let idp: TestIdp;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    idp = await startOidcIdp();
    gw = await startGateway({ database });
    if (!gw) return;
    await idp.setRedirectUris([`${gw.url}/auth/oidc/callback`]);
    const created = await gw.admin('POST', '/idps', { name: 'corp', display_name: 'Corp SSO', issuer: idp.issuer, client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await gw?.close();
    await idp?.close();
  });

  test('the sign-in page links to the IdP, which comes back to the code; approving gives the IdP user tokens', async (ctx) => {
    if (!gw) return ctx.skip();
    const base = gw.url;
    const device = await authorizeDevice(base);
    const browser = new Browser();
    const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const post = (html: string, fields: Record<string, string>) =>
      browser.fetch(`${base}/oauth/device`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: csrfOf(html), ...fields }).toString(),
      });

    const codePage = await (await browser.fetch(`${base}/oauth/device?user_code=${device.user_code}`)).text();
    const choices = await (await post(codePage, { action: 'code', user_code: device.user_code })).text();
    const returnTo = encodeURIComponent(`/oauth/device?user_code=${device.user_code}`);
    const link = `${base}/auth/oidc/corp/login?return_to=${returnTo}`;
    expect(choices).toContain(`href="${link}">Sign in with Corp SSO</a>`);

    idp.setAccount('alice', { email: 'alice@example.com' });
    const back = await browser.navigate(link, 'alice');
    expect(back.url).toBe(`${base}/oauth/device?user_code=${device.user_code}`);
    const prefilled = await back.response.text();
    expect(prefilled).toContain(`value="${device.user_code}"`);
    const approval = await (await post(prefilled, { action: 'code', user_code: device.user_code })).text();
    expect(approval).toContain('Approve sign-in of <strong>Claude Code</strong> as <strong>alice@example.com</strong>?');
    expect((await post(approval, { action: 'approve', user_code: device.user_code })).status).toBe(200);

    const answer = await pollToken(base, device.device_code);
    expect(answer).toMatchObject({ status: 200, body: { email: 'alice@example.com', token_type: 'Bearer' } });
  });
});
