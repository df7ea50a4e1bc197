/**
 * A `ccag serve` child process for fault-injection tests (test/e2e/faults-*.test.ts): what a
 * fault leaks shows in the process itself, so its file descriptors and resident memory are read
 * from /proc and compared with a baseline taken before the fault. The process talks to its
 * database (maybe through a cuttable proxy) while the test reads the ledger directly.
 */
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { Store } from '../../src/store/database.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import type { TestDatabase } from './databases.js';
import { sleep } from './mock-script.js';
import { startServe, type ServeProcess } from './serve-process.js';
import { TEST_OUTBOUND_ALLOWLIST } from './outbound.js';
import { runConcurrently, streamLoad, type StreamOutcome } from './stream-load.js';

const ADMIN_PASSWORD = 'a-long-enough-password';

export interface Footprint {
  /** Open file descriptors (sockets, files, pipes, epoll). */
  readonly fds: number;
  /** Resident set size, MiB. */
  readonly rssMb: number;
}

/**
 * How far a footprint may sit above its baseline once a fault is over. Descriptors: the pooled
 * keep-alive connections to the database and Redis may be reopened in a different number after a
 * cut. Memory: V8 keeps the heap it grew to under load for a while after it is garbage, so a
 * leak is only what stays above this.
 */
export const FOOTPRINT_TOLERANCE = { fds: 6, rssMb: 48 } as const;

export interface FaultGateway {
  readonly url: string;
  readonly serve: ServeProcess;
  readonly store: Store;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  createKey(userEmail: string): Promise<{ key: string; id: string }>;
  /** GET /metrics (Prometheus text), as the admin. */
  scrape(): Promise<string>;
  footprint(): Footprint;
  /** Every ledger row, oldest first. */
  ledger(): Promise<SpendLedgerTable[]>;
  stop(): Promise<void>;
}

export function footprintOf(pid: number): Footprint {
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return { fds, rssMb: Math.round(rssKb / 1024) };
}

/**
 * Starts `ccag serve` on `database` (reached at `databaseUrl` when given: a proxy) with `env` on
 * top; the test keeps the database and drops it.
 */
export async function startFaultGateway(database: TestDatabase, env: Record<string, string>, databaseUrl = database.databaseUrl): Promise<FaultGateway> {
  // SQLite lives in the data directory, so a SQLite gateway's is the test database's.
  const dataDir = database.name === 'sqlite' ? dirname(database.sqlitePath) : mkdtempSync(join(tmpdir(), 'ccag-faults-'));
  const serve = await startServe({
    CCAG_DATA_DIR: dataDir,
    CCAG_OUTBOUND_ALLOW_PRIVATE: TEST_OUTBOUND_ALLOWLIST,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD,
    CCAG_MASTER_KEY: 'c'.repeat(64),
    LOG_LEVEL: 'fatal',
    CCAG_LEDGER_FLUSH_MS: '20',
    ...env,
  });
  const store = await database.open();
  const login = await fetch(`${serve.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const gateway: FaultGateway = {
    url: serve.url,
    serve,
    store,
    async admin<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${serve.url}/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async createKey(userEmail) {
      const created = await gateway.admin<{ key: string; id: string }>('POST', '/keys', { user_email: userEmail });
      if (created.status !== 201) throw new Error(`key creation failed: ${created.status} ${JSON.stringify(created.body)}`);
      return created.body;
    },
    scrape: () => fetch(`${serve.url}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text()),
    footprint: () => footprintOf(serve.child.pid!),
    ledger: () => store.db.selectFrom('spend_ledger').selectAll().orderBy('created_at').orderBy('request_id').execute(),
    async stop() {
      serve.child.kill('SIGTERM');
      await serve.exited;
      await store.close();
      if (database.name !== 'sqlite') rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return gateway;
}

/**
 * Waits (up to 30 s) for the footprint to come back within FOOTPRINT_TOLERANCE of `baseline`,
 * then asserts it; returns the last reading for the report. Closed sockets linger briefly; the
 * heap a 40 MB stream grew is handed back by V8's memory reducer only some seconds after the
 * allocation stops, later still on a busy machine (seen: 250 MiB still held after 10 s in CI).
 */
export async function expectBackToBaseline(gateway: FaultGateway, baseline: Footprint): Promise<Footprint> {
  const within = (now: Footprint) => now.fds <= baseline.fds + FOOTPRINT_TOLERANCE.fds && now.rssMb <= baseline.rssMb + FOOTPRINT_TOLERANCE.rssMb;
  let now = gateway.footprint();
  for (let waited = 0; !within(now) && waited < 30_000; waited += 250) {
    await sleep(250);
    now = gateway.footprint();
  }
  expect(now.fds, `descriptors ${now.fds} vs baseline ${baseline.fds}`).toBeLessThanOrEqual(baseline.fds + FOOTPRINT_TOLERANCE.fds);
  expect(now.rssMb, `RSS ${now.rssMb} MiB vs baseline ${baseline.rssMb} MiB`).toBeLessThanOrEqual(baseline.rssMb + FOOTPRINT_TOLERANCE.rssMb);
  return now;
}

/**
 * Warms the gateway up with 20 clean streams (10 at once) on `key`, lets the mock's idle
 * connections go, and returns the outcomes and the footprint a fault must come back to.
 */
export async function warmUpAndMeasure(gateway: FaultGateway, mock: { closeIdleConnections(): void }, key: string, script: string): Promise<{ outcomes: StreamOutcome[]; baseline: Footprint }> {
  const load = streamLoad(gateway.url, key);
  const outcomes = await runConcurrently(20, 10, () => load.stream(script));
  await load.close();
  mock.closeIdleConnections();
  await sleep(500);
  return { outcomes, baseline: gateway.footprint() };
}
