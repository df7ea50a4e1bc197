/**
 * Every retention batch finds its rows through an index on both databases (docs/retention.md):
 * without one, each batch of a purge would scan the whole table while holding its lock. The
 * plans are read with EXPLAIN; PostgreSQL is told not to prefer a sequential scan, which it would
 * on these empty tables, so the plan shows whether an index on the time column exists at all.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEVICE_CODES_RETENTION } from '../../src/identity/oauth/device-codes.repo.js';
import { BUDGET_EVENTS_RETENTION } from '../../src/limits/budgets/budget-events.repo.js';
import { DELIVERIES_RETENTION } from '../../src/notify/deliveries.repo.js';
import { RATE_LIMIT_EVENTS_RETENTION } from '../../src/notify/outbox.repo.js';
import { LEDGER_RETENTION } from '../../src/spend/ledger-purge.js';
import { olderBatchDelete } from '../../src/store/batched-delete.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const TARGETS = [LEDGER_RETENTION, BUDGET_EVENTS_RETENTION, DELIVERIES_RETENTION, RATE_LIMIT_EVENTS_RETENTION, DEVICE_CODES_RETENTION];

describe.each(databaseKinds)('retention batches on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (database) store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  for (const target of TARGETS) test(`${target.table} is read through an index on its time column`, async (ctx) => {
    if (!database) return ctx.skip();
    const statement = olderBatchDelete(target, 1_000, 10);
    let plan: string;
    if (kind === 'sqlite') {
      const rows = await sql<{ detail: string }>`explain query plan ${statement}`.execute(store.db);
      plan = rows.rows.map((row) => row.detail).join('\n');
      expect(plan).not.toMatch(new RegExp(`SCAN ${target.table}(?! USING)`));
    } else {
      plan = await store.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const rows = await sql<{ 'QUERY PLAN': string }>`explain ${statement}`.execute(trx);
        return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).not.toMatch(new RegExp(`Seq Scan on ${target.table}`));
    }
    expect(plan).toMatch(new RegExp(`${target.table}_${target.timeColumn}`));
  });
});
