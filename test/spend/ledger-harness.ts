/**
 * The ledger writer's test bench on both databases: a migrated store with an outage switch
 * (PostgreSQL cut behind a TCP proxy, SQLite locked by a second connection holding BEGIN
 * EXCLUSIVE), a journal directory, and helpers to read the ledger back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/database.js';
import { createTestDatabase } from '../support/databases.js';
import { sleep } from '../support/mock-script.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { ledgerRow } from './ledger-rows.js';

export interface Harness {
  store: Store;
  journalDir: string;
  /** Makes the database refuse writes as "unavailable" until `recover()`. */
  outage(): Promise<void>;
  recover(): void;
  close(): Promise<void>;
}

export async function harness(kind: 'sqlite' | 'postgres'): Promise<Harness | undefined> {
  const database = await createTestDatabase(kind);
  if (!database) return undefined;
  const journalDir = mkdtempSync(join(tmpdir(), 'ccag-journal-'));
  const cleanup = async () => {
    await database.drop();
    rmSync(journalDir, { recursive: true, force: true });
  };
  if (kind === 'postgres') {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const url = new URL(database.databaseUrl!);
    url.port = String(proxy.port);
    const store = await openStore({ databaseUrl: url.toString(), sqlitePath: database.sqlitePath, poolSize: 2 });
    await store.migrate();
    return {
      store, journalDir,
      async outage() {
        proxy.cut();
        // Let idle pool clients see their sockets close first: a client checked out in that
        // window has no 'error' listener (see the report on openStore) and would crash the run.
        await sleep(50);
      },
      recover: () => proxy.restore(),
      async close() {
        await store.close();
        await proxy.close();
        await cleanup();
      },
    };
  }
  const store = await database.open();
  // The store waits 5 s for a lock; a short wait keeps the outage tests quick.
  await sql`PRAGMA busy_timeout = 50`.execute(store.db);
  let locker: SqliteDatabase.Database | undefined;
  const recover = () => {
    locker?.exec('COMMIT');
    locker?.close();
    locker = undefined;
  };
  return {
    store, journalDir, recover,
    async outage() {
      locker = new SqliteDatabase(database.sqlitePath);
      locker.exec('BEGIN EXCLUSIVE');
    },
    async close() {
      recover();
      await store.close();
      await cleanup();
    },
  };
}

export const rowsIn = (store: Store) => store.db.selectFrom('spend_ledger').selectAll().orderBy('request_id').execute();
export const countIn = async (store: Store) => (await rowsIn(store)).length;
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ledgerRow(from + i));

export async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}
