/**
 * The authorization matrix (issue 13, security review): every route the gateway registers, read
 * from Fastify's route tree so a new route cannot escape, is called with every kind of credential
 * CCAG issues or accepts. Each route belongs to one class in the table below, and each class names
 * the credentials it admits: those must get past authentication and authorization (any answer but
 * 401/403), every other credential must be refused with 401 or 403. A route missing from the table,
 * or a table entry naming a route that no longer exists, fails the test.
 *
 * On SQLite only: who may call what is decided above the store, and the matrix is ~1,400 calls.
 */
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashPassword } from '../../src/identity/passwords.js';
import { approveWithPassword, authorizeDevice, pollToken } from '../support/device-flow.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { IDP_CLIENT_ID, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';
import { listRoutes } from '../support/route-list.js';

const CREDENTIALS = [
  'anonymous',
  'member session',
  'admin session',
  'admin bearer',
  'admin API key',
  'SCIM token',
  'scrape token',
  'virtual key',
  'device bearer',
  'IdP JWT',
] as const;
type Credential = (typeof CREDENTIALS)[number];

const ADMIN: Credential[] = ['admin session', 'admin bearer', 'admin API key'];
/** What each class of route admits; `anyone` routes are reachable without a credential by design. */
const CLASSES = {
  anyone: 'anyone',
  admin: ADMIN,
  /** Admin routes open to members for their own keys, usage, budgets and web search (access-policy.ts). */
  self: [...ADMIN, 'member session', 'device bearer'],
  browserSession: ['member session', 'admin session'],
  scim: ['SCIM token'],
  metrics: ['scrape token', 'admin bearer', 'admin API key'],
  dataPlane: ['virtual key', 'device bearer', 'IdP JWT'],
} as const satisfies Record<string, readonly Credential[] | 'anyone'>;
type RouteClass = keyof typeof CLASSES;

