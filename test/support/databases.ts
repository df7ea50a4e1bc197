/**
 * The databases every storage test runs on: a fresh SQLite file and a fresh PostgreSQL database
 * per call. PostgreSQL comes from TEST_DATABASE_URL or the local server (127.0.0.1:5432, user
 * postgres, trust). In CI a missing server fails the run; elsewhere the PostgreSQL half is skipped
 * with a loud warning so a laptop without it can still run the SQLite half.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.js';

export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** What `DATABASE_URL` should be for a gateway on this database (undefined for SQLite). */
  readonly databaseUrl: string | undefined;
  readonly sqlitePath: string;
  /** A migrated store on this database. */
  open(): Promise<Store>;
  drop(): Promise<void>;
}

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let postgresAvailable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  postgresAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (error) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL is required in CI and is not reachable at ${serverUrl}: ${String(error)}`);
      console.warn(`\n!!! PostgreSQL not reachable at ${serverUrl}; PostgreSQL tests are skipped on this machine.\n`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresAvailable;
}

async function createSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'ccag-sqlite-'));
  const sqlitePath = join(dir, 'ccag.db');
  return {
    name: 'sqlite',
    databaseUrl: undefined,
    sqlitePath,
    async open() {
      const store = await openStore({ sqlitePath });
      await store.migrate();
      return store;
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgres(): Promise<TestDatabase> {
  const name = `ccag_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dir = mkdtempSync(join(tmpdir(), 'ccag-pg-'));
  return {
    name: 'postgres',
    databaseUrl,
    sqlitePath: join(dir, 'unused.db'),
    async open() {
      const store = await openStore({ databaseUrl, sqlitePath: join(dir, 'unused.db'), poolSize: 4 });
      await store.migrate();
      return store;
    },
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const databaseKinds = ['sqlite', 'postgres'] as const;

/** A fresh database of the given kind, or undefined when PostgreSQL is absent outside CI. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase | undefined> {
  if (kind === 'sqlite') return createSqlite();
  return (await postgresReachable()) ? createPostgres() : undefined;
}
