/**
 * Runtime settings through the admin API, on both databases: the environment default, validation,
 * a changed session TTL applying to new logins only, and a second gateway on the same database
 * picking the change up without a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

interface Setting {
  value: number;
  default: number;
  source: 'database' | 'environment';
  updated_at: string | null;
}
type Settings = { session_ttl_hours: Setting };
type ErrorBody = { error: { code: string; message: string } };
const HOUR = 3_600_000;

async function login(gw: TestGateway): Promise<{ token: string; expires_at: string }> {
  const response = await fetch(`${gw.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: gw.adminUsername, password: gw.adminPassword }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; expires_at: string };
}

describe.each(['sqlite', 'postgres'] as const)('runtime settings (%s)', (database) => {
  let gw: TestGateway | undefined;
  let replica: TestGateway | undefined;

  beforeAll(async () => {
    gw = await startGateway({ database, env: { CCAG_SESSION_TTL_HOURS: '12' } });
    if (gw) replica = await startGateway({ database, env: { CCAG_SESSION_TTL_HOURS: '12' }, existing: { database: gw.database, dataDir: gw.dataDir } });
  });
  afterAll(async () => {
    await replica?.close();
    await gw?.close();
  });

  test('the environment value is the default until an admin sets one', async (ctx) => {
    if (!gw) return ctx.skip();
    const current = await gw.admin<Settings>('GET', '/settings');
    expect(current.status).toBe(200);
    expect(current.body).toEqual({ session_ttl_hours: { value: 12, default: 12, source: 'environment', updated_at: null } });
  });

  test('out-of-range and malformed values are refused, naming the setting', async (ctx) => {
    if (!gw) return ctx.skip();
    for (const value of [0, 9000, 1.5, '2']) {
      const refused = await gw.admin<ErrorBody>('PATCH', '/settings', { session_ttl_hours: value });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid_request');
      expect(refused.body.error.message).toMatch(/^session_ttl_hours: /);
    }
    expect((await gw.admin<ErrorBody>('PATCH', '/settings', {})).status).toBe(400);
    expect((await gw.admin<ErrorBody>('PATCH', '/settings', { nope: 1 })).status).toBe(400);
    expect((await gw.admin<Settings>('GET', '/settings')).body.session_ttl_hours.source).toBe('environment');
  });

  test('a new TTL applies to new logins; existing sessions keep their expiry; another replica follows', async (ctx) => {
    if (!gw || !replica) return ctx.skip();
    const before = await login(gw);
    expect(Math.abs(Date.parse(before.expires_at) - (Date.now() + 12 * HOUR))).toBeLessThan(60_000);

    const changed = await gw.admin<Settings>('PATCH', '/settings', { session_ttl_hours: 2 });
    expect(changed.status).toBe(200);
    expect(changed.body.session_ttl_hours).toMatchObject({ value: 2, default: 12, source: 'database' });
    expect(Math.abs(Date.parse(changed.body.session_ttl_hours.updated_at!) - Date.now())).toBeLessThan(60_000);

    const after = await login(gw);
    expect(Math.abs(Date.parse(after.expires_at) - (Date.now() + 2 * HOUR))).toBeLessThan(60_000);
    // The earlier session is untouched: same expiry in the database, and it still works.
    const rows = await gw.store.db.selectFrom('sessions').select(['expires_at']).orderBy('created_at').execute();
    expect(rows.some((row) => row.expires_at === Date.parse(before.expires_at))).toBe(true);
    const stillValid = await fetch(`${gw.url}/admin/settings`, { headers: { authorization: `Bearer ${before.token}` } });
    expect(stillValid.status).toBe(200);

    // The replica started before the change and polls the table.
    const deadline = Date.now() + 6_500;
    let seen: Setting | undefined;
    while (Date.now() < deadline) {
      seen = (await replica.admin<Settings>('GET', '/settings')).body.session_ttl_hours;
      if (seen.value === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seen).toMatchObject({ value: 2, source: 'database' });
    const onReplica = await login(replica);
    expect(Math.abs(Date.parse(onReplica.expires_at) - (Date.now() + 2 * HOUR))).toBeLessThan(60_000);
  });

  test('null goes back to the environment default', async (ctx) => {
    if (!gw) return ctx.skip();
    const reset = await gw.admin<Settings>('PATCH', '/settings', { session_ttl_hours: null });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ session_ttl_hours: { value: 12, default: 12, source: 'environment', updated_at: null } });
    const fresh = await login(gw);
    expect(Math.abs(Date.parse(fresh.expires_at) - (Date.now() + 12 * HOUR))).toBeLessThan(60_000);
  });
});