const TABLE: Record<RouteClass, string[]> = {
  anyone: [
    'GET /', 'HEAD /api/hello', 'GET /health', 'GET /health/deep',
    'POST /admin/login', 'GET /auth/providers', 'GET /auth/oidc/callback', 'GET /auth/oidc/:name/login', 'POST /auth/login', 'POST /auth/logout',
    'GET /portal', 'GET /portal/', 'GET /portal/*',
    'GET /.well-known/oauth-authorization-server', 'GET /oauth/device', 'POST /oauth/device', 'POST /oauth/device_authorization', 'POST /oauth/token', 'POST /oauth/revoke',
    'GET /scim/v2/ServiceProviderConfig', 'GET /scim/v2/Schemas', 'GET /scim/v2/ResourceTypes',
  ],
  browserSession: ['GET /auth/session'],
  self: [
    'POST /admin/logout', 'GET /admin/me', 'GET /admin/me/budgets',
    'GET /admin/me/web-search', 'PUT /admin/me/web-search', 'DELETE /admin/me/web-search', 'POST /admin/me/web-search/test',
    'GET /admin/keys', 'POST /admin/keys', 'DELETE /admin/keys/:id', 'POST /admin/keys/:id/revoke',
    'GET /admin/analytics/summary', 'GET /admin/analytics/timeseries', 'GET /admin/analytics/latency', 'GET /admin/analytics/heatmap',
    'GET /admin/analytics/tools', 'GET /admin/analytics/models', 'GET /admin/analytics/mcp-servers',
    // Tables by team, user and endpoint: a member's rows are only their own usage (analyticsScope).
    'GET /admin/analytics/teams', 'GET /admin/analytics/users', 'GET /admin/analytics/endpoints',
    'GET /admin/analytics/billing-groups', 'GET /admin/analytics/sessions', 'GET /admin/analytics/sessions/:id',
  ],
  admin: [
    'GET /admin/api-keys', 'POST /admin/api-keys', 'POST /admin/api-keys/:id/revoke',
    'GET /admin/analytics/anthropic-reconciliation',
    'GET /admin/users', 'POST /admin/users', 'GET /admin/users/:id', 'PATCH /admin/users/:id', 'DELETE /admin/users/:id',
    'POST /admin/users/:id/deactivate', 'POST /admin/users/:id/reactivate', 'POST /admin/users/:id/sessions/revoke',
    'GET /admin/teams', 'POST /admin/teams', 'GET /admin/teams/:id', 'PATCH /admin/teams/:id', 'DELETE /admin/teams/:id', 'PUT /admin/teams/:id/routing', 'DELETE /admin/teams/:id/routing',
    'GET /admin/endpoints', 'POST /admin/endpoints', 'GET /admin/endpoints/health', 'POST /admin/endpoints/validate', 'GET /admin/endpoints/stats',
    'GET /admin/endpoints/:id', 'PATCH /admin/endpoints/:id', 'DELETE /admin/endpoints/:id', 'POST /admin/endpoints/:id/default',
    'POST /admin/endpoints/:id/validate', 'GET /admin/endpoints/:id/models', 'GET /admin/endpoints/:id/quotas',
    'GET /admin/pricing', 'POST /admin/pricing/refresh', 'GET /admin/pricing/refresh', 'PUT /admin/pricing/:prefix',
    'GET /admin/policies', 'POST /admin/policies', 'GET /admin/policies/settings', 'PUT /admin/policies/settings', 'GET /admin/policies/resolve', 'GET /admin/policies/drift',
    'GET /admin/policies/:id', 'PATCH /admin/policies/:id', 'DELETE /admin/policies/:id', 'POST /admin/policies/:id/move',
    'GET /admin/rate-limits', 'PUT /admin/rate-limits/:scope/:id', 'DELETE /admin/rate-limits/:scope/:id',
    'GET /admin/routing', 'PUT /admin/routing/default', 'GET /admin/settings', 'PATCH /admin/settings', 'GET /admin/system',
    'GET /admin/idps', 'POST /admin/idps', 'GET /admin/idps/:id|:idp', 'PATCH /admin/idps/:id|:idp', 'DELETE /admin/idps/:id|:idp',
    'GET /admin/idps/:id|:idp/scim', 'POST /admin/idps/:id|:idp/scim/enable', 'POST /admin/idps/:id|:idp/scim/disable',
    'POST /admin/idps/:id|:idp/scim/tokens', 'DELETE /admin/idps/:id|:idp/scim/tokens/:id', 'PUT /admin/idps/:id|:idp/scim/admin-groups',
    'GET /admin/budgets', 'POST /admin/budgets', 'GET /admin/budgets/:id', 'PATCH /admin/budgets/:id', 'DELETE /admin/budgets/:id', 'GET /admin/budget-events',
    'GET /admin/notifications', 'PUT /admin/notifications/draft', 'DELETE /admin/notifications/draft', 'POST /admin/notifications/draft/test',
    'POST /admin/notifications/draft/activate', 'POST /admin/notifications/deactivate', 'POST /admin/notifications/deliver',
    'GET /admin/notifications/deliveries', 'GET /admin/notifications/events', 'POST /admin/notifications/events/:id/retry',
    'GET /admin/web-search', 'PUT /admin/web-search', 'POST /admin/web-search/test',
  ],
  scim: [
    'GET /scim/v2/Users', 'POST /scim/v2/Users', 'GET /scim/v2/Users/:id', 'PUT /scim/v2/Users/:id', 'PATCH /scim/v2/Users/:id', 'DELETE /scim/v2/Users/:id',
    'GET /scim/v2/Groups', 'POST /scim/v2/Groups', 'GET /scim/v2/Groups/:id', 'PUT /scim/v2/Groups/:id', 'PATCH /scim/v2/Groups/:id', 'DELETE /scim/v2/Groups/:id',
  ],
  metrics: ['GET /metrics'],
  dataPlane: [
    'POST /v1/messages', 'POST /v1/messages/count_tokens', 'GET /v1/models',
    'POST /model/:modelId/invoke', 'POST /model/:modelId/invoke-with-response-stream', 'POST /model/:modelId/count-tokens',
    'GET /inference-profiles', 'GET /inference-profiles/:id',
    'GET /managed/settings', 'GET /api/oauth/usage', 'POST /v1/metrics', 'POST /v1/logs', 'POST /v1/traces',
  ],
};

const MODEL = 'claude-haiku-4-5-20251001';
const AUDIENCE = 'api://ccag';
const MEMBER = { username: 'member@example.com', password: 'member-password-0123' };
const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
/** Routes that end the credential they are called with: called last, after everything else. */
const ENDS_SESSION = new Set(['POST /admin/logout', 'POST /auth/logout']);

/** A concrete URL for a route pattern: every parameter gets a value that names nothing real. */
function concreteUrl(path: string): string {
  return path
    .replace(/:modelId/g, MODEL)
    .replace(/:scope/g, 'user')
    .replace(/:(id|idp)(\|:(id|idp))?/g, randomUUID())
    .replace(/:[A-Za-z]+/g, 'matrix')
    .replace(/\*$/, 'index.html');
}

function bodyOf(route: string): Pick<InjectOptions, 'payload' | 'headers'> {
  const [method, path] = route.split(' ') as [string, string];
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return {};
  // A valid inference request, so that no refusal of the body can stand in for an authorization answer.
  if (path.startsWith('/v1/messages') || path.startsWith('/model/')) {
    return { payload: { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], anthropic_version: 'bedrock-2023-05-31' }, headers: { 'anthropic-version': '2023-06-01' } };
  }
  return { payload: {} };
}

