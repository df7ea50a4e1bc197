/**
 * The whole life of a provisioned person, across every credential they can hold, on SQLite and
 * PostgreSQL: the IdP's SCIM client creates them, they sign in through the IdP in a browser, get
 * a key of their own, sign Claude Code in with the device flow and present an IdP JWT; then the
 * IdP deactivates them over SCIM and every one of those credentials stops working — here at once,
 * on a second replica within 5 seconds — and signing in again is refused.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Browser } from '../support/browser.js';
import { authorizeDevice, pollToken, postForm } from '../support/device-flow.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';

const MODEL = 'claude-haiku-4-5-20251001';
const EMAIL = 'carol@example.com';

describe.each(['sqlite', 'postgres'] as const)('SCIM-provisioned user from creation to deactivation (%s)', (database) => {
  let mock: MockAnthropic;
  let idp: TestIdp;
  let gw: TestGateway | undefined;
  let scimToken: string;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    idp = await startOidcIdp();
    gw = await startGateway({ database, keepDatabase: true, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    await idp.setRedirectUris([`${gw.url}/auth/oidc/callback`]);
    const created = await gw.admin('POST', '/idps', { name: 'corp', display_name: 'Corp SSO', issuer: idp.issuer, client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET });
    expect(created.status).toBe(201);
    expect((await gw.admin('POST', '/idps/corp/scim/enable')).status).toBe(200);
    scimToken = (await gw.admin<{ token: string }>('POST', '/idps/corp/scim/tokens')).body.token;
  });

  afterAll(async () => {
    await gw?.close();
    await gw?.database.drop();
    if (gw) rmSync(gw.dataDir, { recursive: true, force: true });
    await idp?.close();
    await mock?.close();
  });

  const scim = (method: string, path: string, body: unknown) =>
    fetch(`${gw!.url}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify(body),
    });

  /** Signs a browser in through the IdP; returns the browser and where the sign-in ended. */
  async function browserSignIn(): Promise<{ browser: Browser; status: number }> {
    idp.setAccount('carol', { email: EMAIL, email_verified: true, name: 'Carol' });
    const browser = new Browser(gw!.url);
    const { response } = await browser.navigate(`${gw!.url}/auth/oidc/corp/login`, 'carol');
    return { browser, status: response.status };
  }

  const messages = (url: string, headers: Record<string, string>) =>
    fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
      body: JSON.stringify({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });

  test('every credential works while provisioned and none survives SCIM deactivation', async (ctx) => {
    if (!gw) return ctx.skip();

    // With SCIM on, the IdP's provisioning decides who exists: an unknown person is turned away.
    const early = await browserSignIn();
    expect(early.status).toBe(403);
    expect(await gw.store.db.selectFrom('users').select('id').where('email', '=', EMAIL).executeTakeFirst()).toBeUndefined();

    const provisioned = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: EMAIL,
      name: { givenName: 'Carol', familyName: 'Doe' },
      active: true,
      externalId: '00u-carol',
    });
    expect(provisioned.status).toBe(201);
    const scimUser = (await provisioned.json()) as { id: string };

    // 1. A browser session, through the IdP.
    const { browser, status } = await browserSignIn();
    expect(status).toBeLessThan(400);
    const session = (await (await browser.fetch(`${gw.url}/auth/session`)).json()) as { csrf_token: string; user: { id: string; role: string } };
    expect(session.user).toMatchObject({ id: scimUser.id, role: 'member' });
    // The portal's way in: the session cookie, with the CSRF header on writes.
    const sessionHeaders = { cookie: `ccag_session=${browser.cookie(gw.url, 'ccag_session')}` };
    expect((await fetch(`${gw.url}/admin/me`, { headers: sessionHeaders })).status).toBe(200);

    // 2. A key of their own, made with that session (member self-service).
    const keyAnswer = await fetch(`${gw.url}/admin/keys`, {
      method: 'POST',
      headers: { ...sessionHeaders, 'x-ccag-csrf': session.csrf_token, 'content-type': 'application/json' },
      body: '{"name":"laptop"}',
    });
    expect(keyAnswer.status).toBe(201);
    const { key } = (await keyAnswer.json()) as { key: string };

    // 3. Claude Code's device sign-in, approved in the same (already signed-in) browser.
    const device = await authorizeDevice(gw.url);
    await browser.get(`/oauth/device?user_code=${device.user_code}`);
    const approval = await browser.post('/oauth/device', { action: 'code', user_code: device.user_code });
    expect(approval.html).toContain(`as <strong>${EMAIL}</strong>?`);
    expect((await browser.post('/oauth/device', { action: 'approve', user_code: device.user_code })).status).toBe(200);
    const tokens = (await pollToken(gw.url, device.device_code)).body as { access_token: string; refresh_token: string };
    expect(tokens.access_token).toMatch(/^ccag-at-/);

    // 4. An IdP-issued JWT.
    const jwt = await idp.signJwt({ sub: 'carol-sub', email: EMAIL, email_verified: true });

    const credentials: Record<string, Record<string, string>> = {
      key: { 'x-api-key': key },
      device_token: { authorization: `Bearer ${tokens.access_token}` },
      idp_jwt: { authorization: `Bearer ${jwt}` },
    };
    const replica = await startGateway({
      database,
      existing: { database: gw.database, dataDir: gw.dataDir },
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url },
    });
    try {
      for (const [name, headers] of Object.entries(credentials)) {
        expect({ name, here: (await messages(gw.url, headers)).status, replica: (await messages(replica!.url, headers)).status }).toEqual({ name, here: 200, replica: 200 });
      }

      // Entra ID's form: capitalised op, a path, and the boolean as a string.
      const deactivated = await scim('PATCH', `/Users/${scimUser.id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      });
      expect(deactivated.status).toBe(200);

      // At once on the replica that applied it.
      for (const [name, headers] of Object.entries(credentials)) {
        const refused = await messages(gw.url, headers);
        expect({ name, status: refused.status, retry: refused.headers.get('x-should-retry') }).toEqual({ name, status: 401, retry: 'false' });
      }
      expect((await fetch(`${gw.url}/admin/me`, { headers: sessionHeaders })).status).toBe(401);
      const refresh = await postForm(`${gw.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      expect(refresh).toMatchObject({ status: 401, body: { error: 'invalid_grant' } });
      expect((await browserSignIn()).status).toBe(403);

      // Within 5 seconds on the other replica, for every credential.
      const started = Date.now();
      const stillWorking = async () => {
        const working: string[] = [];
        for (const [name, headers] of Object.entries(credentials)) if ((await messages(replica!.url, headers)).status !== 401) working.push(name);
        return working;
      };
      let working = await stillWorking();
      while (working.length > 0 && Date.now() - started < 5000) {
        await sleep(100);
        working = await stillWorking();
      }
      expect(working).toEqual([]);
    } finally {
      await replica?.close();
    }
  });
});
