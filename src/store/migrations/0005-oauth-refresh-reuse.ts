import type { Kysely } from 'kysely';

/**
 * Refresh-token reuse detection: a grant remembers the refresh token it last rotated away, so a
 * replayed old token (a copy someone else holds) can be recognised and the whole grant revoked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_grants').addColumn('previous_refresh_hash', 'text').execute();
  await db.schema.createIndex('oauth_grants_previous_refresh').on('oauth_grants').column('previous_refresh_hash').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('oauth_grants_previous_refresh').execute();
  await db.schema.alterTable('oauth_grants').dropColumn('previous_refresh_hash').execute();
}
