import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/0001-initial.js';
import * as teams from './migrations/0002-teams.js';
import * as adminApiKeys from './migrations/0003-admin-api-keys.js';
import * as singleSignOn from './migrations/0004-single-sign-on.js';
import * as oauthRefreshReuse from './migrations/0005-oauth-refresh-reuse.js';
import * as rateLimits from './migrations/0006-rate-limits.js';
import * as budgets from './migrations/0007-budgets.js';
import * as analyticsRollups from './migrations/0008-analytics-rollups.js';
import * as teamLatencyRollups from './migrations/0009-team-latency-rollups.js';
import * as routing from './migrations/0010-routing.js';
import * as budgetStrict from './migrations/0011-budget-strict.js';
import * as notifications from './migrations/0012-notifications.js';
import * as webSearch from './migrations/0013-web-search.js';
import * as policies from './migrations/0014-policies.js';
import * as attribution from './migrations/0015-attribution.js';
import * as retention from './migrations/0016-retention.js';
import * as signInGroups from './migrations/0017-sign-in-groups.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Runs pending migrations; safe to call on every start and from several replicas. */
  migrate(): Promise<void>;
  /** Cheap round trip used by /health/deep. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://...` selects PostgreSQL; otherwise a SQLite file path. */
  databaseUrl?: string;
  sqlitePath: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

const migrations: Record<string, Migration> = { '0001-initial': initial, '0002-teams': teams, '0003-admin-api-keys': adminApiKeys,
  '0004-single-sign-on': singleSignOn,
  '0005-oauth-refresh-reuse': oauthRefreshReuse,
  '0006-rate-limits': rateLimits,
  '0007-budgets': budgets,
  '0008-analytics-rollups': analyticsRollups,
  '0009-team-latency-rollups': teamLatencyRollups,
  '0010-routing': routing,
  '0011-budget-strict': budgetStrict,
  '0012-notifications': notifications,
  '0013-web-search': webSearch,
  '0014-policies': policies,
  '0015-attribution': attribution,
  '0016-retention': retention,
  '0017-sign-in-groups': signInGroups,
};
const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Opens the database; only the driver in use is loaded, which keeps the other out of memory. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const isPostgres = options.databaseUrl !== undefined && /^postgres(ql)?:\/\//.test(options.databaseUrl);
  let db: Kysely<Database>;
  if (isPostgres) {
    const { default: pg } = await import('pg');
    // BIGINT arrives as a string from pg by default; our integers (epoch ms, micro-dollars, token
    // counts) stay far below 2^53, so numbers are exact and keep both dialects' rows identical.
    pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client that loses its server emits 'error' on the pool; without a listener that
    // would crash the process during a database outage the ledger is built to survive.
    pool.on('error', () => {});
    // The same for a client checked out when its connection drops: the query still rejects.
    pool.on('connect', (client) => client.on('error', () => {}));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    const { default: SqliteDatabase } = await import('better-sqlite3');
    mkdirSync(dirname(options.sqlitePath), { recursive: true });
    const sqlite = new SqliteDatabase(options.sqlitePath);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  const dialect: Dialect = isPostgres ? 'postgres' : 'sqlite';

  return {
    db,
    dialect,
    async migrate() {
      const migrator = new Migrator({ db, provider });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
        throw new Error(`database migration ${failed} failed: ${String((error as Error).message ?? error)}`);
      }
    },
    async ping() {
      await db.selectFrom('settings').select('key').limit(1).execute();
    },
    async close() {
      await db.destroy();
    },
  };
}
