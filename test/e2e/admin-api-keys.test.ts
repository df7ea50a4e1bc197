/**
 * Admin API keys and admin-side session revocation through the admin API, on both databases:
 * a key works as a bearer until revoked, stops when its owner is deactivated, is never listed in
 * plaintext; revoking a user's sessions ends them at once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashPassword } from '../../src/identity/passwords.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

interface AdminKey {
  id: string;
  prefix: string;
  name: string;
  owner_email: string;
  status: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
type ErrorBody = { error: { code: string; message: string } };

describe.each(['sqlite', 'postgres'] as const)('admin API keys and session revocation (%s)', (database) => {
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    gw = await startGateway({ database });
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** What `curl -H "Authorization: Bearer $KEY" $URL/admin/...` does. */
  const call = (bearer: string, path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${gw!.url}/admin${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${bearer}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  /** A second admin who can log in (API-created users have no password, so it is set in the database). */
  async function secondAdmin(email: string): Promise<{ id: string; token: string }> {
    const user = await gw!.admin<{ id: string }>('POST', '/users', { email, role: 'admin' });
    expect(user.status).toBe(201);
    await gw!.store.db.updateTable('users').set({ password_hash: await hashPassword('second-password') }).where('id', '=', user.body.id).execute();
    const login = await fetch(`${gw!.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: email, password: 'second-password' }),
    });
    expect(login.status).toBe(200);
    return { id: user.body.id, token: ((await login.json()) as { token: string }).token };
  }

  test('create → use on /admin/keys → revoke → 401; never listed in plaintext', async (ctx) => {
    if (!gw) return ctx.skip();
    const created = await gw.admin<AdminKey & { key: string }>('POST', '/api-keys', { name: 'ci-deploy' });
    expect(created.status).toBe(201);
    const { key, ...record } = created.body;
    expect(key).toMatch(/^ccag-admin-[0-9a-f]{64}$/);
    expect(record).toEqual({
      id: expect.any(String),
      prefix: key.slice(0, 'ccag-admin-'.length + 6),
      name: 'ci-deploy',
      owner_email: gw.adminUsername,
      status: 'active',
      created_at: expect.any(String),
      last_used_at: null,
      revoked_at: null,
    });

    const used = await call(key, '/keys');
    expect(used.status).toBe(200);
    expect(await used.json()).toHaveProperty('data');
    const me = (await (await call(key, '/me')).json()) as { email: string; role: string };
    expect(me).toMatchObject({ email: gw.adminUsername, role: 'admin' });
    // Keys made with an admin API key belong to its owner.
    const minted = await call(key, '/api-keys', { method: 'POST', body: { name: 'minted' } });
    expect(((await minted.json()) as AdminKey).owner_email).toBe(gw.adminUsername);

    const listed = await gw.admin<{ data: AdminKey[] }>('GET', '/api-keys');
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(20));
    expect(text).not.toContain('hash');
    const shown = listed.body.data.find((entry) => entry.id === record.id)!;
    expect(Object.keys(shown).sort()).toEqual(['created_at', 'id', 'last_used_at', 'name', 'owner_email', 'prefix', 'revoked_at', 'status']);
    expect(Date.parse(shown.last_used_at!)).toBeGreaterThan(0);

    const revoked = await gw.admin<AdminKey>('POST', `/api-keys/${record.id}/revoke`);
    expect(revoked.body).toMatchObject({ id: record.id, status: 'revoked' });
    const refused = await call(key, '/keys');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('invalid_credentials');
    // Revoking again is harmless; an unknown id is a 404; a name is required.
    expect((await gw.admin<AdminKey>('POST', `/api-keys/${record.id}/revoke`)).body.revoked_at).toBe(revoked.body.revoked_at);
    expect((await gw.admin('POST', '/api-keys/nope/revoke')).status).toBe(404);
    expect((await gw.admin('POST', '/api-keys', {})).status).toBe(400);
    expect((await call('ccag-admin-0000', '/keys')).status).toBe(401);
  });

  test('last_used_at is written at most once a minute', async (ctx) => {
    if (!gw) return ctx.skip();
    const { key, id } = (await gw.admin<{ key: string; id: string }>('POST', '/api-keys', { name: 'quiet' })).body;
    await call(key, '/keys');
    const first = await gw.store.db.selectFrom('admin_api_keys').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await call(key, '/keys');
    const second = await gw.store.db.selectFrom('admin_api_keys').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(first.last_used_at).not.toBeNull();
    expect(second.last_used_at).toBe(first.last_used_at);
  });

  test("a deactivated owner's admin key gets 401; a demoted owner's gets 403", async (ctx) => {
    if (!gw) return ctx.skip();
    const owner = await secondAdmin('automation-owner@example.com');
    const created = await call(owner.token, '/api-keys', { method: 'POST', body: { name: 'owner-key' } });
    const { key } = (await created.json()) as { key: string; owner_email: string };
    expect((await call(key, '/keys')).status).toBe(200);

    expect((await gw.admin('PATCH', `/users/${owner.id}`, { role: 'member' })).status).toBe(200);
    expect((await call(key, '/keys')).status).toBe(403);
    expect((await gw.admin('PATCH', `/users/${owner.id}`, { role: 'admin' })).status).toBe(200);
    expect((await gw.admin('POST', `/users/${owner.id}/deactivate`)).status).toBe(200);
    expect((await call(key, '/keys')).status).toBe(401);
    // Reactivation brings the key back: it was never revoked, only its owner was blocked.
    expect((await gw.admin('POST', `/users/${owner.id}/reactivate`)).status).toBe(200);
    expect((await call(key, '/keys')).status).toBe(200);
  });

  test("revoking a user's sessions ends an active session", async (ctx) => {
    if (!gw) return ctx.skip();
    const other = await secondAdmin('session-holder@example.com');
    const again = await fetch(`${gw.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'session-holder@example.com', password: 'second-password' }),
    });
    const secondToken = ((await again.json()) as { token: string }).token;
    expect((await call(other.token, '/me')).status).toBe(200);

    const revoked = await gw.admin<{ user_id: string; sessions_revoked: number }>('POST', `/users/${other.id}/sessions/revoke`);
    expect(revoked).toEqual({ status: 200, body: { user_id: other.id, sessions_revoked: 2 } });
    expect((await call(other.token, '/me')).status).toBe(401);
    expect((await call(secondToken, '/me')).status).toBe(401);
    // The caller's own session is untouched, the account stays active, and unknown users are a 404.
    expect((await gw.admin<{ status: string }>('GET', `/users/${other.id}`)).body.status).toBe('active');
    expect((await gw.admin('POST', '/users/unknown/sessions/revoke')).status).toBe(404);
  });
});
