/**
 * Proof that rate limits are global across replicas: three real `ccag serve` processes share one
 * PostgreSQL database and one Redis; a key limited to 60 requests per minute is driven round-robin
 * across all three, well above the limit, and only 60 requests get through in total (not 3 × 60);
 * an override saved on one replica then reaches another. Also: several replicas without Redis
 * refuse to start.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openRedis } from '../../src/store/redis.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { CLI, ReplicaEnvironments, startServe, type ServeProcess } from '../support/serve-process.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const REDIS_URL = process.env.CCAG_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_PASSWORD = 'a-long-enough-password';
const RPM = 60;
const RUN_MS = 20_000;
/** One request every 150 ms: 400 per minute offered, far above the limit. */
const INTERVAL_MS = 150;

describe('rate limits across three replicas (postgres + redis)', () => {
  let mock: MockAnthropic;
  let database: TestDatabase | undefined;
  const replicas: ServeProcess[] = [];
  const prefix = `ccag-test-${randomUUID()}:`;
  const environments = new ReplicaEnvironments({ databaseUrl: () => database!.databaseUrl!, redisUrl: REDIS_URL, redisPrefix: prefix, adminPassword: ADMIN_PASSWORD, masterKey: 'b'.repeat(64) });
  const env = () => environments.next({ ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_RATE_LIMIT_KEY_RPM: String(RPM) });

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" before these tests`);
    mock = await startMockAnthropic();
    database = await createTestDatabase('postgres');
    if (!database) return;
    // The first replica migrates and creates the admin and upstream; the others join it.
    replicas.push(await startServe(env()));
    replicas.push(...(await Promise.all([startServe(env()), startServe(env())])));
  }, 90_000);

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.all(replicas.map((replica) => replica.exited));
    await mock?.close();
    await database?.drop();
    environments.removeDataDirs();
    const redis = await openRedis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  test(`a key limited to ${RPM} RPM gets ${RPM} requests through three replicas, not ${3 * RPM}`, async (ctx) => {
    if (!database) return ctx.skip();
    const login = await fetch(`${replicas[0]!.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${replicas[0]!.url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_email: 'load@example.com' }),
    });
    const { key, id } = (await created.json()) as { key: string; id: string };

    // Every replica knows the key (they poll for new keys) before the load starts; listing models
    // authenticates without counting against the limit.
    for (const replica of replicas) {
      for (let i = 0; i < 100; i++) {
        if ((await fetch(`${replica.url}/v1/models`, { headers: { 'x-api-key': key } })).status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    const ask = (url: string) =>
      fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
      }).then(async (response) => ({ status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() }));

    // Inference calls only: each replica's periodic health check also reaches the mock.
    const inferenceCalls = () => mock.requests.filter((request) => request.method === 'POST').length;
    const upstreamBefore = inferenceCalls();
    const results: Promise<{ replica: number; status: number; retryAfter: string | null; body: string }>[] = [];
    const started = Date.now();
    for (let i = 0; Date.now() - started < RUN_MS; i++) {
      const replica = i % replicas.length;
      results.push(ask(replicas[replica]!.url).then((result) => ({ replica, ...result })));
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
    const answers = await Promise.all(results);

    const admitted = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answers.length).toBeGreaterThan(2 * RPM);
    expect(admitted.length + refused.length).toBe(answers.length);
    // The whole run fits in one 60-second window: the sliding window admits exactly the limit.
    expect(admitted.length).toBe(RPM);
    expect(inferenceCalls() - upstreamBefore).toBe(RPM);
    for (const replica of [0, 1, 2]) {
      expect(admitted.some((answer) => answer.replica === replica)).toBe(true);
      expect(refused.some((answer) => answer.replica === replica)).toBe(true);
    }
    for (const answer of refused) {
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
    }

    // An override saved on one replica reaches the others through the database within seconds.
    const lifted = await fetch(`${replicas[0]!.url}/admin/rate-limits/key/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rpm: 'unlimited' }),
    });
    expect(lifted.status).toBe(200);
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await ask(replicas[2]!.url)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  }, 60_000);

  test('several replicas without REDIS_URL refuse to start, and say why', async (ctx) => {
    if (!database) return ctx.skip();
    const { REDIS_URL: _redis, ...withoutRedis } = env();
    await expect(startServe(withoutRedis)).rejects.toThrow(/CCAG_REPLICAS.*3 replicas need REDIS_URL/);
  });
});
