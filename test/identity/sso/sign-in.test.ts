/**
 * The sign-in rules (claims → user), against the real users service on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { identityOf } from '../../../src/identity/sso/sign-in.js';
import type { Store } from '../../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { identityProvider, identityServices } from './identity-services.js';

describe('identityOf', () => {
  const idp = identityProvider();

  test('the first non-empty claim of the chain, lowercased', () => {
    expect(identityOf(idp, { email: ' Ada@Example.COM ', preferred_username: 'ada' })).toBe('ada@example.com');
    expect(identityOf(idp, { email: '', preferred_username: 'Ada.L', sub: '123' })).toBe('ada.l');
    expect(identityOf(idp, { upn: 'ada@corp.example', sub: '123' })).toBe('ada@corp.example');
    expect(identityOf(identityProvider({ userClaims: ['upn', 'email'] }), { email: 'a@x.com', upn: 'b@x.com' })).toBe('b@x.com');
  });

  test('an email the IdP says is unverified is skipped', () => {
    expect(identityOf(idp, { email: 'ceo@example.com', email_verified: false, sub: 'x@example.com' })).toBe('x@example.com');
    expect(identityOf(idp, { email: 'ceo@example.com', email_verified: true })).toBe('ceo@example.com');
  });

  test('a bare sub is refused with the default chain and accepted when the admin chose the claims', () => {
    expect(identityOf(idp, { sub: '00u1abcd' })).toBeUndefined();
    expect(identityOf(idp, { sub: 'Dev@Example.com' })).toBe('dev@example.com');
    expect(identityOf(identityProvider({ userClaims: ['sub'] }), { sub: '00u1abcd' })).toBe('00u1abcd');
    expect(identityOf(idp, { name: 'nobody' })).toBeUndefined();
  });
});

describe.each(['sqlite', 'postgres'] as const)('sign-in rules (%s)', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let services: Awaited<ReturnType<typeof identityServices>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
    services = await identityServices(store);
    // The bootstrap admin: a local password, so the gateway always has an admin groups cannot demote.
    await services.usersRepo.insert({ email: 'root@example.com', role: 'admin', passwordHash: 'scrypt$not-a-real-hash' });
    await services.directory.refresh();
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const userRow = (email: string) => store.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

  test('an unknown user is provisioned with the default role and the IdP recorded', async (ctx) => {
    if (!database) return ctx.skip();
    const result = await services.signIn(identityProvider({ defaultRole: 'member' }), { email: 'New@Example.com', name: 'New Person' });
    expect(result).toMatchObject({ user: { email: 'new@example.com', role: 'member', status: 'active', idpId: 'idp-1' } });
    expect(await userRow('new@example.com')).toMatchObject({ display_name: 'New Person', idp_id: 'idp-1', password_hash: null });
  });

  test('without auto-provisioning, or with SCIM on, unknown users are not provisioned', async (ctx) => {
    if (!database) return ctx.skip();
    expect(await services.signIn(identityProvider({ autoProvision: false }), { email: 'nobody@example.com' })).toEqual({ refused: 'not_provisioned' });
    expect(await services.signIn(identityProvider({ scimEnabled: true }), { email: 'nobody@example.com' })).toEqual({ refused: 'not_provisioned' });
    expect(await userRow('nobody@example.com')).toBeUndefined();
  });

  test('with SCIM on, a known user must have been provisioned by this IdP', async (ctx) => {
    if (!database) return ctx.skip();
    const user = await services.users.create({ email: 'scim@example.com' });
    const scimIdp = identityProvider({ scimEnabled: true });
    expect(await services.signIn(scimIdp, { email: 'scim@example.com' })).toEqual({ refused: 'not_provisioned' });
    await services.usersRepo.update(user.id, { scim_idp_id: 'another-idp' });
    await services.directory.refresh();
    expect(await services.signIn(scimIdp, { email: 'scim@example.com' })).toEqual({ refused: 'not_provisioned' });
    await services.usersRepo.update(user.id, { scim_idp_id: scimIdp.id });
    await services.directory.refresh();
    expect(await services.signIn(scimIdp, { email: 'scim@example.com' })).toMatchObject({ user: { id: user.id } });
  });

  test('allowed domains refuse other domains and identities that are not emails', async (ctx) => {
    if (!database) return ctx.skip();
    const idp = identityProvider({ allowedDomains: ['example.com'] });
    expect(await services.signIn(idp, { email: 'x@evil.example.com' })).toEqual({ refused: 'domain_not_allowed' });
    expect(await services.signIn(idp, { preferred_username: 'someone' })).toEqual({ refused: 'domain_not_allowed' });
    expect(await services.signIn(idp, { email: 'ok@example.com' })).toMatchObject({ user: { email: 'ok@example.com' } });
  });

  test('no usable identity claim is refused', async (ctx) => {
    if (!database) return ctx.skip();
    expect(await services.signIn(identityProvider(), { sub: 'opaque-123' })).toEqual({ refused: 'no_identity' });
  });

  test('a deactivated user is refused', async (ctx) => {
    if (!database) return ctx.skip();
    const user = await services.users.create({ email: 'gone@example.com' });
    await services.users.deactivate(user.id);
    expect(await services.signIn(identityProvider(), { email: 'gone@example.com' })).toEqual({ refused: 'deactivated' });
  });

  test('groups set the team and the role; changes follow the groups at each sign-in', async (ctx) => {
    if (!database) return ctx.skip();
    const eng = await services.teams.create('eng-rules');
    const ops = await services.teams.create('ops-rules');
    const idp = identityProvider({ groupTeams: { eng: eng.id, ops: ops.id }, adminGroups: ['admins'] });
    expect(await services.signIn(idp, { email: 'grp@example.com', groups: ['eng', 'admins'] })).toMatchObject({ user: { teamId: eng.id, role: 'admin' } });
    expect(await services.signIn(idp, { email: 'grp@example.com', groups: 'ops' })).toMatchObject({ user: { teamId: ops.id, role: 'member' } });
    // Groups that map to nothing change nothing.
    expect(await services.signIn(idp, { email: 'grp@example.com', groups: ['unmapped'] })).toMatchObject({ user: { teamId: ops.id, role: 'member' } });
    expect(await userRow('grp@example.com')).toMatchObject({ team_id: ops.id, role: 'member' });
  });

  test('a token without the groups claim leaves team and role alone', async (ctx) => {
    if (!database) return ctx.skip();
    const eng = await services.teams.create('eng-no-claim');
    const idp = identityProvider({ groupTeams: { eng: eng.id }, adminGroups: ['admins'] });
    expect(await services.signIn(idp, { email: 'noclaim@example.com', groups: ['eng', 'admins'] })).toMatchObject({ user: { teamId: eng.id, role: 'admin' } });
    expect(await services.signIn(idp, { email: 'noclaim@example.com' })).toMatchObject({ user: { teamId: eng.id, role: 'admin' } });
    expect(await services.signIn(idp, { email: 'noclaim@example.com', groups: [] })).toMatchObject({ user: { teamId: eng.id, role: 'member' } });
  });

  test('the groups claim is recorded as the user\'s IdP groups; a token without it keeps them, an empty list clears them', async (ctx) => {
    if (!database) return ctx.skip();
    const idp = identityProvider({ groupsClaim: 'roles' });
    const signedIn = await services.signIn(idp, { email: 'claims@example.com', roles: ['Contractors', ' eng ', 'eng', ''] });
    const userId = 'user' in signedIn ? signedIn.user.id : '';
    // The memberships mirror is refreshed by the sign-in itself: no poll to wait for.
    expect([...services.memberships.groupsOf(userId)].sort()).toEqual(['Contractors', 'eng']);
    const generation = services.memberships.generation;
    await services.signIn(idp, { email: 'claims@example.com', roles: ['eng', 'Contractors'] });
    expect(services.memberships.generation).toBe(generation);
    await services.signIn(idp, { email: 'claims@example.com', groups: ['not-the-configured-claim'] });
    expect([...services.memberships.groupsOf(userId)].sort()).toEqual(['Contractors', 'eng']);
    await services.signIn(idp, { email: 'claims@example.com', roles: 'ops' });
    expect(services.memberships.groupsOf(userId)).toEqual(['ops']);
    await services.signIn(idp, { email: 'claims@example.com', roles: [] });
    expect(services.memberships.groupsOf(userId)).toEqual([]);
    expect(await store.db.selectFrom('sign_in_groups').selectAll().where('user_id', '=', userId).execute()).toEqual([]);
  });

  test('a mapped team that no longer exists is skipped, not fatal', async (ctx) => {
    if (!database) return ctx.skip();
    const idp = identityProvider({ groupTeams: { ghosts: 'no-such-team' } });
    expect(await services.signIn(idp, { email: 'ghost@example.com', groups: ['ghosts'] })).toMatchObject({ user: { teamId: null } });
  });

  test('a local-password admin is never demoted; the last admin is not demoted either', async (ctx) => {
    if (!database) return ctx.skip();
    const idp = identityProvider({ adminGroups: ['admins'] });
    expect(await services.signIn(idp, { email: 'root@example.com', groups: [] })).toMatchObject({ user: { role: 'admin' } });

    const root = (await userRow('root@example.com'))!;
    expect(await services.signIn(idp, { email: 'last@example.com', groups: ['admins'] })).toMatchObject({ user: { role: 'admin' } });
    // Every other admin deactivated: demoting this one would leave the gateway without an admin.
    for (const other of await store.db.selectFrom('users').select('id').where('role', '=', 'admin').where('email', '<>', 'last@example.com').execute()) {
      await services.usersRepo.update(other.id, { status: 'deactivated' });
    }
    await services.directory.refresh();
    expect(await services.signIn(idp, { email: 'last@example.com', groups: [] })).toMatchObject({ user: { role: 'admin' } });
    await services.usersRepo.update(root.id, { status: 'active' });
    await services.directory.refresh();
    expect(await services.signIn(idp, { email: 'last@example.com', groups: [] })).toMatchObject({ user: { role: 'member' } });
  });

  test('concurrent first sign-ins of one person create one user', async (ctx) => {
    if (!database) return ctx.skip();
    const results = await Promise.all([1, 2, 3].map(() => services.signIn(identityProvider(), { email: 'race@example.com' })));
    const ids = new Set(results.map((result) => ('user' in result ? result.user.id : result.refused)));
    expect(ids.size).toBe(1);
    expect((await store.db.selectFrom('users').select('id').where('email', '=', 'race@example.com').execute()).length).toBe(1);
  });
});
