/**
 * The portal's browser session (spec §10, issue 9 "safe by default"): the password form signs in
 * with JSON only, the session token stays in an HttpOnly SameSite cookie that script never sees,
 * the admin API accepts that cookie, and every state-changing call made with it needs the
 * session's CSRF header; bearer callers (the CLI, automation) are unaffected.
 */
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionToken } from '../../src/identity/tokens.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

interface SessionBody {
  csrf_token: string;
  expires_at: string;
  gateway_url: string;
  version: string;
  user: { id: string; email: string; role: string };
}

describe.each(['sqlite', 'postgres'] as const)('portal session on %s', (database) => {
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    gw = await startGateway({ database });
  });
  afterAll(async () => {
    await gw?.close();
  });

  const inject = (options: InjectOptions) => gw!.app.fastify.inject(options);

  async function signIn(username = gw!.adminUsername, password = gw!.adminPassword) {
    const response = await inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
    const cookie = response.cookies.find((c) => c.name === 'ccag_session');
    return { response, cookie, body: response.json() as SessionBody };
  }

  it('signs in with a password into an HttpOnly, SameSite cookie; the answer never carries the token', async (ctx) => {
    if (!gw) return ctx.skip();
    const { response, cookie, body } = await signIn();
    expect(response.statusCode).toBe(200);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.value).toMatch(/^ccag-sess-/);
    expect(JSON.stringify(body)).not.toContain(cookie!.value);
    expect(body).toMatchObject({ user: { email: gw.adminUsername, role: 'admin' }, version: expect.any(String), gateway_url: expect.stringMatching(/^http/) });

    const session = await inject({ method: 'GET', url: '/auth/session', cookies: { ccag_session: cookie!.value } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual(body);
  });

  it('refuses a password sent as a form or plain text, which another site could post (login CSRF)', async (ctx) => {
    if (!gw) return ctx.skip();
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', `username=${encodeURIComponent(gw.adminUsername)}&password=${encodeURIComponent(gw.adminPassword)}`],
      ['text/plain', JSON.stringify({ username: gw.adminUsername, password: gw.adminPassword })],
    ]) {
      const response = await inject({ method: 'POST', url: '/auth/login', headers: { 'content-type': type! }, payload: payload! });
      expect(response.statusCode, type).toBeGreaterThanOrEqual(400);
      expect(response.cookies.find((c) => c.name === 'ccag_session'), type).toBeUndefined();
    }
  });

  it('answers a wrong password with the admin error shape and sets no cookie', async (ctx) => {
    if (!gw) return ctx.skip();
    const { response, cookie } = await signIn(gw.adminUsername, 'not-the-password');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'invalid_credentials', message: 'Invalid username or password.' } });
    expect(cookie).toBeUndefined();
  });

  it('reads with the cookie alone, and writes only with the CSRF header of the same session', async (ctx) => {
    if (!gw) return ctx.skip();
    const first = await signIn();
    const second = await signIn();
    const cookies = { ccag_session: first.cookie!.value };
    expect((await inject({ method: 'GET', url: '/admin/me', cookies })).statusCode).toBe(200);

    const create = (headers: Record<string, string>) =>
      inject({ method: 'POST', url: '/admin/keys', cookies, headers, payload: { user_email: 'csrf@example.com', name: 'portal' } });
    const missing = await create({});
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('csrf_failed');
    expect((await create({ 'x-ccag-csrf': 'forged' })).statusCode).toBe(403);
    // Another session's token does not fit this cookie.
    expect((await create({ 'x-ccag-csrf': second.body.csrf_token })).statusCode).toBe(403);
    expect((await create({ 'x-ccag-csrf': first.body.csrf_token })).statusCode).toBe(201);
  });

  it('leaves bearer callers as they were: no CSRF header needed', async (ctx) => {
    if (!gw) return ctx.skip();
    const created = await gw.admin('POST', '/keys', { user_email: 'cli@example.com' });
    expect(created.status).toBe(201);
  });

  it("keeps a member's cookie out of admin routes", async (ctx) => {
    if (!gw) return ctx.skip();
    await gw.admin('POST', '/users', { email: 'portal-member@example.com' });
    // A member without a password, signed in as single sign-on would: a session written directly.
    const cookies = { ccag_session: await memberSession(gw, 'portal-member@example.com') };
    expect((await inject({ method: 'GET', url: '/admin/me', cookies })).json()).toMatchObject({ role: 'member' });
    expect((await inject({ method: 'GET', url: '/admin/users', cookies })).statusCode).toBe(403);
  });

  it('sends a browser that opens the gateway address to the portal, and clients get JSON', async (ctx) => {
    if (!gw) return ctx.skip();
    const browser = await inject({ method: 'GET', url: '/', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(browser.statusCode).toBe(302);
    expect(browser.headers.location).toBe('/portal/');
    expect((await inject({ method: 'GET', url: '/' })).json()).toEqual({ name: 'ccag', status: 'ok' });
    expect((await inject({ method: 'HEAD', url: '/' })).statusCode).toBe(200);
  });
});

/** A session for a user without a password, as single sign-on would issue it. */
async function memberSession(gw: TestGateway, email: string): Promise<string> {
  const user = await gw.store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const session = newSessionToken();
  await gw.store.db
    .insertInto('sessions')
    .values({ id: randomUUID(), token_hash: session.hash, user_id: user.id, created_at: Date.now(), expires_at: Date.now() + 3_600_000, revoked_at: null })
    .execute();
  return session.token;
}
