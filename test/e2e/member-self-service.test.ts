/**
 * Members manage only their own keys through the admin API (spec §3 roles): they list, create
 * and revoke their keys, cannot see or touch anyone else's, and every admin-only route refuses
 * them with 403. The member's session is written straight into the database, standing for a
 * member who signed in through single sign-on (tested on its own in oidc-login.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionToken } from '../../src/identity/tokens.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

describe.each(['sqlite', 'postgres'] as const)('member self-service on %s', (database) => {
  let gw: TestGateway | undefined;
  let memberToken: string;
  let memberId: string;

  async function asMember<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${gw!.url}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${memberToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  beforeAll(async () => {
    gw = await startGateway({ database });
    if (!gw) return;
    const team = await gw.admin<{ id: string }>('POST', '/teams', { name: 'mobile' });
    const member = await gw.admin<{ id: string }>('POST', '/users', { email: 'Member@Example.com', team_id: team.body.id });
    memberId = member.body.id;
    const session = newSessionToken();
    memberToken = session.token;
    await gw.store.db
      .insertInto('sessions')
      .values({ id: randomUUID(), token_hash: session.hash, user_id: memberId, created_at: Date.now(), expires_at: Date.now() + 3_600_000, revoked_at: null })
      .execute();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('creates, lists and revokes only their own keys', async ({ skip }) => {
    if (!gw) return skip();
    const others = await gw.createKey('someone-else@example.com');

    const me = await asMember('GET', '/me');
    expect(me).toMatchObject({ status: 200, body: { id: memberId, email: 'member@example.com', role: 'member' } });

    const created = await asMember('POST', '/keys', { name: 'laptop' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ user_email: 'member@example.com', name: 'laptop', status: 'active' });
    expect(created.body.key).toMatch(/^sk-ccag-/);
    const alsoMine = await asMember('POST', '/keys', { user_email: 'MEMBER@example.com' });
    expect(alsoMine.status).toBe(201);

    const listed = await asMember<{ data: Array<{ id: string; user_email: string }>; total: number }>('GET', '/keys');
    expect(listed.body.data.map((key) => key.user_email)).toEqual(['member@example.com', 'member@example.com']);
    expect(listed.body.data.map((key) => key.id)).not.toContain(others.id);
    // Paging, search and sorting stay within their own keys.
    expect(listed.body.total).toBe(2);
    expect(await asMember('GET', '/keys?limit=1&sort=name&q=member')).toMatchObject({ status: 200, body: { total: 2, limit: 1, data: [{ user_email: 'member@example.com' }] } });
    expect(await asMember('GET', '/keys?q=someone-else')).toMatchObject({ status: 200, body: { total: 0, data: [] } });

    expect(await asMember('GET', '/keys?user_email=someone-else@example.com')).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await asMember('POST', '/keys', { user_email: 'someone-else@example.com' })).toMatchObject({ status: 403 });
    const team = await gw.admin<{ data: Array<{ id: string }> }>('GET', '/teams');
    expect(await asMember('POST', '/keys', { team_id: team.body.data[0]!.id })).toMatchObject({
      status: 403,
      body: { error: { message: 'Only admins create team-owned keys.' } },
    });

    // Someone else's key looks absent, and stays active.
    expect(await asMember('POST', `/keys/${others.id}/revoke`)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await asMember('DELETE', `/keys/${others.id}`)).toMatchObject({ status: 404 });
    const still = await fetch(`${gw.url}/v1/models`, { headers: { 'x-api-key': others.key } });
    expect(still.status).not.toBe(401);

    const revoked = await asMember('POST', `/keys/${created.body.id}/revoke`);
    expect(revoked).toMatchObject({ status: 200, body: { status: 'revoked' } });
    const refused = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': created.body.key, 'content-type': 'application/json' },
      body: '{"model":"claude-sonnet-4-5","max_tokens":1,"messages":[]}',
    });
    expect(refused.status).toBe(401);
  });

  it('is refused on every admin-only route', async ({ skip }) => {
    if (!gw) return skip();
    for (const [method, path] of [
      ['GET', '/users'],
      ['POST', '/users'],
      ['GET', '/teams'],
      ['GET', '/endpoints'],
      ['GET', '/pricing'],
      ['GET', '/settings'],
      ['GET', '/api-keys'],
      ['GET', '/idps'],
      ['GET', '/budgets'],
      ['GET', '/budget-events'],
      ['GET', '/system'],
      ['PATCH', `/users/${memberId}`],
    ] as const) {
      const answer = await asMember(method, path, method === 'GET' ? undefined : {});
      expect({ method, path, ...answer }).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'This needs the admin role.' } } });
    }
  });

  it('admins still need to name the owner of a new key', async ({ skip }) => {
    if (!gw) return skip();
    expect(await gw.admin('POST', '/keys', {})).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: 'user_email: required' } } });
  });
});
