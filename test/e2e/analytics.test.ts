/**
 * The analytics API on a real gateway (SQLite and PostgreSQL) through `app.inject()`: figures
 * checked against the seeded ledger rows, the partial-bucket rule, top groups and Other, latency
 * percentiles, the heatmap in a zone, the tables' sorting, search and paging, members seeing only
 * their own usage, and the validation answers. Times are relative to now (test/support/analytics-seed.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { DAY, HOUR, MODELS, seedAnalytics, type AnalyticsSeed } from '../support/analytics-seed.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

type Json = Record<string, any>;
const iso = (ms: number) => new Date(ms).toISOString();
const sum = (rows: readonly SpendLedgerTable[], f: (row: SpendLedgerTable) => number) => rows.reduce((total, row) => total + f(row), 0);
const cacheWrite = (row: SpendLedgerTable) => row.cache_write_5m_tokens + row.cache_write_1h_tokens;
const tokens = (row: SpendLedgerTable) => row.input_tokens + row.output_tokens + row.cache_read_tokens + cacheWrite(row);
const usd = (rows: readonly SpendLedgerTable[]) => sum(rows, (row) => row.cost_micros) / 1e6;

/** The nearest-rank percentile of the rows' values. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(p * sorted.length) - 1]!;
}

describe.each(['sqlite', 'postgres'] as const)('analytics API (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let seed: AnalyticsSeed;
  let adminToken: string;
  /** Three whole UTC days holding every seeded row. */
  let range: string;

  async function get(path: string, token = adminToken): Promise<{ status: number; body: Json }> {
    const response = await gw!.app.fastify.inject({ method: 'GET', url: `/admin/analytics/${path}`, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: response.json() as Json };
  }
  const ok = async (path: string, token?: string) => {
    const answer = await get(path, token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };
  const refused = async (path: string, status: number, token?: string) => {
    const answer = await get(path, token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    return answer.body.error as { code: string; message: string };
  };

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    seed = await seedAnalytics(gw);
    adminToken = await gw.adminToken();
    range = `from=${iso(seed.base)}&to=${iso(seed.base + 3 * DAY)}`;
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('summary: the seeded rows to the micro-dollar; a partial range counts its partial hours whole', async ({ skip }) => {
    if (!gw) return skip();
    const rows = seed.rows;
    const promptTokens = sum(rows, (r) => r.input_tokens + r.cache_read_tokens + cacheWrite(r));
    expect(await ok(`summary?${range}`)).toEqual({
      from: iso(seed.base),
      to: iso(seed.base + 3 * DAY),
      requests: 60,
      errors: rows.filter((r) => r.error_type !== null).length,
      input_tokens: sum(rows, (r) => r.input_tokens),
      output_tokens: sum(rows, (r) => r.output_tokens),
      cache_read_tokens: sum(rows, (r) => r.cache_read_tokens),
      cache_write_tokens: sum(rows, cacheWrite),
      cost_usd: usd(rows),
      avg_latency_ms: Math.round(sum(rows, (r) => r.duration_ms) / 60),
      cache_hit_rate: Math.round((sum(rows, (r) => r.cache_read_tokens) / promptTokens) * 10_000) / 10_000,
      active_users: 3,
    });

    // 20:30 to 49:10 reads the hours 20:00 to 50:00: the hourly edges around one daily bucket.
    const from = seed.base + 20.5 * HOUR;
    const to = seed.base + 49 * HOUR + 10 * 60_000;
    const inside = rows.filter((r) => r.created_at >= seed.base + 20 * HOUR && r.created_at < seed.base + 50 * HOUR);
    expect(await ok(`summary?from=${iso(from)}&to=${iso(to)}`)).toMatchObject({
      from: iso(seed.base + 20 * HOUR),
      to: iso(seed.base + 50 * HOUR),
      requests: inside.length,
      cost_usd: usd(inside),
    });

    // The default range is the last 7 days: the two live requests.
    expect(await ok('summary')).toMatchObject({ requests: 2, input_tokens: 1010, output_tokens: 105, active_users: 1 });
  });

  test('timeseries: the top groups by cost, the rest as Other, every point adding up', async ({ skip }) => {
    if (!gw) return skip();
    const byModel = MODELS.map((model) => ({ model, cost: usd(seed.rows.filter((r) => r.model === model)) })).sort((a, b) => b.cost - a.cost);
    const series = await ok(`timeseries?${range}&granularity=day&group_by=model&top=2`);
    expect(series).toMatchObject({ granularity: 'day', from: iso(seed.base), to: iso(seed.base + 3 * DAY) });
    expect(series.groups).toEqual([
      { key: byModel[0]!.model, label: byModel[0]!.model },
      { key: byModel[1]!.model, label: byModel[1]!.model },
      { key: '__other__', label: 'Other' },
    ]);
    for (let day = 0; day < 3; day++) {
      const t = seed.base + day * DAY;
      const dayRows = seed.rows.filter((r) => r.created_at >= t && r.created_at < t + DAY);
      const other = series.points.find((p: Json) => p.t === iso(t) && p.key === '__other__');
      expect(other.cost_usd).toBeCloseTo(usd(dayRows.filter((r) => r.model === byModel[2]!.model)), 9);
      const points = series.points.filter((p: Json) => p.t === iso(t));
      expect(sum(points, (p: Json) => p.requests)).toBe(dayRows.length);
      expect(sum(points, (p: Json) => p.cache_write_tokens)).toBe(sum(dayRows, cacheWrite));
    }

    const byUser = await ok(`timeseries?${range}&group_by=user`);
    expect(byUser.granularity).toBe('day');
    expect(byUser.groups.map((g: Json) => g.label).sort()).toEqual(['No user', 'alice@example.com', 'bob@example.com', 'carol@example.com']);
    expect(byUser.groups.find((g: Json) => g.label === 'No user').key).toBe('__none__');

    const hourly = await ok(`timeseries?${range}&granularity=hour`);
    expect(hourly.groups).toEqual([{ key: 'all', label: 'All' }]);
    // One row every 70 minutes: 60 distinct hours, empty ones omitted.
    expect(hourly.points).toHaveLength(60);
    expect(hourly.points[0]).toMatchObject({ t: iso(seed.base), key: 'all', requests: 1, cost_usd: seed.rows[0]!.cost_micros / 1e6 });
  });

  test('latency: counts, means and percentiles within one bin of the exact ones', async ({ skip }) => {
    if (!gw) return skip();
    const check = async (query: string, rows: SpendLedgerTable[], token?: string) => {
      const answer = await ok(`latency?${range}&granularity=day&${query}`, token);
      expect(answer).toMatchObject({ granularity: 'day', metric: query.includes('ttft') ? 'ttft' : 'duration' });
      expect(answer.points).toHaveLength(3);
      for (const point of answer.points) {
        const t = Date.parse(point.t);
        const values = rows.filter((r) => r.created_at >= t && r.created_at < t + DAY).map((r) => (query.includes('ttft') ? r.ttft_ms! : r.duration_ms));
        expect(point.requests).toBe(values.length);
        expect(point.avg_ms).toBe(Math.round(values.reduce((a, b) => a + b, 0) / values.length));
        for (const [field, p] of [['p50_ms', 0.5], ['p95_ms', 0.95], ['p99_ms', 0.99]] as const) {
          const exact = exactPercentile(values, p);
          expect(Math.abs(point[field] - exact) / exact).toBeLessThan(0.19);
        }
      }
    };
    await check('metric=duration', seed.rows);
    // Time to first token only of answered requests that had one.
    await check('metric=ttft', seed.rows.filter((r) => r.ttft_ms !== null && r.status < 400));
    // A team's from the per-team histograms; a member's from their own ledger rows; a team and a model together from the ledger.
    const platform = seed.rows.filter((r) => r.team_id === seed.teams.platform);
    await check(`metric=duration&team_id=${seed.teams.platform}`, platform);
    await check(`metric=ttft&team_id=${seed.teams.platform}`, platform.filter((r) => r.ttft_ms !== null && r.status < 400));
    await check('metric=duration', seed.rows.filter((r) => r.user_id === seed.users.carol), seed.memberToken);
    await check(`metric=duration&team_id=${seed.teams.platform}&model=claude-opus-4-1`, platform.filter((r) => r.model === 'claude-opus-4-1'));
  });

  test('heatmap: 168 cells in the zone, day 0 Monday', async ({ skip }) => {
    if (!gw) return skip();
    const heatmap = await ok(`heatmap?${range}&tz=Asia/Tokyo`);
    expect(heatmap.tz).toBe('Asia/Tokyo');
    expect(heatmap.cells).toHaveLength(168);
    expect(sum(heatmap.cells, (c: Json) => c.requests)).toBe(60);
    // Tokyo is UTC+9 all year: shift each row's UTC hour by nine hours.
    const expected = new Map<string, number>();
    for (const row of seed.rows) {
      const local = new Date(Math.floor(row.created_at / HOUR) * HOUR + 9 * HOUR);
      const key = `${(local.getUTCDay() + 6) % 7}:${local.getUTCHours()}`;
      expected.set(key, (expected.get(key) ?? 0) + row.cost_micros);
    }
    for (const cell of heatmap.cells) expect(cell.cost_usd).toBe((expected.get(`${cell.day}:${cell.hour}`) ?? 0) / 1e6);
  });

  test('models, users, teams and endpoints tables: figures, names, sorting, search, paging', async ({ skip }) => {
    if (!gw) return skip();
    const models = await ok(`models?${range}`);
    expect(models).toMatchObject({ total: 3, limit: 100, offset: 0 });
    expect(models.data.map((m: Json) => m.cost_usd)).toEqual([...models.data.map((m: Json) => m.cost_usd)].sort((a, b) => b - a));
    const opus = seed.rows.filter((r) => r.model === 'claude-opus-4-1');
    expect(models.data.find((m: Json) => m.model === 'claude-opus-4-1')).toEqual({
      model: 'claude-opus-4-1', requests: opus.length, errors: opus.filter((r) => r.error_type !== null).length,
      input_tokens: sum(opus, (r) => r.input_tokens), output_tokens: sum(opus, (r) => r.output_tokens),
      cost_usd: usd(opus), avg_latency_ms: Math.round(sum(opus, (r) => r.duration_ms) / opus.length),
    });
    expect((await ok(`models?${range}&sort=model&limit=1&offset=1`)).data.map((m: Json) => m.model)).toEqual(['claude-opus-4-1']);
    expect(await ok(`models?${range}&q=OPUS`)).toMatchObject({ total: 1, data: [{ model: 'claude-opus-4-1' }] });

    const users = await ok(`users?${range}&sort=user_email`);
    expect(users.data.map((u: Json) => u.user_email)).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com', null]);
    const alice = seed.rows.filter((r) => r.user_id === seed.users.alice);
    expect(users.data[0]).toEqual({
      user_id: seed.users.alice, user_email: 'alice@example.com', team_id: seed.teams.platform, team_name: 'Platform',
      requests: alice.length, input_tokens: sum(alice, (r) => r.input_tokens), output_tokens: sum(alice, (r) => r.output_tokens),
      cache_read_tokens: sum(alice, (r) => r.cache_read_tokens), cache_write_tokens: sum(alice, cacheWrite), tokens: sum(alice, tokens),
      cost_usd: usd(alice), avg_cost_usd: Math.round(sum(alice, (r) => r.cost_micros) / alice.length) / 1e6,
    });
    expect((await ok(`users?${range}&q=platform&sort=user_email&order=desc`)).data.map((u: Json) => u.user_email)).toEqual(['carol@example.com', 'alice@example.com']);

    const teams = await ok(`teams?${range}&sort=team_name`);
    const platform = seed.rows.filter((r) => r.team_id === seed.teams.platform);
    expect(teams.data).toEqual([
      { team_id: seed.teams.mobile, team_name: 'Mobile', requests: 15, tokens: sum(seed.rows.filter((r) => r.team_id === seed.teams.mobile), tokens), cost_usd: usd(seed.rows.filter((r) => r.team_id === seed.teams.mobile)), users: 1 },
      { team_id: seed.teams.platform, team_name: 'Platform', requests: 30, tokens: sum(platform, tokens), cost_usd: usd(platform), users: 2 },
      { team_id: null, team_name: null, requests: 15, tokens: sum(seed.rows.filter((r) => r.team_id === null), tokens), cost_usd: usd(seed.rows.filter((r) => r.team_id === null)), users: 0 },
    ]);

    const endpoints = await ok(`endpoints?${range}&sort=endpoint_name`);
    const mine = seed.rows.filter((r) => r.endpoint_id === seed.endpointId);
    expect(endpoints.data.map((e: Json) => e.endpoint_name)).toEqual(['anthropic', null]);
    expect(endpoints.data[0]).toMatchObject({
      endpoint_id: seed.endpointId, requests: 30, errors: mine.filter((r) => r.error_type !== null).length,
      error_rate: Math.round((mine.filter((r) => r.error_type !== null).length / 30) * 10_000) / 10_000,
      avg_latency_ms: Math.round(sum(mine, (r) => r.duration_ms) / 30),
      cache_hit_rate: Math.round((sum(mine, (r) => r.cache_read_tokens) / sum(mine, (r) => r.input_tokens + r.cache_read_tokens + cacheWrite(r))) * 10_000) / 10_000,
    });
    const p99 = exactPercentile(mine.map((r) => r.duration_ms), 0.99);
    expect(Math.abs(endpoints.data[0].p99_latency_ms - p99) / p99).toBeLessThan(0.19);
  });

  test('tools and MCP servers count each call and each reported failure (live requests)', async ({ skip }) => {
    if (!gw) return skip();
    expect((await ok('tools?sort=tool')).data).toEqual([
      { tool: 'Bash', type: 'builtin', server: null, calls: 1, errors: 1, users: 1 },
      { tool: 'mcp__github__search', type: 'mcp', server: 'github', calls: 1, errors: 0, users: 1 },
    ]);
    expect(await ok('mcp-servers')).toEqual({
      data: [{ server: 'github', tools: 1, tool_names: ['mcp__github__search'], calls: 1, users: 1, errors: 0, error_rate: 0 }],
      total: 1, limit: 100, offset: 0,
    });
    expect((await ok('mcp-servers?q=search')).total).toBe(1);
    expect((await ok(`tools?user_id=${seed.users.bob}`)).total).toBe(0);
  });

  test('a member sees only their own usage, and may not name another user or a team', async ({ skip }) => {
    if (!gw) return skip();
    const member = seed.memberToken;
    const carol = seed.rows.filter((r) => r.user_id === seed.users.carol);
    expect(await ok(`summary?${range}`, member)).toMatchObject({ requests: carol.length, cost_usd: usd(carol), active_users: 1 });
    expect(await ok(`summary?${range}&user_id=${seed.users.carol}`, member)).toMatchObject({ requests: carol.length });
    expect((await ok(`users?${range}`, member)).data.map((u: Json) => u.user_email)).toEqual(['carol@example.com']);
    expect((await ok(`teams?${range}`, member)).data).toMatchObject([{ team_name: 'Platform', requests: carol.length, users: 1 }]);
    expect((await ok(`timeseries?${range}&group_by=user`, member)).groups).toEqual([{ key: seed.users.carol, label: 'carol@example.com' }]);
    expect(sum((await ok(`heatmap?${range}`, member)).cells, (c: Json) => c.requests)).toBe(carol.length);
    expect(sum((await ok(`endpoints?${range}`, member)).data, (e: Json) => e.requests)).toBe(carol.length);

    for (const query of [`user_id=${seed.users.alice}`, `team_id=${seed.teams.platform}`]) {
      for (const route of ['summary', 'timeseries', 'latency', 'heatmap', 'models', 'tools', 'mcp-servers', 'users', 'teams', 'endpoints']) {
        expect(await refused(`${route}?${query}`, 403, member)).toMatchObject({ code: 'forbidden' });
      }
    }
  });

  test('invalid questions answer 400 invalid_request saying what is wrong', async ({ skip }) => {
    if (!gw) return skip();
    const invalid = async (path: string, message: RegExp) => expect(await refused(path, 400)).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(message) });
    await invalid('summary?from=yesterday', /^from: must be an ISO 8601 date-time/);
    await invalid('summary?from=2026-02-30T00:00:00Z', /^from: must be an ISO 8601/);
    await invalid(`summary?from=${iso(seed.base + DAY)}&to=${iso(seed.base)}`, /^from: must be before to/);
    await invalid(`summary?from=${iso(seed.base - 401 * DAY)}&to=${iso(seed.base)}`, /the range is 401 days; at most 400/);
    await invalid(`timeseries?${range}&granularity=week`, /^granularity: must be hour or day/);
    await invalid(`timeseries?from=${iso(seed.base - 40 * DAY)}&to=${iso(seed.base)}&granularity=hour`, /^granularity: hour is for ranges up to 31 days/);
    await invalid('timeseries?group_by=key', /^group_by: must be none, model, team or user/);
    await invalid('models?sort=price', /^sort: must be one of model, requests, errors, input_tokens, output_tokens, cost_usd, avg_latency_ms/);
    await invalid('users?limit=0', /^limit: /);
    await invalid('heatmap?tz=Mars/Olympus', /^tz: must be an IANA time zone/);
    await invalid('tools?model=claude-sonnet-4-5', /cannot be filtered by model or endpoint/);
    await invalid('latency?metric=tokens', /^metric: must be duration or ttft/);
  });
});
