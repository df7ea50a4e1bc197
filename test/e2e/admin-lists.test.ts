/**
 * The admin API's list conventions on a real gateway (SQLite and PostgreSQL), through
 * `app.inject()`: the `{data, total, limit, offset}` envelope, paging, sorting, search and filters
 * on every list route, and 400 `invalid_request` for a bad query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

interface Envelope<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

describe.each(['sqlite', 'postgres'] as const)('admin lists on %s', (database) => {
  let gw: TestGateway | undefined;
  let teamId: string;

  async function get<T = Envelope<Record<string, unknown>>>(path: string): Promise<{ status: number; body: T }> {
    const response = await gw!.app.fastify.inject({ method: 'GET', url: `/admin${path}`, headers: { authorization: `Bearer ${await gw!.adminToken()}` } });
    return { status: response.statusCode, body: response.json() as T };
  }
  const field = async (path: string, name: string) => (await get(path)).body.data.map((row) => row[name]);

  beforeAll(async () => {
    gw = await startGateway({ database });
    if (!gw) return;
    teamId = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'Platform' })).body.id;
    await gw.admin('POST', '/teams', { name: 'apps' });
    for (const [email, team] of [
      ['zoe@example.com', teamId],
      ['yann@example.com', undefined],
      ['xia_li@example.com', teamId],
    ] as const) {
      await gw.admin('POST', '/users', { email, team_id: team });
    }
    await gw.createKey('zoe@example.com', { name: 'laptop' });
    await gw.createKey('yann@example.com', { name: 'ci' });
    const revoked = await gw.createKey('yann@example.com', { name: 'old' });
    await gw.admin('POST', `/keys/${revoked.id}/revoke`);
    await gw.admin('POST', '/api-keys', { name: 'deploy' });
    await gw.admin('POST', '/api-keys', { name: 'backup' });
    for (const name of ['b-second', 'a-first']) await gw.addEndpoint({ kind: 'anthropic', name, api_key: 'sk-ant-test', base_url: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('users: envelope, default by email, paged, searched, filtered and sorted by team', async ({ skip }) => {
    if (!gw) return skip();
    const all = await get('/users');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 4, limit: 100, offset: 0 });
    expect(all.body.data.map((user) => user.email)).toEqual(['admin@example.com', 'xia_li@example.com', 'yann@example.com', 'zoe@example.com']);
    expect(await get('/users?limit=2&offset=1')).toMatchObject({ body: { total: 4, limit: 2, offset: 1, data: [{ email: 'xia_li@example.com' }, { email: 'yann@example.com' }] } });
    expect(await field('/users?q=_LI', 'email')).toEqual(['xia_li@example.com']);
    expect(await field(`/users?team_id=${teamId}`, 'email')).toEqual(['xia_li@example.com', 'zoe@example.com']);
    expect(await field('/users?role=admin', 'email')).toEqual(['admin@example.com']);
    expect(await field('/users?sort=team_name&order=desc', 'team_name')).toEqual(['Platform', 'Platform', null, null]);
  });

  it('keys: team names, revoked only when asked, by status, owner and search', async ({ skip }) => {
    if (!gw) return skip();
    const keys = await get('/keys');
    expect(keys.body.total).toBe(2);
    expect(keys.body.data.map((key) => [key.name, key.team_name])).toEqual([
      ['ci', null],
      ['laptop', 'Platform'],
    ]);
    expect(await field('/keys?include_revoked=true&sort=name', 'name')).toEqual(['ci', 'laptop', 'old']);
    expect(await field('/keys?status=revoked', 'name')).toEqual(['old']);
    expect(await field('/keys?user_email=YANN@example.com&include_revoked=true&sort=created_at&order=asc', 'name')).toEqual(['ci', 'old']);
    expect(await field('/keys?q=lap', 'name')).toEqual(['laptop']);
    expect(await field(`/keys?team_id=${teamId}`, 'name')).toEqual(['laptop']);
  });

  it('teams, admin API keys, endpoints, pricing and identity providers page the same way', async ({ skip }) => {
    if (!gw) return skip();
    expect(await field('/teams', 'name')).toEqual(['apps', 'Platform']);
    expect(await field('/teams?sort=member_count', 'name')).toEqual(['Platform', 'apps']);
    expect(await get('/teams?q=plat')).toMatchObject({ body: { total: 1, data: [{ name: 'Platform', member_count: 2 }] } });
    expect(await field('/api-keys', 'name')).toEqual(['backup', 'deploy']);
    expect(await field('/api-keys?sort=name&order=desc&limit=1', 'name')).toEqual(['deploy']);
    expect(await field('/endpoints?sort=name', 'name')).toEqual(['a-first', 'b-second']);
    expect(await get('/endpoints?q=second')).toMatchObject({ body: { total: 1, data: [{ name: 'b-second' }] } });
    const pricing = await get<Envelope<{ model_prefix: string; source: string }>>('/pricing?q=SONNET&limit=2');
    expect(pricing.body.data).toHaveLength(2);
    expect(pricing.body.total).toBeGreaterThan(2);
    expect(pricing.body.data.every((row) => row.model_prefix.includes('sonnet'))).toBe(true);
    expect((await get('/pricing?source=manual')).body.total).toBe(0);
    expect(await get('/idps')).toEqual({ status: 200, body: { data: [], total: 0, limit: 100, offset: 0 } });
  });

  it('refuses a bad query with invalid_request naming the field', async ({ skip }) => {
    if (!gw) return skip();
    expect(await get('/users?sort=password')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'sort: must be one of email, created_at, role, status, team_name' } },
    });
    expect(await get('/keys?sort=hash')).toMatchObject({ status: 400, body: { error: { message: 'sort: must be one of created_at, prefix, name, user_email, team_name, status' } } });
    expect(await get('/teams?order=sideways')).toMatchObject({ status: 400, body: { error: { message: 'order: must be asc or desc' } } });
    for (const query of ['limit=0', 'limit=1001', 'offset=-1', 'limit=ten']) {
      expect(await get(`/api-keys?${query}`)).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: expect.stringMatching(/^(limit|offset): /) } } });
    }
    expect(await get('/keys?status=lost')).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^status: /) } } });
    expect(await get('/budget-events?from=yesterday')).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^from: /) } } });
    expect(await get('/budgets?subject_type=dog')).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^subject_type: /) } } });
  });
});
