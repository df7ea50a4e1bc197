import type { Kysely } from 'kysely';

/**
 * Budgets (spec §4) and the events their thresholds raise. A budget row is soft-deleted
 * (`deleted_at` plus a moved `updated_at`) so every replica's polled budget book sees the removal.
 * The events' unique constraint is what makes "one event per (subject, threshold, period)" hold
 * across concurrent settles and replicas. The ledger gains the indexes the team and key spend
 * sums (a counter's seed) need.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('budgets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // user | team | key | team_default | global_default
    .addColumn('subject_type', 'text', (c) => c.notNull())
    // The user, team or key id; the team's id for team_default; '' for global_default.
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('amount_micros', 'bigint', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    // A preset name, or 'custom' with the rules in `rules`.
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addUniqueConstraint('budgets_subject', ['subject_type', 'subject_id'])
    .execute();
  await db.schema.createIndex('budgets_updated_at').on('budgets').column('updated_at').execute();

  await db.schema
    .createTable('budget_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('threshold_percent', 'double precision', (c) => c.notNull())
    .addColumn('period_start', 'bigint', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('budget_events_once', ['subject_type', 'subject_id', 'threshold_percent', 'period_start'])
    .execute();
  await db.schema.createIndex('budget_events_created_at').on('budget_events').column('created_at').execute();

  await db.schema.createIndex('spend_ledger_team_time').on('spend_ledger').columns(['team_id', 'created_at']).execute();
  await db.schema.createIndex('spend_ledger_key_time').on('spend_ledger').columns(['key_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('spend_ledger_key_time').execute();
  await db.schema.dropIndex('spend_ledger_team_time').execute();
  await db.schema.dropTable('budget_events').execute();
  await db.schema.dropTable('budgets').execute();
}
