/**
 * What deactivating, reactivating and deleting a user does to their access, on both databases:
 * keys and admin sessions stop at once in this process, other replicas' cache polls see it, and
 * spend history is never touched.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KeyCache } from '../../src/identity/key-cache.js';
import { createKeysRepo } from '../../src/identity/keys.repo.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { hashSecret } from '../../src/identity/tokens.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

const MODEL = 'claude-haiku-4-5-20251001';

describe.each(['sqlite', 'postgres'] as const)('user deactivation and deletion (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const call = (key: string) =>
    fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': key },
      body: JSON.stringify({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });

  async function createUser(email: string, role: 'admin' | 'member' = 'member'): Promise<string> {
    const created = await gw!.admin<{ id: string }>('POST', '/users', { email, role });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function loginAs(email: string, userId: string): Promise<string> {
    // Users made through the API have no password; set one directly to get an admin session.
    await gw!.store.db.updateTable('users').set({ password_hash: await hashPassword('second-password') }).where('id', '=', userId).execute();
    const response = await fetch(`${gw!.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: email, password: 'second-password' }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  const me = (token: string) => fetch(`${gw!.url}/admin/me`, { headers: { authorization: `Bearer ${token}` } });

  test('deactivation blocks keys and admin sessions at once; reactivation restores the key', async (ctx) => {
    if (!gw) return ctx.skip();
    const userId = await createUser('leaver@example.com', 'admin');
    const session = await loginAs('leaver@example.com', userId);
    const { key } = await gw.createKey('leaver@example.com');
    expect((await call(key)).status).toBe(200);
    expect((await me(session)).status).toBe(200);

    // A second replica's cache, loaded before the change, must drop the key on its next poll.
    const replica = new KeyCache(createKeysRepo(gw.store.db));
    await replica.refresh();
    expect(replica.get(hashSecret(key))).toBeDefined();

    const deactivated = await gw.admin<{ status: string }>('POST', `/users/${userId}/deactivate`);
    expect(deactivated).toMatchObject({ status: 200, body: { status: 'deactivated' } });
    const blocked = await call(key);
    expect(blocked.status).toBe(401);
    expect(((await blocked.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    expect((await me(session)).status).toBe(401);
    await replica.refresh();
    expect(replica.get(hashSecret(key))).toBeUndefined();

    expect((await gw.admin<{ status: string }>('POST', `/users/${userId}/reactivate`)).body.status).toBe('active');
    expect((await call(key)).status).toBe(200);
    // Sessions ended by deactivation stay ended: the user logs in again.
    expect((await me(session)).status).toBe(401);
    await replica.refresh();
    expect(replica.get(hashSecret(key))).toBeDefined();
  });

  test('deletion revokes keys and sessions, keeps spend rows and frees the email', async (ctx) => {
    if (!gw) return ctx.skip();
    const userId = await createUser('deleted@example.com', 'admin');
    const session = await loginAs('deleted@example.com', userId);
    const created = await gw.createKey('deleted@example.com');
    expect((await call(created.key)).status).toBe(200);
    const ledgerOf = () => gw!.store.db.selectFrom('spend_ledger').selectAll().where('user_id', '=', userId).execute();
    await expect.poll(async () => (await ledgerOf()).length, { timeout: 10_000 }).toBe(1);
    const before = await ledgerOf();

    expect((await gw.admin('DELETE', `/users/${userId}`)).status).toBe(204);
    expect((await call(created.key)).status).toBe(401);
    expect((await me(session)).status).toBe(401);
    expect((await gw.admin('GET', `/users/${userId}`)).status).toBe(404);
    expect((await gw.admin('DELETE', `/users/${userId}`)).status).toBe(404);
    const listed = await gw.admin<{ data: Array<{ id: string }> }>('GET', '/users');
    expect(listed.body.data.map((user) => user.id)).not.toContain(userId);

    expect(await ledgerOf()).toEqual(before);
    const keys = await gw.admin<{ data: Array<{ id: string; status: string; prefix: string }> }>('GET', '/keys?include_revoked=true');
    expect(keys.body.data.find((key) => key.id === created.id)).toMatchObject({ status: 'revoked', prefix: before[0]!.key_prefix });

    const again = await gw.admin<{ id: string }>('POST', '/users', { email: 'deleted@example.com' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(userId);
  });
});
