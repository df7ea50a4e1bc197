import type { Kysely } from 'kysely';

/**
 * Notifications (spec §8): the destination (a `draft` slot being configured and tested, an
 * `active` slot delivering), the outbox of events waiting for delivery, the history of delivery
 * attempts, and the generic leases that let one replica at a time run a singleton job (here the
 * delivery worker). Event bodies are rendered once at enqueue, so a retry sends the same bytes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_destinations')
    // draft | active
    .addColumn('slot', 'text', (c) => c.primaryKey())
    // webhook | sns | eventbridge
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON: url | topic_arn | event_bus_name, region, endpoint_url, auth, access_key_id, source
    .addColumn('config', 'text', (c) => c.notNull())
    // The webhook signing secret or the AWS secret access key, sealed with the master key.
    .addColumn('secret_sealed', 'text')
    // JSON array: budget, rate_limit
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('tested_at', 'bigint')
    .addColumn('test_ok', 'integer')
    .addColumn('test_error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('notification_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Once per budget event, once per rate-limited subject, limit and window.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('source_id', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // pending | delivered | dead | skipped
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .execute();
  await db.schema.createIndex('notification_events_due').on('notification_events').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notification_events_source').on('notification_events').column('source_id').execute();

  await db.schema
    .createTable('notification_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null for test deliveries, which have no outbox row.
    .addColumn('event_id', 'text')
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('destination_type', 'text', (c) => c.notNull())
    .addColumn('test', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    // delivered | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('notification_deliveries_attempted_at').on('notification_deliveries').column('attempted_at').execute();

  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').execute();
  await db.schema.dropTable('notification_deliveries').execute();
  await db.schema.dropTable('notification_events').execute();
  await db.schema.dropTable('notification_destinations').execute();
}