describe('authorization matrix', () => {
  let gw: TestGateway | undefined;
  let idp: TestIdp;
  const presented = new Map<Credential, Record<string, string>>();

  async function browserSession(username: string, password: string): Promise<Record<string, string>> {
    const response = await gw!.app.fastify.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'ccag_session')!;
    // The session's own CSRF token: the matrix asks about roles, the CSRF check has its own tests.
    return { cookie: `ccag_session=${cookie.value}`, 'x-ccag-csrf': (response.json() as { csrf_token: string }).csrf_token };
  }

  beforeAll(async () => {
    idp = await startOidcIdp();
    gw = await startGateway({ database: 'sqlite', env: { CCAG_METRICS_TOKEN: SCRAPE_TOKEN } });
    if (!gw) return;
    expect((await gw.admin('POST', '/idps', { name: 'corp', issuer: idp.issuer, client_id: IDP_CLIENT_ID, audience: AUDIENCE })).status).toBe(201);
    expect((await gw.admin('POST', '/idps/corp/scim/enable')).status).toBe(200);
    const scim = await gw.admin<{ token: string }>('POST', '/idps/corp/scim/tokens');
    // Provisioned through SCIM, as the IdP with SCIM enabled requires for its JWTs to be accepted.
    const provisioned = await gw.app.fastify.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${scim.body.token}`, 'content-type': 'application/scim+json' },
      payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: MEMBER.username, active: true },
    });
    expect(provisioned.statusCode).toBe(201);
    // A local password besides, for the browser session and the device approval.
    await gw.store.db.updateTable('users').set({ password_hash: await hashPassword(MEMBER.password) }).where('email', '=', MEMBER.username).execute();
    const apiKey = await gw.admin<{ key: string }>('POST', '/api-keys', { name: 'matrix' });
    const virtualKey = await gw.createKey(MEMBER.username);
    const device = await authorizeDevice(gw.url);
    await approveWithPassword(gw.url, device.user_code, MEMBER);
    const deviceToken = (await pollToken(gw.url, device.device_code)).body.access_token as string;
    const jwt = await idp.signJwt({ sub: 'sub-member', email: MEMBER.username }, { audience: AUDIENCE });

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    presented.set('anonymous', {});
    presented.set('member session', await browserSession(MEMBER.username, MEMBER.password));
    presented.set('admin session', await browserSession(gw.adminUsername, gw.adminPassword));
    presented.set('admin bearer', bearer(await gw.adminToken()));
    presented.set('admin API key', bearer(apiKey.body.key));
    presented.set('SCIM token', bearer(scim.body.token));
    presented.set('scrape token', bearer(SCRAPE_TOKEN));
    // As Claude Code's apiKeyHelper sends it: in both headers.
    presented.set('virtual key', { ...bearer(virtualKey.key), 'x-api-key': virtualKey.key });
    presented.set('device bearer', bearer(deviceToken));
    presented.set('IdP JWT', bearer(jwt));
  });

  afterAll(async () => {
    await gw?.close();
    await idp?.close();
  });

  test('every registered route is in the table, and every table entry is a registered route', (ctx) => {
    if (!gw) return ctx.skip();
    const registered = listRoutes(gw.app.fastify);
    const tabled = Object.values(TABLE).flat();
    expect(registered.filter((route) => !tabled.includes(route)), 'routes missing from the matrix').toEqual([]);
    expect(tabled.filter((route) => !registered.includes(route)), 'table entries for routes that do not exist').toEqual([]);
    expect(new Set(tabled).size, 'a route in two classes').toBe(tabled.length);
  });

  test('each credential reaches exactly the classes of routes that admit it', async (ctx) => {
    if (!gw) return ctx.skip();
    const routes = Object.entries(TABLE)
      .flatMap(([routeClass, list]) => list.map((route) => ({ route, routeClass: routeClass as RouteClass })))
      .sort((a, b) => Number(ENDS_SESSION.has(a.route)) - Number(ENDS_SESSION.has(b.route)));
    const wrong: string[] = [];
    let cells = 0;
    for (const { route, routeClass } of routes) {
      const admitted = CLASSES[routeClass];
      if (admitted === 'anyone') continue;
      const [method, path] = route.split(' ') as [InjectOptions['method'], string];
      for (const credential of CREDENTIALS) {
        const body = bodyOf(route);
        const response = await gw.app.fastify.inject({ method, url: concreteUrl(path), ...body, headers: { ...body.headers, ...presented.get(credential) } });
        cells++;
        const refused = response.statusCode === 401 || response.statusCode === 403;
        const shouldPass = (admitted as readonly Credential[]).includes(credential);
        if (refused === shouldPass) wrong.push(`${route} with ${credential}: ${response.statusCode} ${response.body.slice(0, 120)}`);
      }
    }
    console.log(`authorization matrix: ${routes.length} routes, ${cells} route × credential cells checked`);
    expect(wrong).toEqual([]);
  });
});
