/**
 * SCIM 2.0 at /scim/v2 over HTTP against a real gateway, on SQLite and PostgreSQL: discovery
 * documents, per-IdP tokens, the user lifecycle as Okta and Entra ID drive it (deactivation cuts
 * keys and sessions at once), filters and pages, groups mapping to teams and the admin role, and
 * the isolation between identity providers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KeyCache } from '../../src/identity/key-cache.js';
import { createKeysRepo } from '../../src/identity/keys.repo.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { hashSecret } from '../../src/identity/tokens.js';
import { startDiscoveryServer, type DiscoveryServer } from '../support/discovery-server.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

const MODEL = 'claude-haiku-4-5-20251001';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface ScimAnswer<T> {
  status: number;
  contentType: string | null;
  body: T;
}
// SCIM answers are checked field by field; a loose type keeps the assertions readable.
type Json = Record<string, any>;

describe.each(['sqlite', 'postgres'] as const)('SCIM provisioning (%s)', (database) => {
  let mock: MockAnthropic;
  let oktaIssuer: DiscoveryServer;
  let entraIssuer: DiscoveryServer;
  let gw: TestGateway | undefined;
  let oktaToken: string;
  let entraToken: string;

  async function scim<T = Json>(token: string | undefined, method: string, path: string, body?: unknown): Promise<ScimAnswer<T>> {
    const response = await fetch(`${gw!.url}/scim/v2${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/scim+json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body: (text ? JSON.parse(text) : undefined) as T };
  }
  const okta = <T = Json>(method: string, path: string, body?: unknown) => scim<T>(oktaToken, method, path, body);
  const entra = <T = Json>(method: string, path: string, body?: unknown) => scim<T>(entraToken, method, path, body);
  const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

  const call = (key: string) =>
    fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': key },
      body: JSON.stringify({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });

  async function addIdp(name: string, issuer: DiscoveryServer): Promise<string> {
    const created = await gw!.admin('POST', '/idps', { name, issuer: issuer.issuer, client_id: `${name}-client` });
    expect(created.status).toBe(201);
    expect((await gw!.admin('POST', `/idps/${name}/scim/enable`)).status).toBe(200);
    const token = await gw!.admin<{ token: string; prefix: string; base_url: string }>('POST', `/idps/${name}/scim/tokens`);
    expect(token.status).toBe(201);
    expect(token.body.token).toMatch(/^ccag-scim-[0-9a-f]{64}$/);
    expect(token.body.base_url).toBe(`${gw!.url}/scim/v2`);
    return token.body.token;
  }

  async function provision(user: Json, token = oktaToken): Promise<Json> {
    const created = await scim(token, 'POST', '/Users', { schemas: [USER_SCHEMA], active: true, ...user });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  beforeAll(async () => {
    mock = await startMockAnthropic();
    oktaIssuer = await startDiscoveryServer();
    entraIssuer = await startDiscoveryServer();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    oktaToken = await addIdp('okta', oktaIssuer);
    entraToken = await addIdp('entra', entraIssuer);
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
    await oktaIssuer?.close();
    await entraIssuer?.close();
  });

  test('publishes ServiceProviderConfig, ResourceTypes and Schemas, only with a valid token', async (ctx) => {
    if (!gw) return ctx.skip();
    const anonymous = await scim(undefined, 'GET', '/ServiceProviderConfig');
    expect(anonymous).toMatchObject({ status: 401, body: { schemas: [ERROR_SCHEMA], status: '401' } });
    expect(anonymous.contentType).toMatch(/^application\/scim\+json/);
    expect((await scim(`ccag-scim-${'0'.repeat(64)}`, 'GET', '/Users')).status).toBe(401);

    const config = await okta('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.contentType).toMatch(/^application\/scim\+json/);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      sort: { supported: false },
      etag: { supported: false },
      changePassword: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
    });
    const types = await okta('GET', '/ResourceTypes');
    expect(types.body.totalResults).toBe(2);
    expect(types.body.Resources.map((type: Json) => type.endpoint)).toEqual(['/Users', '/Groups']);
    const schemas = await okta('GET', '/Schemas');
    expect(schemas.body.Resources.map((schema: Json) => schema.id)).toEqual([USER_SCHEMA, GROUP_SCHEMA]);
    expect(schemas.body.Resources[0].attributes.find((attribute: Json) => attribute.name === 'userName')).toMatchObject({ required: true, uniqueness: 'server' });
    expect((await okta('GET', '/Nothing')).body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
  });

  test('a provisioned user is cut off at once by Okta and Entra ID deactivation, and comes back on reactivation', async (ctx) => {
    if (!gw) return ctx.skip();
    const user = await provision({ userName: 'Jane.Doe@Example.com', name: { givenName: 'Jane', familyName: 'Doe' }, externalId: '00u-jane' });
    expect(user).toMatchObject({ userName: 'jane.doe@example.com', displayName: 'Jane Doe', active: true, externalId: '00u-jane', emails: [{ value: 'jane.doe@example.com', primary: true }] });
    const row = await gw.store.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email: 'jane.doe@example.com', scim_external_id: '00u-jane', status: 'active', role: 'member' });
    const idp = await gw.store.db.selectFrom('identity_providers').select('id').where('name', '=', 'okta').executeTakeFirstOrThrow();
    expect(row.scim_idp_id).toBe(idp.id);

    const { key } = await gw.createKey('jane.doe@example.com');
    expect((await call(key)).status).toBe(200);
    await gw.store.db.updateTable('users').set({ password_hash: await hashPassword('jane-password') }).where('id', '=', user.id).execute();
    const login = await fetch(`${gw.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'jane.doe@example.com', password: 'jane-password' }),
    });
    const session = ((await login.json()) as { token: string }).token;
    const me = () => fetch(`${gw!.url}/admin/me`, { headers: { authorization: `Bearer ${session}` } });
    expect((await me()).status).toBe(200);

    // A second replica's key cache, loaded before the change, drops the key on its next poll.
    const replica = new KeyCache(createKeysRepo(gw.store.db));
    await replica.refresh();
    expect(replica.get(hashSecret(key))).toBeDefined();

    // Okta: replace without a path, value object.
    const deactivated = await okta('PATCH', `/Users/${user.id}`, patch({ op: 'replace', value: { active: false } }));
    expect(deactivated).toMatchObject({ status: 200, body: { active: false } });
    expect((await call(key)).status).toBe(401);
    expect((await me()).status).toBe(401);
    await replica.refresh();
    expect(replica.get(hashSecret(key))).toBeUndefined();

    const reactivated = await okta('PATCH', `/Users/${user.id}`, patch({ op: 'replace', path: 'active', value: true }));
    expect(reactivated.body.active).toBe(true);
    expect((await call(key)).status).toBe(200);

    // Entra ID: capitalised op, string boolean.
    expect((await okta('PATCH', `/Users/${user.id}`, patch({ op: 'Replace', path: 'active', value: 'False' }))).body.active).toBe(false);
    expect((await call(key)).status).toBe(401);
    expect((await okta('GET', `/Users/${user.id}`)).body.active).toBe(false);
    expect((await okta('PATCH', `/Users/${user.id}`, patch({ op: 'Replace', path: 'active', value: 'True' }))).body.active).toBe(true);
    expect((await call(key)).status).toBe(200);

    const renamed = await okta(
      'PATCH',
      `/Users/${user.id}`,
      patch({ op: 'Replace', path: 'displayName', value: 'Jane D.' }, { op: 'Add', path: 'emails[type eq "work"].value', value: 'jane.doe@example.com' }),
    );
    expect(renamed.body).toMatchObject({ displayName: 'Jane D.', userName: 'jane.doe@example.com' });

    const replaced = await okta('PUT', `/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'jane.doe@example.com', name: { formatted: 'Jane Doe' }, active: true });
    expect(replaced.body).toMatchObject({ displayName: 'Jane Doe', active: true });
    expect(replaced.body.externalId).toBeUndefined();

    const duplicate = await okta('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'JANE.DOE@example.com' });
    expect(duplicate).toMatchObject({ status: 409, body: { schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness' } });
    expect((await okta('GET', '/Users/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await okta('PATCH', `/Users/${user.id}`, patch({ op: 'replace', path: 'active', value: 'perhaps' }))).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const malformed = await fetch(`${gw.url}/scim/v2/Users`, { method: 'POST', headers: { authorization: `Bearer ${oktaToken}`, 'content-type': 'application/json' }, body: '{' });
    expect(await malformed.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
  });

  test('creating a user whose email already exists adopts that user', async (ctx) => {
    if (!gw) return ctx.skip();
    const existing = await gw.admin<{ id: string }>('POST', '/users', { email: 'veteran@example.com', display_name: 'Vet' });
    expect(existing.status).toBe(201);
    expect((await okta('GET', `/Users/${existing.body.id}`)).status).toBe(404);
    const adopted = await provision({ userName: 'veteran@example.com', displayName: 'Veteran' });
    expect(adopted.id).toBe(existing.body.id);
    expect(adopted.displayName).toBe('Veteran');
    expect((await okta('GET', `/Users/${existing.body.id}`)).status).toBe(200);
  });

  test('filters users with eq, co, sw, pr, and, or, and pages them', async (ctx) => {
    if (!gw) return ctx.skip();
    for (let i = 1; i <= 7; i++) await provision({ userName: `pager${i}@paging.example`, ...(i % 2 === 0 && { displayName: `Pager ${i}` }) });
    const list = (query: string) => okta('GET', `/Users?${query}`);

    expect((await list(`filter=${encodeURIComponent('userName eq "PAGER3@paging.example"')}`)).body).toMatchObject({ totalResults: 1, Resources: [{ userName: 'pager3@paging.example' }] });
    expect((await list(`filter=${encodeURIComponent('userName co "@paging.example"')}`)).body.totalResults).toBe(7);
    expect((await list(`filter=${encodeURIComponent('userName sw "pager1"')}`)).body.totalResults).toBe(1);
    expect((await list(`filter=${encodeURIComponent('userName co "paging" and displayName pr')}`)).body.totalResults).toBe(3);
    expect((await list(`filter=${encodeURIComponent('userName eq "pager1@paging.example" or userName eq "pager7@paging.example"')}`)).body.totalResults).toBe(2);
    expect((await list(`filter=${encodeURIComponent('userName zz "x"')}`)).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });

    const filter = encodeURIComponent('userName co "@paging.example"');
    const page = await list(`filter=${filter}&startIndex=3&count=2`);
    expect(page.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 7, itemsPerPage: 2, startIndex: 3 });
    const last = await list(`filter=${filter}&startIndex=7&count=2`);
    expect(last.body).toMatchObject({ totalResults: 7, itemsPerPage: 1, startIndex: 7 });
    const everyone = (await list(`filter=${filter}&count=200`)).body.Resources.map((user: Json) => user.userName);
    expect(page.body.Resources.map((user: Json) => user.userName)).toEqual(everyone.slice(2, 4));
    expect(last.body.Resources[0].userName).toBe(everyone[6]);
  });

  test('groups map members to a team and the admin role; removing a member takes the role back', async (ctx) => {
    if (!gw) return ctx.skip();
    const team = await gw.admin<{ id: string }>('POST', '/teams', { name: 'platform' });
    expect((await gw.admin('PATCH', '/idps/okta', { group_teams: { 'Platform Eng': team.body.id } })).status).toBe(200);
    const adminGroups = await gw.admin<Json>('PUT', '/idps/okta/scim/admin-groups', { groups: ['CCAG Admins'] });
    expect(adminGroups).toMatchObject({ status: 200, body: { admin_groups: ['CCAG Admins'] } });

    const ann = await provision({ userName: 'ann@groups.example' });
    const bob = await provision({ userName: 'bob@groups.example' });
    const userRow = (id: string) => gw!.store.db.selectFrom('users').select(['role', 'team_id']).where('id', '=', id).executeTakeFirstOrThrow();

    const platform = await okta('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Platform Eng', members: [{ value: ann.id }] });
    expect(platform.status).toBe(201);
    expect(platform.body.members).toEqual([expect.objectContaining({ value: ann.id, display: 'ann@groups.example' })]);
    expect(await userRow(ann.id)).toEqual({ role: 'member', team_id: team.body.id });

    const admins = await okta('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'CCAG Admins' });
    expect((await okta('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'CCAG Admins' })).body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    await okta('PATCH', `/Groups/${admins.body.id}`, patch({ op: 'add', path: 'members', value: [{ value: ann.id }, { value: bob.id }] }));
    expect((await userRow(ann.id)).role).toBe('admin');
    expect((await userRow(bob.id)).role).toBe('admin');

    // Okta removes with a value list, Entra ID with a filter path.
    await okta('PATCH', `/Groups/${admins.body.id}`, patch({ op: 'remove', path: 'members', value: [{ value: ann.id }] }));
    expect((await userRow(ann.id)).role).toBe('member');
    await okta('PATCH', `/Groups/${admins.body.id}`, patch({ op: 'Remove', path: `members[value eq "${bob.id}"]` }));
    expect((await userRow(bob.id)).role).toBe('member');

    // Renaming a group to an admin group's name makes its members admins.
    const renamed = await okta('PATCH', `/Groups/${platform.body.id}`, patch({ op: 'replace', value: { id: platform.body.id, displayName: 'Ops' } }));
    expect(renamed.body.displayName).toBe('Ops');
    await okta('PATCH', `/Groups/${admins.body.id}`, patch({ op: 'Replace', path: 'displayName', value: 'CCAG Admins Old' }));
    await okta('PATCH', `/Groups/${platform.body.id}`, patch({ op: 'Replace', path: 'displayName', value: 'CCAG Admins' }));
    expect((await userRow(ann.id)).role).toBe('admin');
    await okta('PATCH', `/Groups/${platform.body.id}`, patch({ op: 'replace', path: 'members', value: [{ value: bob.id }] }));
    expect((await userRow(ann.id)).role).toBe('member');
    expect((await userRow(bob.id)).role).toBe('admin');

    const listed = await okta('GET', `/Groups?filter=${encodeURIComponent('displayName eq "ccag admins"')}`);
    expect(listed.body).toMatchObject({ totalResults: 1, Resources: [{ id: platform.body.id, members: [{ value: bob.id }] }] });
    expect((await okta('GET', `/Groups/${platform.body.id}`)).body.members.map((member: Json) => member.value)).toEqual([bob.id]);
    expect((await okta('PATCH', `/Groups/${platform.body.id}`, patch({ op: 'add', path: 'members', value: [{ value: 'not-a-user' }] }))).status).toBe(400);

    expect((await okta('DELETE', `/Groups/${platform.body.id}`)).status).toBe(204);
    expect((await userRow(bob.id)).role).toBe('member');
    expect((await okta('GET', `/Groups/${platform.body.id}`)).status).toBe(404);

    const status = await gw.admin<Json>('GET', '/idps/okta/scim');
    expect(status.body).toMatchObject({ enabled: true, base_url: `${gw.url}/scim/v2`, admin_groups: ['CCAG Admins'], group_teams: { 'Platform Eng': team.body.id } });
    expect(status.body.groups.map((group: Json) => group.display_name)).toEqual(['CCAG Admins Old']);
    expect(status.body.users_provisioned).toBeGreaterThanOrEqual(2);
  });

  test('SCIM group mapping never demotes an admin who has a local password', async (ctx) => {
    if (!gw) return ctx.skip();
    const bootstrap = await gw.store.db.selectFrom('users').select('id').where('email', '=', gw.adminUsername).executeTakeFirstOrThrow();
    // Adopting the bootstrap admin and putting them in a non-admin group leaves their role alone.
    await provision({ userName: gw.adminUsername });
    await okta('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Everyone', members: [{ value: bootstrap.id }] });
    const row = await gw.store.db.selectFrom('users').select(['role', 'status']).where('id', '=', bootstrap.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ role: 'admin', status: 'active' });
  });

  test('DELETE makes a tombstone that keeps spend; revoked tokens and other IdPs see nothing', async (ctx) => {
    if (!gw) return ctx.skip();
    const user = await provision({ userName: 'leaver@scim.example' });
    const { key } = await gw.createKey('leaver@scim.example');
    expect((await call(key)).status).toBe(200);
    const ledgerOf = () => gw!.store.db.selectFrom('spend_ledger').selectAll().where('user_id', '=', user.id).execute();
    await expect.poll(async () => (await ledgerOf()).length, { timeout: 10_000 }).toBe(1);

    // Another IdP's token cannot see or touch this user.
    expect((await entra('GET', `/Users/${user.id}`)).status).toBe(404);
    expect((await entra('DELETE', `/Users/${user.id}`)).status).toBe(404);
    expect((await entra('GET', `/Users?filter=${encodeURIComponent('userName eq "leaver@scim.example"')}`)).body.totalResults).toBe(0);
    const entraUser = await provision({ userName: 'entra-only@scim.example' }, entraToken);
    expect((await okta('GET', `/Users/${entraUser.id}`)).status).toBe(404);

    expect((await okta('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect((await call(key)).status).toBe(401);
    expect((await okta('GET', `/Users/${user.id}`)).status).toBe(404);
    expect(await ledgerOf()).toHaveLength(1);
    const tombstone = await gw.store.db.selectFrom('users').select(['email', 'deleted_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(tombstone.email).toBe(`deleted:${user.id}:leaver@scim.example`);
    expect(tombstone.deleted_at).not.toBeNull();

    // Revoking a token, or switching SCIM off, refuses the IdP at once.
    const extra = await gw.admin<{ id: string; token: string }>('POST', '/idps/entra/scim/tokens');
    expect((await scim(extra.body.token, 'GET', '/Users')).status).toBe(200);
    const tokens = await gw.admin<Json>('GET', '/idps/entra/scim');
    expect(tokens.body.tokens.find((token: Json) => token.id === extra.body.id)).toMatchObject({ revoked_at: null, last_used_at: expect.any(String) });
    expect(JSON.stringify(tokens.body)).not.toContain(extra.body.token);
    // last_used_at is written at most once a minute, not on every request.
    const lastUsed = () => gw!.store.db.selectFrom('scim_tokens').select('last_used_at').where('id', '=', extra.body.id).executeTakeFirstOrThrow();
    const first = await lastUsed();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await scim(extra.body.token, 'GET', '/Users')).status).toBe(200);
    expect(await lastUsed()).toEqual(first);
    const stored = await gw.store.db.selectFrom('scim_tokens').select('token_hash').where('id', '=', extra.body.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashSecret(extra.body.token));
    expect((await gw.admin('DELETE', `/idps/entra/scim/tokens/${extra.body.id}`)).status).toBe(204);
    expect((await scim(extra.body.token, 'GET', '/Users')).status).toBe(401);
    expect((await gw.admin('DELETE', `/idps/entra/scim/tokens/${extra.body.id}`)).status).toBe(404);

    expect((await gw.admin('POST', '/idps/entra/scim/disable')).status).toBe(200);
    expect((await entra('GET', '/Users')).status).toBe(401);
    expect((await gw.admin('POST', '/idps/entra/scim/enable')).status).toBe(200);
    expect((await entra('GET', '/Users')).status).toBe(200);
  });
});
