import type { Kysely } from 'kysely';

/**
 * Per-subject rate-limit overrides (key, user or team). A null limit means "the default from
 * settings", 0 means "unlimited". Cleared overrides stay as all-null rows so other replicas,
 * which poll `updated_at`, see the change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_overrides')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('rpm', 'integer')
    .addColumn('tpm', 'integer')
    .addColumn('concurrency', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_overrides_pkey', ['subject_type', 'subject_id'])
    .execute();
  await db.schema.createIndex('rate_limit_overrides_updated_at').on('rate_limit_overrides').column('updated_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_overrides').execute();
}
