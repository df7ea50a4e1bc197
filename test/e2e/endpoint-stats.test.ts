/**
 * GET /admin/endpoints/stats on a real gateway (SQLite and PostgreSQL): traffic figures from the
 * seeded ledger rows beside events written through the event recorder, every configured endpoint
 * listed (an idle one with zeros), a deleted endpoint's traffic after them, the named ranges, and
 * the validation answers. Times are relative to now (test/support/analytics-seed.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEndpointEventRecorder } from '../../src/routing/endpoint-event-recorder.js';
import { createEndpointEventsRepo, type EndpointEvent } from '../../src/routing/endpoint-events.repo.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { DAY, HOUR, seedAnalytics, type AnalyticsSeed } from '../support/analytics-seed.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

type Json = Record<string, any>;
const iso = (ms: number) => new Date(ms).toISOString();
const sum = (rows: readonly SpendLedgerTable[], f: (row: SpendLedgerTable) => number) => rows.reduce((total, row) => total + f(row), 0);
const rate = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 10_000;

describe.each(['sqlite', 'postgres'] as const)('endpoint statistics (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let seed: AnalyticsSeed;
  let idleId: string;

  async function get(query: string): Promise<{ status: number; body: Json }> {
    const response = await gw!.app.fastify.inject({ method: 'GET', url: `/admin/endpoints/stats${query}`, headers: { authorization: `Bearer ${await gw!.adminToken()}` } });
    return { status: response.statusCode, body: response.json() as Json };
  }

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    seed = await seedAnalytics(gw);
    idleId = (await gw.addEndpoint({ kind: 'anthropic', name: 'idle', api_key: 'sk-ant-idle', priority: 200 })).id;
    const recorder = createEndpointEventRecorder({ repo: createEndpointEventsRepo(gw.store.db) });
    const at = (hours: number) => seed.base + hours * HOUR;
    const events: EndpointEvent[] = [
      { endpointId: seed.endpointId, kind: 'throttle', reason: 'throttled', durationMs: null, at: at(1) },
      { endpointId: seed.endpointId, kind: 'throttle', reason: 'throttled', durationMs: null, at: at(2) },
      { endpointId: seed.endpointId, kind: 'cooldown', reason: 'throttled', durationMs: 30_000, at: at(2) },
      { endpointId: seed.endpointId, kind: 'failover', reason: 'throttled', durationMs: null, at: at(2) },
      { endpointId: idleId, kind: 'unhealthy', reason: 'health_check', durationMs: null, at: at(3) },
      // Outside the three seeded days.
      { endpointId: seed.endpointId, kind: 'throttle', reason: 'throttled', durationMs: null, at: seed.base + 3 * DAY + HOUR },
    ];
    for (const event of events) recorder.record(event);
    await recorder.close();
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('every endpoint, in routing order: traffic from the ledger, events from the pool; a deleted endpoint last', async ({ skip }) => {
    if (!gw) return skip();
    const answer = await get(`?from=${iso(seed.base)}&to=${iso(seed.base + 3 * DAY)}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const mine = seed.rows.filter((r) => r.endpoint_id === seed.endpointId);
    const gone = seed.rows.filter((r) => r.endpoint_id === 'ep-gone');
    const errors = mine.filter((r) => r.error_type !== null).length;
    const prompt = (r: SpendLedgerTable) => r.input_tokens + r.cache_read_tokens + r.cache_write_5m_tokens + r.cache_write_1h_tokens;
    expect(answer.body.from).toBe(iso(seed.base));
    expect(answer.body.to).toBe(iso(seed.base + 3 * DAY));
    expect(answer.body.data.map((row: Json) => row.name)).toEqual(['anthropic', 'idle', null]);
    const [main, idle, deleted] = answer.body.data as Json[];
    expect(main).toMatchObject({
      endpoint_id: seed.endpointId,
      kind: 'anthropic',
      requests: mine.length,
      errors,
      error_rate: rate(errors, mine.length),
      avg_latency_ms: Math.round(sum(mine, (r) => r.duration_ms) / mine.length),
      throttles: 2,
      cooldowns: 1,
      failovers: 1,
      cache_hit_rate: rate(sum(mine, (r) => r.cache_read_tokens), sum(mine, prompt)),
    });
    expect(main!.p99_latency_ms).toBeGreaterThan(0);
    expect(idle).toEqual({
      endpoint_id: idleId, name: 'idle', kind: 'anthropic', requests: 0, errors: 0, error_rate: null, avg_latency_ms: null,
      p99_latency_ms: null, throttles: 0, cooldowns: 0, failovers: 0, cache_hit_rate: null,
    });
    expect(deleted).toMatchObject({ endpoint_id: 'ep-gone', name: null, kind: null, requests: gone.length, throttles: 0 });
  });

  test('named ranges end now; the seeded past is outside the last 24 hours', async ({ skip }) => {
    if (!gw) return skip();
    const day = await get('?range=24h');
    expect(day.status).toBe(200);
    expect(Date.parse(day.body.to) - Date.parse(day.body.from)).toBe(DAY);
    expect(Math.abs(Date.parse(day.body.to) - Date.now())).toBeLessThan(60_000);
    // Only the two live requests of the seed are this recent; no seeded event is.
    const main = day.body.data.find((row: Json) => row.endpoint_id === seed.endpointId);
    expect(main).toMatchObject({ requests: 2, throttles: 0, cooldowns: 0 });
    const month = await get('?range=30d');
    expect(month.body.data.find((row: Json) => row.endpoint_id === seed.endpointId)).toMatchObject({ requests: 32, throttles: 3 });
  });

  test('refuses a bad range with the field named', async ({ skip }) => {
    if (!gw) return skip();
    for (const [query, field] of [['?range=1y', 'range'], [`?range=7d&from=${iso(seed.base)}`, 'range, from'], ['?from=yesterday', 'from'], [`?from=${iso(seed.base + DAY)}&to=${iso(seed.base)}`, 'from']] as const) {
      const answer = await get(query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
      expect(answer.body.error.message.startsWith(`${field}:`), answer.body.error.message).toBe(true);
    }
  });

  test('is for admins only', async ({ skip }) => {
    if (!gw) return skip();
    const response = await gw.app.fastify.inject({ method: 'GET', url: '/admin/endpoints/stats', headers: { authorization: `Bearer ${seed.memberToken}` } });
    expect(response.statusCode).toBe(403);
  });
});
