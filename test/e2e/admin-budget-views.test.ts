/**
 * What the portal reads about budgets and the gateway (SQLite and PostgreSQL, with Redis): each
 * user's applicable budget, each team's budget and spend, budgets with subject names and request
 * counts, budget events with names, GET /admin/system, and a member's own budgets. Spend comes
 * from ledger rows written just now, so every expectation is relative to the current period.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionToken } from '../../src/identity/tokens.js';
import { periodWindow } from '../../src/limits/budget-period.js';
import { VERSION } from '../../src/version.js';
import { openRedis } from '../../src/store/redis.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { ledgerRow } from '../spend/ledger-rows.js';

const USD = 1_000_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Row = Record<string, any>;

describe.each(['sqlite', 'postgres'] as const)('budget views and the system page on %s', (database) => {
  const redisPrefix = `test:admin-views:${randomUUID()}:`;
  let gw: TestGateway | undefined;
  const ids: Record<string, string> = {};
  let keyPrefix: string;
  let memberToken: string;
  const now = Date.now();
  const month = periodWindow('monthly', 'UTC', now);
  const day = periodWindow('daily', 'UTC', now);

  async function get(path: string, token?: string): Promise<{ status: number; body: Row }> {
    const response = await gw!.app.fastify.inject({ method: 'GET', url: `/admin${path}`, headers: { authorization: `Bearer ${token ?? (await gw!.adminToken())}` } });
    return { status: response.statusCode, body: response.json() as Row };
  }
  const budget = (body: Record<string, unknown>) => gw!.admin('POST', '/budgets', { period: 'monthly', ...body });

  beforeAll(async () => {
    gw = await startGateway({ database, env: { REDIS_URL, CCAG_REDIS_PREFIX: redisPrefix } });
    if (!gw) return;
    ids.platform = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'platform' })).body.id;
    ids.mobile = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'mobile' })).body.id;
    for (const [name, team] of [['ann', undefined], ['bob', ids.platform], ['cy', undefined]] as const) {
      ids[name] = (await gw.admin<{ id: string }>('POST', '/users', { email: `${name}@example.com`, team_id: team })).body.id;
    }
    const annKey = await gw.createKey('ann@example.com');
    const bobKey = await gw.createKey('bob@example.com');
    ids.bobKey = bobKey.id;
    keyPrefix = (await gw.admin<{ prefix: string }>('POST', `/keys/${bobKey.id}/revoke`)).body.prefix;
    // Revoked keys keep their budgets and history; a live one for bob's own view.
    ids.bobKey2 = (await gw.createKey('bob@example.com')).id;
    await budget({ subject_type: 'user', subject_id: ids.ann, amount_usd: 50 });
    await budget({ subject_type: 'team_default', subject_id: ids.platform, amount_usd: 20 });
    await budget({ subject_type: 'global_default', amount_usd: 10 });
    await budget({ subject_type: 'team', subject_id: ids.platform, amount_usd: 100, period: 'daily' });
    await budget({ subject_type: 'key', subject_id: ids.bobKey2, amount_usd: 5 });
    await gw.store.db
      .insertInto('spend_ledger')
      .values([
        ledgerRow(1, { user_id: ids.ann, key_id: annKey.id, team_id: null, cost_micros: 2 * USD, created_at: now }),
        ledgerRow(2, { user_id: ids.ann, key_id: annKey.id, team_id: null, cost_micros: 3 * USD, created_at: now }),
        ledgerRow(3, { user_id: ids.bob, key_id: ids.bobKey2, team_id: ids.platform, cost_micros: 1 * USD, created_at: now }),
      ])
      .execute();
    const session = newSessionToken();
    memberToken = session.token;
    await gw.store.db
      .insertInto('sessions')
      .values({ id: randomUUID(), token_hash: session.hash, user_id: ids.bob!, created_at: now, expires_at: now + 3_600_000, revoked_at: null })
      .execute();
  });
  afterAll(async () => {
    await gw?.close();
    const redis = await openRedis(REDIS_URL);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("users carry the budget that applies to them and this period's spend against it", async ({ skip }) => {
    if (!gw) return skip();
    const users = (await get('/users')).body.data as Row[];
    const budgetOf = (email: string) => users.find((user) => user.email === email)!.budget;
    const resets_at = new Date(month.end).toISOString();
    expect(budgetOf('ann@example.com')).toEqual({ amount_usd: 50, period: 'monthly', source: 'user', spent_usd: 5, percent: 10, resets_at });
    expect(budgetOf('bob@example.com')).toEqual({ amount_usd: 20, period: 'monthly', source: 'team_default', spent_usd: 1, percent: 5, resets_at });
    expect(budgetOf('cy@example.com')).toEqual({ amount_usd: 10, period: 'monthly', source: 'global_default', spent_usd: 0, percent: 0, resets_at });
    expect((await get(`/users/${ids.ann}`)).body.budget).toMatchObject({ source: 'user', spent_usd: 5 });
  });

  it("teams carry their own budget, and their spend in its period or this UTC month", async ({ skip }) => {
    if (!gw) return skip();
    const teams = (await get('/teams?sort=spent_usd')).body.data as Row[];
    expect(teams.map((team) => team.name)).toEqual(['platform', 'mobile']);
    expect(teams[0]).toMatchObject({
      budget: { id: expect.any(String), amount_usd: 100, period: 'daily', resets_at: new Date(day.end).toISOString(), spent_usd: 1, percent: 1 },
      spend: { usd: 1, since: new Date(day.start).toISOString() },
    });
    expect(teams[1]).toMatchObject({ budget: null, spend: { usd: 0, since: new Date(month.start).toISOString() } });
    expect((await get('/teams?sort=spent_usd&order=asc&limit=1')).body).toMatchObject({ total: 2, data: [{ name: 'mobile' }] });
  });

  it('budgets carry their subject names and this period’s requests', async ({ skip }) => {
    if (!gw) return skip();
    const all = (await get('/budgets')).body;
    expect(all.total).toBe(5);
    const bobKeyPrefix = (all.data as Row[]).find((row) => row.subject_type === 'key')!.subject_name;
    expect(bobKeyPrefix).toMatch(/^sk-ccag-/);
    expect((all.data as Row[]).map((row) => [row.subject_name, row.requests])).toEqual([
      ['ann@example.com', 2],
      ['Default for platform', null],
      ['Global default', null],
      ['platform', 1],
      [bobKeyPrefix, 1],
    ]);
    // Ties keep the stored order (by subject type, then id); budgets without a subject of their own go last.
    expect((await get('/budgets?sort=requests')).body.data.map((row: Row) => row.subject_name)).toEqual(['ann@example.com', bobKeyPrefix, 'platform', 'Global default', 'Default for platform']);
    expect((await get('/budgets?subject_type=user')).body).toMatchObject({ total: 1, data: [{ subject_name: 'ann@example.com', spent_usd: 5, percent: 10 }] });
    expect((await get('/budgets?q=PLATFORM')).body.data.map((row: Row) => row.subject_name)).toEqual(['Default for platform', 'platform']);
  });

  it('budget events name their user, team and subject, and filter by name, kind and time', async ({ skip }) => {
    if (!gw) return skip();
    const detail = (percent: number) => JSON.stringify({ threshold_percent: percent, spend_usd: 4, limit_usd: 5, percent: 80, period: 'monthly', period_start: new Date(month.start).toISOString(), budget_id: 'b', subject_type: 'key' });
    const event = (n: number, subject_type: 'user' | 'team' | 'key', subject_id: string, user_id: string | null, team_id: string | null) => ({
      id: randomUUID(),
      subject_type,
      subject_id,
      threshold_percent: 80,
      period_start: month.start,
      event_type: `${subject_type === 'team' ? 'team_' : ''}budget_warning`,
      severity: 'warning',
      user_id,
      team_id,
      detail: detail(80),
      created_at: now - 10_000 + n * 1000,
    });
    await gw.store.db
      .insertInto('budget_events')
      .values([event(1, 'user', ids.ann!, ids.ann!, null), event(2, 'team', ids.platform!, null, ids.platform!), event(3, 'key', ids.bobKey!, ids.bob!, ids.platform!)])
      .execute();
    const events = (await get('/budget-events')).body;
    expect(events).toMatchObject({ total: 3, limit: 100, offset: 0 });
    expect(events.data.map((row: Row) => row.subject_type)).toEqual(['key', 'team', 'user']);
    expect(events.data[0]).toEqual({
      id: expect.any(String),
      created_at: new Date(now - 7_000).toISOString(),
      event_type: 'budget_warning',
      severity: 'warning',
      subject_type: 'key',
      subject_id: ids.bobKey,
      subject_name: keyPrefix,
      user_id: ids.bob,
      user_email: 'bob@example.com',
      team_id: ids.platform,
      team_name: 'platform',
      threshold_percent: 80,
      spend_usd: 4,
      limit_usd: 5,
      percent: 80,
      period: 'monthly',
      period_start: new Date(month.start).toISOString(),
      delivery: 'not_configured',
      delivered_at: null,
    });
    expect((await get('/budget-events?q=ANN')).body.data.map((row: Row) => row.subject_name)).toEqual(['ann@example.com']);
    expect((await get('/budget-events?q=platform')).body.data.map((row: Row) => row.subject_type)).toEqual(['team']);
    expect((await get('/budget-events?q=nobody')).body).toMatchObject({ total: 0, data: [] });
    expect((await get('/budget-events?subject_type=user')).body.total).toBe(1);
    expect((await get('/budget-events?event_type=team_budget_warning')).body.total).toBe(1);
    const from = encodeURIComponent(new Date(now - 8_500).toISOString());
    const to = encodeURIComponent(new Date(now - 7_000).toISOString());
    expect((await get(`/budget-events?from=${from}&to=${to}`)).body.data.map((row: Row) => row.subject_type)).toEqual(['team']);
  });

  it('GET /admin/system: version, own origin, health with database and Redis probes', async ({ skip }) => {
    if (!gw) return skip();
    const system = await get('/system');
    expect(system).toEqual({
      status: 200,
      body: {
        version: VERSION,
        public_url: 'http://localhost:80',
        uptime_s: expect.any(Number),
        health: 'healthy',
        database: { status: 'connected', dialect: database, latency_ms: expect.any(Number) },
        redis: { status: 'connected', latency_ms: expect.any(Number) },
        endpoints: { total: 0, enabled: 0, default: null },
        authentication: { virtual_keys: true, admin_login: true, oidc: 0, device_login: true },
        identity_providers: [],
        ledger: { queued: expect.any(Number) },
      },
    });
  });

  it('a member sees only the budgets that apply to them, and none of the admin views', async ({ skip }) => {
    if (!gw) return skip();
    const mine = await get('/me/budgets', memberToken);
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((row: Row) => [row.subject_type, row.subject_name, row.amount_usd, row.spent_usd, row.percent, row.status])).toEqual([
      ['team_default', 'Default for platform', 20, 1, 5, 'ok'],
      ['team', 'platform', 100, 1, 1, 'ok'],
      ['key', expect.stringMatching(/^sk-ccag-/), 5, 1, 20, 'ok'],
    ]);
    expect(mine.body.data[0]).toEqual({
      subject_type: 'team_default',
      subject_name: 'Default for platform',
      amount_usd: 20,
      period: 'monthly',
      rules: [
        { action: 'notify', percent: 80 },
        { action: 'block', percent: 100 },
      ],
      strict: false,
      spent_usd: 1,
      percent: 5,
      resets_at: new Date(month.end).toISOString(),
      status: 'ok',
    });
    expect((await get('/me/budgets')).body.data).toMatchObject([{ subject_type: 'global_default', subject_name: 'Global default', amount_usd: 10, spent_usd: 0, strict: false }]);
    for (const path of ['/system', '/budget-events', '/budgets', '/users']) {
      expect({ path, ...(await get(path, memberToken)) }).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
  });
});
