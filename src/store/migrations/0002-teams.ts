import type { Kysely } from 'kysely';

/**
 * Teams, and the tombstone column that lets a deleted user keep its row: api_keys and spend
 * history reference users by id, so a user is never physically removed (see users.service.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('users').addColumn('deleted_at', 'bigint').execute();
  await db.schema.createIndex('users_team_id').on('users').column('team_id').execute();
  await db.schema.createIndex('api_keys_team_id').on('api_keys').column('team_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('api_keys_team_id').execute();
  await db.schema.dropIndex('users_team_id').execute();
  await db.schema.alterTable('users').dropColumn('deleted_at').execute();
  await db.schema.dropTable('teams').execute();
}
