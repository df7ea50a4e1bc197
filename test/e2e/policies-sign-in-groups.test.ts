/**
 * Fleet policies matched by the groups claim of an OIDC sign-in (no SCIM), on SQLite and
 * PostgreSQL, against a real OIDC provider (oidc-provider): an IdP JWT carrying a group gets that
 * group's managed settings and allowlist on its first request; the browser sign-in's ID token
 * records the groups the resolve API shows; a token without the claim keeps them, an empty claim
 * drops them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Browser } from '../support/browser.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';

const HAIKU = 'claude-haiku-4-5-20251001';
const OPUS = 'claude-opus-4-6';
const AUDIENCE = 'api://ccag';
const CONTRACTOR_SETTINGS = { env: { CONTRACTOR_MODE: '1' } };

interface Resolved {
  user: { groups: string[] };
  effective: { policies: { name: string }[] } | null;
}

describe.each(['sqlite', 'postgres'] as const)('policies by sign-in groups (%s)', (database) => {
  let mock: MockAnthropic;
  let idp: TestIdp;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    idp = await startOidcIdp();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    await idp.setRedirectUris([`${gw.url}/auth/oidc/callback`]);
    const created = await gw.admin('POST', '/idps', { name: 'corp', issuer: idp.issuer, client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET, audience: AUDIENCE });
    expect(created.status).toBe(201);
    const policy = await gw.admin('POST', '/policies', {
      name: 'Contractors',
      match: { groups: ['contractors'] },
      allowed_models: ['claude-haiku-4*'],
      default_model: 'claude-haiku-4-5',
      settings: CONTRACTOR_SETTINGS,
    });
    expect(policy.status).toBe(201);
  });

  afterAll(async () => {
    await gw?.close();
    await idp?.close();
    await mock?.close();
  });

  const jwt = (email: string, claims: Record<string, unknown> = {}) => idp.signJwt({ sub: `sub-${email}`, email, ...claims }, { audience: AUDIENCE });
  const managed = (bearer: string) => fetch(`${gw!.url}/managed/settings`, { headers: { authorization: `Bearer ${bearer}` } });
  const messages = (bearer: string, model: string) =>
    fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
  const resolved = async (email: string) => (await gw!.admin<Resolved>('GET', `/policies/resolve?user=${encodeURIComponent(email)}`)).body;

  test('an IdP JWT carrying the group gets the group\'s managed settings and allowlist on its first request', async (ctx) => {
    if (!gw) return ctx.skip();
    const bearer = await jwt('vendor@example.com', { groups: ['Contractors', 'everyone-else'] });
    const response = await managed(bearer);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { settings: unknown }).settings).toEqual({ ...CONTRACTOR_SETTINGS, model: 'claude-haiku-4-5' });

    const refused = await messages(bearer, OPUS);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('not allowed by policy "Contractors"');
    expect((await messages(bearer, HAIKU)).status).toBe(200);
    expect((await resolved('vendor@example.com')).user.groups.sort()).toEqual(['Contractors', 'everyone-else']);
  });

  test('a user whose token carries no such group gets no policy', async (ctx) => {
    if (!gw) return ctx.skip();
    const bearer = await jwt('staff@example.com', { groups: ['engineering'] });
    expect((await managed(bearer)).status).toBe(404);
    expect((await messages(bearer, OPUS)).status).toBe(200);
  });

  test('the browser sign-in records the ID token\'s groups; a later token without the claim keeps them, an empty claim drops them', async (ctx) => {
    if (!gw) return ctx.skip();
    idp.setAccount('browser-user', { email: 'browser@example.com', email_verified: true, groups: ['contractors'] });
    const browser = new Browser();
    await browser.navigate(`${gw.url}/auth/oidc/corp/login`, 'browser-user');
    expect((await browser.fetch(`${gw.url}/auth/session`)).status).toBe(200);
    expect(await resolved('browser@example.com')).toMatchObject({ user: { groups: ['contractors'] }, effective: { policies: [{ name: 'Contractors' }] } });

    expect((await managed(await jwt('browser@example.com'))).status).toBe(200);
    expect((await resolved('browser@example.com')).user.groups).toEqual(['contractors']);
    expect((await managed(await jwt('browser@example.com', { groups: [] }))).status).toBe(404);
    expect(await resolved('browser@example.com')).toMatchObject({ user: { groups: [] }, effective: null });
  });
});
