/**
 * No overspend with several replicas (spec §4): three `ccag serve` processes share PostgreSQL and
 * Redis (under a prefix of this test's own), and 50 clients spread their streamed requests over
 * all three against one $1.00 user budget, once under the default admission rule and once strict.
 * Reservations live in Redis, so each rule's bound holds as if there were one gateway.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openRedis } from '../../src/store/redis.js';
import type { Store } from '../../src/store/database.js';
import { createUserBudget, drive, expectServed, expectWithinBudget, type AdminTarget } from '../support/budget-load.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, TEST_MASTER_KEY } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REPLICAS = 3;
/** The gateways poll for other replicas' changes (budgets included) every 2 s. */
const CHANGE_POLL_MS = 2_000;

describe('budget across three replicas sharing PostgreSQL and Redis', () => {
  const redisPrefix = `test:budget-replicas:${randomUUID()}:`;
  const dataDirs: string[] = [];
  let database: TestDatabase | undefined;
  let store: Store;
  let mock: MockAnthropic;
  const replicas: ServeProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    if (!database) return;
    store = await database.open();
    mock = await startMockAnthropic();
    const replica = () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ccag-replica-'));
      dataDirs.push(dataDir);
      return startServe({
        DATABASE_URL: database!.databaseUrl!,
        CCAG_DATA_DIR: dataDir,
        ADMIN_USERNAME,
        ADMIN_PASSWORD,
        CCAG_MASTER_KEY: TEST_MASTER_KEY,
        ANTHROPIC_API_KEY: mock.apiKey,
        ANTHROPIC_UPSTREAM_URL: mock.url,
        REDIS_URL,
        CCAG_REDIS_PREFIX: redisPrefix,
        CCAG_REPLICAS: String(REPLICAS),
        CCAG_LEDGER_FLUSH_MS: '20',
        LOG_LEVEL: 'warn',
      });
    };
    // The first creates the schema and the bootstrap admin; the others then start side by side.
    replicas.push(await replica());
    replicas.push(...(await Promise.all(Array.from({ length: REPLICAS - 1 }, replica))));
  }, 90_000);

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.all(replicas.map((replica) => replica.exited));
    await mock?.close();
    await store?.close();
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    const redis = await openRedis(REDIS_URL);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  test.for(['default', 'strict'] as const)('%s rule: 50 clients over three replicas keep the ledger within its bound', { timeout: 120_000 }, async (rule, ctx) => {
    if (!database) return ctx.skip();
    const email = `spender-${rule}@example.com`;
    const target = await adminOf(replicas[0]!.url, store);
    const created = await target.admin<{ key: string }>('POST', '/keys', { user_email: email });
    expect(created.status).toBe(201);
    await createUserBudget(target, email, rule);
    // The other replicas learn of the key and the budget on their next poll.
    await sleep(CHANGE_POLL_MS * 2);

    const outcomes = await drive(
      replicas.map((replica) => replica.url),
      created.body.key,
      50,
    );
    const served = outcomes.filter((outcome) => outcome === 'served').length;
    expectServed(served, rule);
    await expectWithinBudget(store, email, served, rule);
  });
});

async function adminOf(url: string, store: Store): Promise<AdminTarget> {
  const login = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  return {
    store,
    async admin<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${url}/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}
