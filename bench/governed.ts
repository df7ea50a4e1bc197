/**
 * The governed gateway (BENCH_GOVERNED=1): a second `ccag serve` as a replicated deployment runs
 * it, on PostgreSQL and Redis, with rate limits (per key, user and team) and a user budget on, so
 * every request takes rate-limit slots and reserves and settles its worst-case cost. The limits
 * are set far above what the bench sends: they are counted, never hit. Its own database and Redis
 * key prefix are removed when the bench ends.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { BENCH_POSTGRES_URL, BENCH_REDIS_URL } from './settings.js';
import { adminToken, createVirtualKey, json, startGateway, type Gateway, type Mock } from './services.js';

const GENEROUS = String(10_000_000);

export interface Governed {
  gateway: Gateway;
  key: string;
  ledgerRows(): Promise<number>;
  /** Drops the bench's database and Redis keys (after the gateway has stopped). */
  cleanUp(): Promise<void>;
}

function databaseUrl(name: string): string {
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function startGoverned(mock: Mock, workDir: string, profileDir?: string): Promise<Governed> {
  const run = randomBytes(6).toString('hex');
  const database = `ccag_bench_${run}`;
  const redisPrefix = `ccag-bench:${run}:`;
  const cleanUp = async () => {
    await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    const redis = new Redis(BENCH_REDIS_URL);
    try {
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  };
  await onServer((client) => client.query(`CREATE DATABASE ${database}`));
  try {
    const gateway = await startGateway(mock, join(workDir, 'governed'), profileDir, {
      DATABASE_URL: databaseUrl(database),
      // A database-backed gateway needs a master key for the credentials it stores.
      CCAG_MASTER_KEY: randomBytes(32).toString('hex'),
      REDIS_URL: BENCH_REDIS_URL,
      CCAG_REDIS_PREFIX: redisPrefix,
      ...Object.fromEntries(
        ['KEY', 'USER', 'TEAM'].flatMap((scope) => ['RPM', 'TPM', 'CONCURRENCY'].map((limit) => [`CCAG_RATE_LIMIT_${scope}_${limit}`, GENEROUS])),
      ),
    });
    const key = await createVirtualKey(gateway.url);
    await setBudget(gateway.url);
    return {
      gateway,
      key,
      async ledgerRows() {
        const client = new pg.Client({ connectionString: databaseUrl(database) });
        await client.connect();
        try {
          const result = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM spend_ledger');
          return Number(result.rows[0]!.n);
        } finally {
          await client.end();
        }
      },
      cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** A monthly budget for the bench user big enough never to block. */
export async function setBudget(gatewayUrl: string): Promise<void> {
  const token = await adminToken(gatewayUrl);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const users = await json<{ data: Array<{ id: string; email: string }> }>(await fetch(`${gatewayUrl}/admin/users?q=bench%40example.com`, { headers }), 'user list', 200);
  const user = users.data.find((candidate) => candidate.email === 'bench@example.com');
  if (!user) throw new Error('the bench user is missing after key creation');
  await json(
    await fetch(`${gatewayUrl}/admin/budgets`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ subject_type: 'user', subject_id: user.id, amount_usd: 1_000_000, period: 'monthly', policy: 'standard' }),
    }),
    'budget creation',
    201,
  );
}
