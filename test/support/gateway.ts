/**
 * A real gateway for tests: the production composition root on a fresh database (SQLite or
 * PostgreSQL), a temporary data directory and a random port. Talks to it over HTTP only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { loadSettings } from '../../src/config/settings.js';
import type { Store } from '../../src/store/database.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { TEST_OUTBOUND_ALLOWLIST } from './outbound.js';

export const ADMIN_USERNAME = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct-horse-battery-staple';
export const TEST_MASTER_KEY = 'a'.repeat(64);

export interface TestGateway {
  url: string;
  adminUsername: string;
  adminPassword: string;
  app: App;
  database: TestDatabase;
  dataDir: string;
  /** The environment the gateway was started with (to start a child `ccag serve` on the same database). */
  env: Record<string, string>;
  /** A second connection to the same database, for assertions. */
  store: Store;
  adminToken(): Promise<string>;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  createKey(userEmail: string, extra?: Record<string, unknown>): Promise<{ key: string; id: string }>;
  addEndpoint(body: Record<string, unknown>): Promise<{ id: string }>;
  /** Waits until the ledger holds at least `count` rows and returns them oldest first. */
  ledgerRows(count: number, timeoutMs?: number): Promise<SpendLedgerTable[]>;
  close(): Promise<void>;
}

export interface StartOptions {
  database: 'sqlite' | 'postgres';
  env?: Record<string, string>;
  /** Reuse an existing database (e.g. for a restart) instead of creating one. */
  existing?: { database: TestDatabase; dataDir: string };
  /** Leave the database and data directory in place on close (the test drops them). */
  keepDatabase?: boolean;
  /** Where the gateway's log lines go (e.g. to assert on them); stdout when absent. */
  logDestination?: NodeJS.WritableStream;
}

export async function startGateway(options: StartOptions): Promise<TestGateway | undefined> {
  const database = options.existing?.database ?? (await createTestDatabase(options.database));
  if (!database) return undefined;
  // The embedded database lives in the data directory, so a SQLite gateway's is the test database's.
  const dataDir = options.existing?.dataDir ?? (database.name === 'sqlite' ? dirname(database.sqlitePath) : mkdtempSync(join(tmpdir(), 'ccag-gw-')));
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    CCAG_DATA_DIR: dataDir,
    ADMIN_USERNAME,
    ADMIN_PASSWORD,
    CCAG_MASTER_KEY: TEST_MASTER_KEY,
    LOG_LEVEL: process.env.CCAG_TEST_LOG_LEVEL ?? 'silent',
    CCAG_LEDGER_FLUSH_MS: '20',
    CCAG_OUTBOUND_ALLOW_PRIVATE: TEST_OUTBOUND_ALLOWLIST,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    ...options.env,
  };
  const settings = loadSettings({ env });
  const app = await createApp(settings, createLogger(settings, options.logDestination));
  const address = await app.listen();
  const url = address.replace('://[::1]', '://127.0.0.1');
  const store = await database.open();
  let token: string | undefined;

  const gateway: TestGateway = {
    url,
    adminUsername: ADMIN_USERNAME,
    adminPassword: ADMIN_PASSWORD,
    app,
    database,
    dataDir,
    env,
    store,
    async adminToken() {
      if (token) return token;
      const response = await fetch(`${url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD }),
      });
      if (response.status !== 200) throw new Error(`admin login failed: ${response.status} ${await response.text()}`);
      token = ((await response.json()) as { token: string }).token;
      return token;
    },
    async admin<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${url}/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${await gateway.adminToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async createKey(userEmail, extra = {}) {
      const created = await gateway.admin<{ key: string; id: string }>('POST', '/keys', { user_email: userEmail, ...extra });
      if (created.status !== 201) throw new Error(`key creation failed: ${created.status} ${JSON.stringify(created.body)}`);
      return created.body;
    },
    async addEndpoint(body) {
      const created = await gateway.admin<{ id: string }>('POST', '/endpoints', body);
      if (created.status !== 201) throw new Error(`endpoint creation failed: ${created.status} ${JSON.stringify(created.body)}`);
      return created.body;
    },
    async ledgerRows(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rows = await store.db.selectFrom('spend_ledger').selectAll().orderBy('created_at').orderBy('request_id').execute();
        if (rows.length >= count || Date.now() > deadline) return rows;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await app.shutdown();
      await store.close();
      if (!options.existing && !options.keepDatabase) {
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  return gateway;
}
