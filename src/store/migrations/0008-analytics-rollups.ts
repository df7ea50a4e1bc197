import type { Kysely } from 'kysely';
import { backfillRollups } from '../../spend/rollups/backfill.js';
import type { Database } from '../schema.js';
import { clusteredOn, inOneTransaction } from '../rollup-migration.js';

/**
 * Analytics rollups (docs/spend.md#rollups): usage, latency histograms and tool calls per UTC
 * hour and day, kept in step with the ledger by the ledger sink, plus the ledger's `tool_errors`.
 * Existing ledger rows are folded in here, with the live path's own code, so the rollups start
 * complete, in one transaction with the DDL.
 *
 * Columns that sum tokens, money or milliseconds are bigint: they pass 2^31 quickly.
 *
 * Every question reads a range of buckets, so the primary keys start with the bucket and there
 * are no other indexes: with a (user_id, …) index SQLite walked all of it to skip sorting a
 * GROUP BY user_id, twice as slow as sorting the range, and a user's own buckets are found as
 * quickly through the key (SQLite skip-scans it; bench/analytics.ts measures both databases).
 *
 * The DDL is spelled out (it is history), but the backfill is today's code, told which rollups
 * this migration created: a later migration that adds or changes a rollup backfills it itself.
 */
export function up(db: Kysely<unknown>): Promise<void> {
  return inOneTransaction(db, migrate);
}

async function migrate(db: Kysely<unknown>): Promise<void> {
  const clustered = clusteredOn(db);

  await db.schema.alterTable('spend_ledger').addColumn('tool_errors', 'text').execute();

  for (const table of ['analytics_hourly', 'analytics_daily']) {
    let create = db.schema
      .createTable(table)
      .addColumn('bucket_start', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('endpoint_id', 'text', (c) => c.notNull());
    for (const column of [
      'requests', 'errors', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
      'cost_micros', 'duration_ms_sum', 'ttft_ms_sum', 'ttft_count', 'web_searches',
    ]) {
      create = create.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
    }
    await clustered(create.addPrimaryKeyConstraint(`${table}_pk`, ['bucket_start', 'user_id', 'team_id', 'model', 'endpoint_id'])).execute();
  }

  for (const table of ['analytics_latency_hourly', 'analytics_latency_daily']) {
    const create = db.schema
      .createTable(table)
      .addColumn('bucket_start', 'bigint', (c) => c.notNull())
      .addColumn('endpoint_id', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      // 'duration' | 'ttft'
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('bin', 'integer', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(`${table}_pk`, ['bucket_start', 'endpoint_id', 'model', 'metric', 'bin']);
    await clustered(create).execute();
  }

  for (const table of ['analytics_tools_hourly', 'analytics_tools_daily']) {
    const create = db.schema
      .createTable(table)
      .addColumn('bucket_start', 'bigint', (c) => c.notNull())
      .addColumn('tool', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('calls', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('errors', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(`${table}_pk`, ['bucket_start', 'tool', 'user_id', 'team_id']);
    await clustered(create).execute();
  }

  await backfillRollups(db as Kysely<Database>, ['usage', 'latency', 'tools']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['analytics_tools_daily', 'analytics_tools_hourly', 'analytics_latency_daily', 'analytics_latency_hourly', 'analytics_daily', 'analytics_hourly']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('spend_ledger').dropColumn('tool_errors').execute();
}
