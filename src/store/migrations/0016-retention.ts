import type { Kysely } from 'kysely';

/**
 * Indexes for the retention purge (docs/retention.md): each batch selects the oldest rows by a
 * time column, and without an index that is a full scan per batch. The ledger, budget events and
 * delivery history already have theirs (0001, 0007, 0012); the outbox and device codes did not.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('notification_events_created_at').on('notification_events').column('created_at').execute();
  await db.schema.createIndex('oauth_device_codes_expires_at').on('oauth_device_codes').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('oauth_device_codes_expires_at').execute();
  await db.schema.dropIndex('notification_events_created_at').execute();
}
