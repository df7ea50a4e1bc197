import type { Kysely } from 'kysely';
import { backfillRollups } from '../../spend/rollups/backfill.js';
import type { Database } from '../schema.js';
import { clusteredOn, inOneTransaction } from '../rollup-migration.js';

/**
 * Latency histograms per team and endpoint (docs/spend.md#rollups), so a question about one team
 * is answered from rollups instead of that team's ledger rows. Only ever read for one team: the
 * team first in the key makes its buckets one range. Filled from the ledger rows already there,
 * in one transaction with the DDL.
 */
export function up(db: Kysely<unknown>): Promise<void> {
  return inOneTransaction(db, async (db) => {
    const clustered = clusteredOn(db);
    for (const table of ['analytics_team_latency_hourly', 'analytics_team_latency_daily']) {
      const create = db.schema
        .createTable(table)
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('bucket_start', 'bigint', (c) => c.notNull())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        // 'duration' | 'ttft'
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('bin', 'integer', (c) => c.notNull())
        .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint(`${table}_pk`, ['team_id', 'bucket_start', 'endpoint_id', 'metric', 'bin']);
      await clustered(create).execute();
    }
    await backfillRollups(db as Kysely<Database>, ['teamLatency']);
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('analytics_team_latency_daily').execute();
  await db.schema.dropTable('analytics_team_latency_hourly').execute();
}
