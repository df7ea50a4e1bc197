/**
 * Users and teams through the admin API, on both databases: CRUD, validation, the last-admin rule,
 * team deletion only when empty, and team-owned keys.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

interface User {
  id: string;
  email: string;
  display_name: string | null;
  role: string;
  status: string;
  team_id: string | null;
  team_name: string | null;
}
interface Team {
  id: string;
  name: string;
  member_count: number;
  key_count: number;
}
type ErrorBody = { error: { code: string; message: string } };

describe.each(['sqlite', 'postgres'] as const)('users and teams (%s)', (database) => {
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    gw = await startGateway({ database });
  });
  afterAll(async () => {
    await gw?.close();
  });

  test('teams: create, list with counts, get, rename, duplicate names refused', async (ctx) => {
    if (!gw) return ctx.skip();
    const created = await gw.admin<Team>('POST', '/teams', { name: 'Platform' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Platform', member_count: 0, key_count: 0 });
    expect(Date.parse((created.body as unknown as { created_at: string }).created_at)).toBeGreaterThan(0);

    const duplicate = await gw.admin<ErrorBody>('POST', '/teams', { name: 'Platform' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('conflict');
    const invalid = await gw.admin<ErrorBody>('POST', '/teams', { name: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/^name: /);

    await gw.admin('POST', '/users', { email: 'member@platform.dev', team_id: created.body.id });
    await gw.createKey('member@platform.dev');
    const listed = await gw.admin<{ data: Team[] }>('GET', '/teams');
    expect(listed.body.data.find((team) => team.id === created.body.id)).toMatchObject({ member_count: 1, key_count: 1 });

    const renamed = await gw.admin<Team>('PATCH', `/teams/${created.body.id}`, { name: 'Platform Eng' });
    expect(renamed.body).toMatchObject({ id: created.body.id, name: 'Platform Eng', member_count: 1 });
    expect((await gw.admin<Team>('GET', `/teams/${created.body.id}`)).body.name).toBe('Platform Eng');
    expect((await gw.admin('GET', '/teams/nope')).status).toBe(404);
    await gw.admin('POST', '/teams', { name: 'Data' });
    expect((await gw.admin('PATCH', `/teams/${created.body.id}`, { name: 'Data' })).status).toBe(409);
  });

  test('users: create, list with filters, get, update; never shows the password hash', async (ctx) => {
    if (!gw) return ctx.skip();
    const team = (await gw.admin<Team>('POST', '/teams', { name: 'Research' })).body;
    const created = await gw.admin<User>('POST', '/users', { email: 'Ada@Example.COM', display_name: 'Ada', team_id: team.id });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'ada@example.com', display_name: 'Ada', role: 'member', status: 'active', team_id: team.id, team_name: 'Research' });
    expect((await gw.admin<ErrorBody>('POST', '/users', { email: 'ada@example.com' })).status).toBe(409);

    const badTeam = await gw.admin<ErrorBody>('POST', '/users', { email: 'x@example.com', team_id: 'missing' });
    expect(badTeam).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(badTeam.body.error.message).toContain('team_id');
    const badRole = await gw.admin<ErrorBody>('POST', '/users', { email: 'x@example.com', role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.message).toMatch(/^role: /);
    expect((await gw.admin<ErrorBody>('POST', '/users', { email: 'x@example.com', password_hash: 'x' })).status).toBe(400);

    const inTeam = await gw.admin<{ data: User[] }>('GET', `/users?team_id=${team.id}`);
    expect(inTeam.body.data.map((user) => user.email)).toEqual(['ada@example.com']);
    const all = await gw.admin<{ data: User[] }>('GET', '/users');
    expect(all.body.data.map((user) => user.email)).toContain(gw.adminUsername);
    expect(JSON.stringify(all.body)).not.toContain('password');

    const updated = await gw.admin<User>('PATCH', `/users/${created.body.id}`, { display_name: 'Ada L.', role: 'admin', team_id: null });
    expect(updated.body).toMatchObject({ display_name: 'Ada L.', role: 'admin', team_id: null, team_name: null });
    expect((await gw.admin<User>('GET', `/users/${created.body.id}`)).body.role).toBe('admin');
    expect((await gw.admin('PATCH', `/users/${created.body.id}`, { role: 'member' })).status).toBe(200);
    expect((await gw.admin('GET', '/users/unknown')).status).toBe(404);
    expect((await gw.admin('PATCH', '/users/unknown', { role: 'member' })).status).toBe(404);
    const deactivated = await gw.admin<{ data: User[] }>('GET', '/users?status=deactivated');
    expect(deactivated.body.data.map((user) => user.email)).not.toContain('ada@example.com');
  });

  test('the last active admin cannot be deactivated, demoted or deleted', async (ctx) => {
    if (!gw) return ctx.skip();
    const me = (await gw.admin<{ id: string }>('GET', '/me')).body;
    for (const [method, path, body] of [
      ['POST', `/users/${me.id}/deactivate`, undefined],
      ['PATCH', `/users/${me.id}`, { role: 'member' }],
      ['PATCH', `/users/${me.id}`, { status: 'deactivated' }],
      ['DELETE', `/users/${me.id}`, undefined],
    ] as const) {
      const refused = await gw.admin<ErrorBody>(method, path, body);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('last active admin');
    }
    // A deactivated second admin does not count; an active one does (and may then be demoted).
    const second = (await gw.admin<User>('POST', '/users', { email: 'second-admin@example.com', role: 'admin' })).body;
    expect((await gw.admin('POST', `/users/${second.id}/deactivate`)).status).toBe(200);
    expect((await gw.admin('POST', `/users/${me.id}/deactivate`)).status).toBe(409);
    expect((await gw.admin('POST', `/users/${second.id}/reactivate`)).status).toBe(200);
    expect((await gw.admin<User>('PATCH', `/users/${second.id}`, { role: 'member' })).body.role).toBe('member');
    expect((await gw.admin<User>('GET', `/users/${me.id}`)).body).toMatchObject({ role: 'admin', status: 'active' });
  });

  test('a team is deleted only when it has no members and no active keys', async (ctx) => {
    if (!gw) return ctx.skip();
    const team = (await gw.admin<Team>('POST', '/teams', { name: 'Temporary' })).body;
    const user = (await gw.admin<User>('POST', '/users', { email: 'temp@example.com', team_id: team.id })).body;
    const refused = await gw.admin<ErrorBody>('DELETE', `/teams/${team.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/still has 1 member/);
    await gw.admin('PATCH', `/users/${user.id}`, { team_id: null });
    expect((await gw.admin('DELETE', `/teams/${team.id}`)).status).toBe(204);
    expect((await gw.admin('GET', `/teams/${team.id}`)).status).toBe(404);
    expect((await gw.admin('DELETE', `/teams/${team.id}`)).status).toBe(404);
  });

  test('team-owned keys: an explicit team_id must exist; a member gets their team by default', async (ctx) => {
    if (!gw) return ctx.skip();
    const team = (await gw.admin<Team>('POST', '/teams', { name: 'Keys Team' })).body;
    const unknown = await gw.admin<ErrorBody>('POST', '/keys', { user_email: 'k@example.com', team_id: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('team_id');

    const explicit = await gw.admin<{ team_id: string }>('POST', '/keys', { user_email: 'k@example.com', team_id: team.id });
    expect(explicit).toMatchObject({ status: 201, body: { team_id: team.id } });
    await gw.admin('POST', '/users', { email: 'default@example.com', team_id: team.id });
    expect((await gw.admin<{ team_id: string }>('POST', '/keys', { user_email: 'default@example.com' })).body.team_id).toBe(team.id);
    expect((await gw.admin<ErrorBody>('DELETE', `/teams/${team.id}`)).body.error.message).toMatch(/2 active key/);
  });
});
