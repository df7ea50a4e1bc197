/**
 * Adds a batch's rollup rows into the rollup tables: `INSERT … ON CONFLICT (key) DO UPDATE SET
 * col = table.col + excluded.col`, the same statement on SQLite and PostgreSQL. Run it in the
 * transaction that inserted the ledger rows, with only the rows that insert reported as new, and
 * every ledger row is counted exactly once.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { GRAINS, type Grain } from './buckets.js';
import type { RollupBatch } from './rollup-batch.js';

export type RollupKind = keyof RollupBatch;

interface RollupShape {
  readonly tables: Readonly<Record<Grain, keyof Database & string>>;
  readonly key: readonly string[];
  readonly sums: readonly string[];
}

/** The usage rollup's summed columns (the analytics queries read them by these names). */
export const USAGE_SUMS = [
  'requests', 'errors', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
  'cost_micros', 'duration_ms_sum', 'ttft_ms_sum', 'ttft_count', 'web_searches',
] as const;

export const ROLLUPS = {
  usage: {
    tables: { hour: 'analytics_hourly', day: 'analytics_daily' },
    key: ['bucket_start', 'user_id', 'team_id', 'model', 'endpoint_id'],
    sums: USAGE_SUMS,
  },
  latency: {
    tables: { hour: 'analytics_latency_hourly', day: 'analytics_latency_daily' },
    key: ['bucket_start', 'endpoint_id', 'model', 'metric', 'bin'],
    sums: ['count'],
  },
  teamLatency: {
    tables: { hour: 'analytics_team_latency_hourly', day: 'analytics_team_latency_daily' },
    key: ['team_id', 'bucket_start', 'endpoint_id', 'metric', 'bin'],
    sums: ['count'],
  },
  tools: {
    tables: { hour: 'analytics_tools_hourly', day: 'analytics_tools_daily' },
    key: ['bucket_start', 'tool', 'user_id', 'team_id'],
    sums: ['calls', 'errors'],
  },
} as const satisfies Record<RollupKind, RollupShape>;

/** Below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement. */
const MAX_PARAMETERS = 30_000;

/** The rollup tables seen without their column types: one statement shape serves all six. */
type Untyped = Kysely<Record<string, Record<string, string | number>>>;

async function addInto(db: Untyped, table: string, shape: RollupShape, rows: ReadonlyArray<Record<string, string | number>>): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMETERS / (shape.key.length + shape.sums.length));
  const set = Object.fromEntries(shape.sums.map((column) => [column, sql<number>`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`]));
  for (let start = 0; start < rows.length; start += perStatement) {
    await db
      .insertInto(table)
      .values(rows.slice(start, start + perStatement))
      .onConflict((oc) => oc.columns(shape.key).doUpdateSet(set))
      .execute();
  }
}

const ALL_KINDS = Object.keys(ROLLUPS) as RollupKind[];

export async function addRollups(db: Kysely<Database>, batch: RollupBatch, kinds: readonly RollupKind[] = ALL_KINDS): Promise<void> {
  for (const kind of kinds) {
    for (const grain of GRAINS) {
      const rows = batch[kind][grain] as unknown as ReadonlyArray<Record<string, string | number>>;
      const shape: RollupShape = ROLLUPS[kind];
      if (rows.length > 0) await addInto(db as unknown as Untyped, shape.tables[grain], shape, rows);
    }
  }
}
