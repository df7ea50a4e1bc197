/**
 * Browser single sign-on over HTTP against a real OIDC provider (oidc-provider), on SQLite and
 * PostgreSQL: authorization code + PKCE into a gateway session, group → team and admin mapping,
 * and every refusal the sign-in rules make.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { Browser } from '../support/browser.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';

describe.each(['sqlite', 'postgres'] as const)('OIDC browser sign-in (%s)', (database) => {
  let idp: TestIdp;
  let gw: TestGateway | undefined;
  let idpId: string;
  let engTeam: string;

  beforeAll(async () => {
    idp = await startOidcIdp();
    gw = await startGateway({ database });
    if (!gw) return;
    await idp.setRedirectUris([`${gw.url}/auth/oidc/callback`]);
    engTeam = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'engineering' })).body.id;
    const created = await gw.admin<{ id: string; redirect_uri: string }>('POST', '/idps', {
      name: 'corp',
      display_name: 'Corp SSO',
      issuer: idp.issuer,
      client_id: IDP_CLIENT_ID,
      client_secret: IDP_CLIENT_SECRET,
      group_teams: { eng: engTeam },
      admin_groups: ['ccag-admins'],
    });
    expect(created.status).toBe(201);
    expect(created.body.redirect_uri).toBe(`${gw.url}/auth/oidc/callback`);
    idpId = created.body.id;
  });

  afterAll(async () => {
    await gw?.close();
    await idp?.close();
  });

  const loginUrl = (returnTo?: string) => `${gw!.url}/auth/oidc/corp/login${returnTo === undefined ? '' : `?return_to=${encodeURIComponent(returnTo)}`}`;
  const callbackHop = (hops: Array<{ url: string; location: string | null }>) => hops.find((hop) => hop.url.startsWith(`${gw!.url}/auth/oidc/callback`))!;

  async function signIn(account: string, claims: Record<string, unknown>, returnTo?: string) {
    idp.setAccount(account, claims);
    const browser = new Browser();
    const result = await browser.navigate(loginUrl(returnTo), account);
    return { browser, ...result };
  }

  async function sessionOf(browser: Browser) {
    const response = await browser.fetch(`${gw!.url}/auth/session`);
    return { status: response.status, body: (await response.json()) as { csrf_token: string; expires_at: string; user: { id: string; email: string; role: string } } };
  }

  /** The admin API as the portal calls it: with the browser's session cookie, never a token. */
  const asBrowser = (browser: Browser, path: string) => browser.fetch(`${gw!.url}/admin${path}`);

  test('lists the enabled identity providers with their login URLs', async (ctx) => {
    if (!gw) return ctx.skip();
    const body = (await (await fetch(`${gw.url}/auth/providers`)).json()) as { data: unknown[] };
    expect(body.data).toEqual([{ name: 'corp', display_name: 'Corp SSO', login_url: `${gw.url}/auth/oidc/corp/login` }]);
  });

  test('authorization code + PKCE ends in a gateway session; groups set the team; a member is kept out of admin routes', async (ctx) => {
    if (!gw) return ctx.skip();
    const { browser, hops } = await signIn('alice', { email: 'Alice@Example.com', name: 'Alice', groups: ['eng'] }, '/portal/keys?tab=mine');
    const toIdp = new URL(hops[0]!.location!);
    expect(toIdp.origin).toBe(idp.issuer);
    expect(toIdp.searchParams.get('code_challenge_method')).toBe('S256');
    expect(toIdp.searchParams.get('redirect_uri')).toBe(`${gw.url}/auth/oidc/callback`);
    expect(toIdp.searchParams.get('nonce')).toBeTruthy();
    expect(callbackHop(hops).location).toBe('/portal/keys?tab=mine');

    const session = await sessionOf(browser);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ email: 'alice@example.com', role: 'member' });
    expect(session.body).not.toHaveProperty('token');
    const me = await asBrowser(browser, '/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'alice@example.com', role: 'member' });
    expect((await asBrowser(browser, '/users')).status).toBe(403);

    const row = await gw.store.db.selectFrom('users').selectAll().where('email', '=', 'alice@example.com').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ team_id: engTeam, idp_id: idpId, role: 'member', display_name: 'Alice', password_hash: null });
  });

  test('membership of an admin group makes an admin; leaving it demotes at the next sign-in', async (ctx) => {
    if (!gw) return ctx.skip();
    const first = await signIn('bob', { email: 'bob@example.com', groups: ['ccag-admins'] });
    const admin = await sessionOf(first.browser);
    expect(admin.body.user.role).toBe('admin');
    expect((await asBrowser(first.browser, '/users')).status).toBe(200);

    const second = await signIn('bob', { email: 'bob@example.com', groups: [] });
    expect((await sessionOf(second.browser)).body.user.role).toBe('member');
  });

  test('claims a thin ID token leaves out (email) are read from userinfo', async (ctx) => {
    if (!gw) return ctx.skip();
    const thin = await startOidcIdp({ thinIdTokens: true });
    try {
      await thin.setRedirectUris([`${gw.url}/auth/oidc/callback`]);
      const created = await gw.admin('POST', '/idps', { name: 'thin', issuer: thin.issuer, client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET, group_teams: { eng: engTeam } });
      expect(created.status).toBe(201);
      thin.setAccount('tina', { email: 'tina@example.com', groups: ['eng'] });
      const browser = new Browser();
      await browser.navigate(`${gw.url}/auth/oidc/thin/login`, 'tina');
      expect((await sessionOf(browser)).body.user.email).toBe('tina@example.com');
      expect(await gw.store.db.selectFrom('users').select('team_id').where('email', '=', 'tina@example.com').executeTakeFirst()).toEqual({ team_id: engTeam });
    } finally {
      await gw.admin('DELETE', '/idps/thin');
      await thin.close();
    }
  });

  test('the bootstrap admin (a local password) is never demoted by groups', async (ctx) => {
    if (!gw) return ctx.skip();
    const { browser } = await signIn('root', { email: gw.adminUsername, groups: [] });
    expect((await sessionOf(browser)).body.user).toMatchObject({ email: gw.adminUsername, role: 'admin' });
  });

  test('allowed domains refuse other domains with a page that says why', async (ctx) => {
    if (!gw) return ctx.skip();
    expect((await gw.admin('PATCH', '/idps/corp', { allowed_domains: ['example.com'] })).status).toBe(200);
    try {
      const { response, browser } = await signIn('mallory', { email: 'mallory@elsewhere.org' });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('email domain');
      expect(browser.cookie(gw.url, 'ccag_session')).toBeUndefined();
      expect(await gw.store.db.selectFrom('users').select('id').where('email', '=', 'mallory@elsewhere.org').executeTakeFirst()).toBeUndefined();
    } finally {
      await gw.admin('PATCH', '/idps/corp', { allowed_domains: [] });
    }
  });

  test('with auto-provisioning off, unknown users are refused and known ones still sign in', async (ctx) => {
    if (!gw) return ctx.skip();
    await gw.admin('PATCH', '/idps/corp', { auto_provision: false });
    try {
      const stranger = await signIn('newcomer', { email: 'newcomer@example.com' });
      expect(stranger.response.status).toBe(403);
      expect(await stranger.response.text()).toContain('not provisioned');
      const known = await signIn('alice', { email: 'alice@example.com', groups: ['eng'] });
      expect((await sessionOf(known.browser)).status).toBe(200);
    } finally {
      await gw.admin('PATCH', '/idps/corp', { auto_provision: true });
    }
  });

  test('a SCIM-enabled provider signs in only the users its SCIM client provisioned', async (ctx) => {
    if (!gw) return ctx.skip();
    const setScim = async (on: boolean) => {
      await gw!.store.db.updateTable('identity_providers').set({ scim_enabled: on ? 1 : 0, updated_at: Date.now() }).where('id', '=', idpId).execute();
      // Any admin change reloads the provider registry from the database at once.
      await gw!.admin('PATCH', '/idps/corp', { display_name: 'Corp SSO' });
    };
    await setScim(true);
    try {
      const unknown = await signIn('carol', { email: 'carol@example.com' });
      expect(unknown.response.status).toBe(403);
      expect(await unknown.response.text()).toContain('not provisioned');
      const notFromScim = await signIn('alice', { email: 'alice@example.com' });
      expect(notFromScim.response.status).toBe(403);

      await gw.store.db.updateTable('users').set({ scim_idp_id: idpId, updated_at: Date.now() }).where('email', '=', 'alice@example.com').execute();
      const provisioned = await signIn('alice', { email: 'alice@example.com' });
      expect((await sessionOf(provisioned.browser)).body.user.email).toBe('alice@example.com');
    } finally {
      await setScim(false);
    }
  });

  test('a callback whose state does not match the pending sign-in is refused', async (ctx) => {
    if (!gw) return ctx.skip();
    const browser = new Browser();
    const started = await browser.fetch(loginUrl());
    expect(started.status).toBe(302);
    const state = new URL(started.headers.get('location')!).searchParams.get('state');
    const forged = await browser.fetch(`${gw.url}/auth/oidc/callback?code=stolen&state=not-${state}`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Start signing in again');
    // Without the pending-login cookie (another browser) the real state is refused too.
    const elsewhere = await new Browser().fetch(`${gw.url}/auth/oidc/callback?code=stolen&state=${state}`);
    expect(elsewhere.status).toBe(400);
    expect(browser.cookie(gw.url, 'ccag_session')).toBeUndefined();
  });

  test('the device verification page link keeps its user code through sign-in', async (ctx) => {
    if (!gw) return ctx.skip();
    idp.setAccount('alice', { email: 'alice@example.com' });
    // The device flow's page links with the return path unencoded in the query.
    const { hops } = await new Browser().navigate(`${gw.url}/auth/oidc/corp/login?return_to=/oauth/device?user_code=BCDF-GHJK`, 'alice');
    expect(callbackHop(hops).location).toBe('/oauth/device?user_code=BCDF-GHJK');
  });

  test('return_to pointing at another origin is ignored', async (ctx) => {
    if (!gw) return ctx.skip();
    for (const target of ['https://evil.example/x', '//evil.example/x', '/\\evil.example/x']) {
      const { hops } = await signIn('alice', { email: 'alice@example.com' }, target);
      expect(callbackHop(hops).location).toBe('/');
    }
  });

  test('logout ends the session and clears the cookie', async (ctx) => {
    if (!gw) return ctx.skip();
    const { browser } = await signIn('alice', { email: 'alice@example.com' });
    const { csrf_token: csrf } = (await sessionOf(browser)).body;
    const cookie = browser.cookie(gw.url, 'ccag_session')!;
    // Without the CSRF header another site could sign the visitor out.
    expect((await browser.fetch(`${gw.url}/auth/logout`, { method: 'POST' })).status).toBe(403);
    expect((await browser.fetch(`${gw.url}/auth/logout`, { method: 'POST', headers: { 'x-ccag-csrf': csrf } })).status).toBe(204);
    expect(browser.cookie(gw.url, 'ccag_session')).toBeUndefined();
    expect((await sessionOf(browser)).status).toBe(401);
    expect((await fetch(`${gw.url}/admin/me`, { headers: { cookie: `ccag_session=${cookie}` } })).status).toBe(401);
  });

  test('an unknown provider name gets a 404 page', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await fetch(`${gw.url}/auth/oidc/nobody/login`, { redirect: 'manual' });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('no identity provider named');
  });
});
