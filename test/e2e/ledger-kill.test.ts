/**
 * kill -9 loses nothing (issue 13): a real `ccag serve` process under 20 concurrent streaming
 * clients is killed with SIGKILL, once with the database up and once during a PostgreSQL outage
 * (the database behind a TCP proxy this test cuts; the server itself is never stopped). After a
 * restart on the same data directory, every request the client saw complete has exactly one
 * ledger row, and the user's budget counts each row once. The counts are printed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { freePort, startServe, type ServeProcess } from '../support/serve-process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const CLIENTS = 20;
/** 450,000 micro-dollars (45 cents) a request: whole cents, so the budget's cents are exact. */
const PROMPT = 'stream [[usage in=100000 out=10000]] [[chunks 6]] [[delay 4]]';
const COST_MICROS = 100_000 * 3 + 10_000 * 15;

interface Load {
  /** Request ids of the responses the client read to their end, `message_stop` included. */
  readonly completed: string[];
  /** Requests sent that did not complete (in flight at the kill). */
  readonly unfinished: number;
  /** Resolves when every client has stopped (the gateway is gone). */
  readonly done: Promise<void>;
}

/** CLIENTS clients, each sending streamed requests one after another until the gateway is gone. */
function streamLoad(url: string, key: string): Load {
  const completed: string[] = [];
  let unfinished = 0;
  const client = async () => {
    for (;;) {
      try {
        const response = await fetch(`${url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
          body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 20_000, stream: true, messages: [{ role: 'user', content: PROMPT }] }),
        });
        const text = await response.text();
        expect(response.status, text).toBe(200);
        expect(text).toContain('event: message_stop');
        completed.push(response.headers.get('x-ccag-request-id')!);
      } catch (error) {
        // A failed expectation fails the test; a connection the kill cut ends this client.
        if (error instanceof Error && error.name === 'AssertionError') throw error;
        unfinished += 1;
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: CLIENTS }, client)).then(() => {});
  return {
    completed,
    get unfinished() {
      return unfinished;
    },
    done,
  };
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(5);
  }
}

const rowCounts = (store: Store) =>
  store.db.selectFrom('spend_ledger').select(['request_id', sql<number>`count(*)`.as('n')]).groupBy('request_id').execute();

describe('kill -9 under 20 concurrent streams loses no ledger row (postgres)', () => {
  let mock: MockAnthropic | undefined;
  let database: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;
  let dataDir: string | undefined;
  let store: Store | undefined;
  const processes: ServeProcess[] = [];

  afterEach(async () => {
    for (const serve of processes.splice(0)) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    await store?.close();
    await proxy?.close();
    await database?.drop();
    await mock?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function setUp(): Promise<{ env: Record<string, string>; key: string } | undefined> {
    database = await createTestDatabase('postgres');
    if (!database) return undefined;
    mock = await startMockAnthropic();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    dataDir = mkdtempSync(join(tmpdir(), 'ccag-kill-'));
    const viaProxy = new URL(database.databaseUrl!);
    viaProxy.port = String(proxy.port);
    // The key, its user and a budget are made by an in-process gateway on the same database and data directory.
    const seeded = await startGateway({
      database: 'postgres',
      existing: { database, dataDir },
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, DATABASE_URL: viaProxy.toString(), CCAG_DATABASE_POOL_SIZE: '2' },
    });
    const { key } = await seeded!.createKey('killed@example.com');
    const user = await seeded!.store.db.selectFrom('users').select('id').where('email', '=', 'killed@example.com').executeTakeFirstOrThrow();
    const budget = await seeded!.admin('POST', '/budgets', { subject_type: 'user', subject_id: user.id, amount_usd: 100_000, period: 'monthly', policy: 'standard' });
    expect(budget.status).toBe(201);
    await seeded!.app.shutdown();
    store = seeded!.store;
    // The production flush interval: rows wait up to 200 ms in memory, which is what a kill used to lose.
    const { CCAG_LEDGER_FLUSH_MS: _flush, ...env } = seeded!.env;
    return { env: { ...env, LOG_LEVEL: 'warn', PORT: String(await freePort()) }, key };
  }

  async function serve(env: Record<string, string>): Promise<ServeProcess> {
    const started = await startServe(env);
    processes.push(started);
    return started;
  }

  async function killNow(gateway: ServeProcess): Promise<void> {
    gateway.child.kill('SIGKILL');
    expect(await gateway.exited).toBeNull();
    processes.splice(processes.indexOf(gateway), 1);
  }

  /** After the restart: every completed request has exactly one row, and the budget counts each row once. */
  async function expectNothingLost(load: Load, rowsBeforeRestart: number, env: Record<string, string>, key: string, label: string) {
    const again = await serve(env);
    const counts = await rowCounts(store!);
    const byId = new Map(counts.map((row) => [row.request_id, Number(row.n)]));
    const missing = load.completed.filter((id) => byId.get(id) !== 1);
    const rows = counts.length;
    const usage = await fetch(`${again.url}/api/oauth/usage`, { headers: { 'x-api-key': key } }).then((r) => r.json() as Promise<{ extra_usage: { used_credits: number } }>);
    const ledgerMicros = Number((await store!.db.selectFrom('spend_ledger').select(sql<string>`sum(cost_micros)`.as('total')).executeTakeFirstOrThrow()).total);
    console.log(
      `[kill -9 ${label}] completed by the clients: ${load.completed.length}, in flight at the kill: ${load.unfinished}; ` +
        `ledger rows before the restart: ${rowsBeforeRestart}, after: ${rows} (${rows - load.completed.length} of requests in flight at the kill); ` +
        `completed without exactly one row: ${missing.length}; duplicated ids: ${counts.filter((row) => Number(row.n) !== 1).length}; ` +
        `budget used: ${usage.extra_usage.used_credits} cents, ledger: ${ledgerMicros / 10_000} cents`,
    );
    expect(missing).toEqual([]);
    expect(rows).toBeGreaterThanOrEqual(load.completed.length);
    expect(rows).toBeLessThanOrEqual(load.completed.length + CLIENTS);
    expect(ledgerMicros).toBe(rows * COST_MICROS);
    expect(usage.extra_usage.used_credits).toBe((rows * COST_MICROS) / 10_000);
    // The killed process's write-ahead file was replayed and removed; the new process has its own.
    expect(readdirSync(join(dataDir!, 'journal', 'wal'))).toHaveLength(1);
  }

  test('killed while streaming: every completed request is in the ledger once after the restart', { timeout: 180_000 }, async (ctx) => {
    const ready = await setUp();
    if (!ready) return ctx.skip();
    const gateway = await serve(ready.env);
    const load = streamLoad(gateway.url, ready.key);
    await until(() => load.completed.length >= 200);
    await killNow(gateway);
    await load.done;
    const rowsBeforeRestart = (await rowCounts(store!)).length;
    await expectNothingLost(load, rowsBeforeRestart, ready.env, ready.key, 'under load');
    // Without the journal this many completed requests would have had no row.
    expect(rowsBeforeRestart).toBeLessThan(load.completed.length);
  });

  test('killed during a database outage: nothing lost, nothing counted twice', { timeout: 180_000 }, async (ctx) => {
    const ready = await setUp();
    if (!ready) return ctx.skip();
    // A small buffer, so part of the outage's rows are spilled to the fsync'd journal before the kill.
    const env = { ...ready.env, CCAG_LEDGER_MAX_BUFFERED: '50' };
    const gateway = await serve(env);
    const load = streamLoad(gateway.url, ready.key);
    await until(() => load.completed.length >= 60);
    proxy!.cut();
    const beforeOutage = load.completed.length;
    await until(() => load.completed.length >= beforeOutage + 150);
    await killNow(gateway);
    await load.done;
    const rowsBeforeRestart = (await rowCounts(store!)).length;
    const spilled = readdirSync(join(dataDir!, 'journal'))
      .filter((name) => name.startsWith('spend-journal'))
      .flatMap((name) => readFileSync(join(dataDir!, 'journal', name), 'utf8').split('\n').filter(Boolean)).length;
    console.log(`[kill -9 during an outage] rows spilled to the fsync'd journal before the kill: ${spilled}`);
    // Both journals are exercised: rows past CCAG_LEDGER_MAX_BUFFERED were spilled, the rest only written ahead.
    expect(spilled).toBeGreaterThan(0);
    proxy!.restore();
    await expectNothingLost(load, rowsBeforeRestart, env, ready.key, 'during an outage');
    expect(rowsBeforeRestart).toBeLessThan(beforeOutage + 150);
  });
});
