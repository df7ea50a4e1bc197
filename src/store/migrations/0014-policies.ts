import type { Kysely } from 'kysely';

/**
 * Fleet policies (spec §13, docs/policies.md): ordered rules matching a team, an IdP group, an
 * email domain or everyone, each with a model allowlist, a default model and a Claude Code
 * managed-settings document; the deployment's resolution mode; and the settings checksum each
 * Claude Code session last reported, for drift. Lists are JSON text so both dialects store them alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    // 1-based, dense: the order in which policies are tried (first match) or layered.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('match_everyone', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('match_teams', 'text', (c) => c.notNull())
    .addColumn('match_groups', 'text', (c) => c.notNull())
    .addColumn('match_domains', 'text', (c) => c.notNull())
    // JSON string[] of model patterns; null: any model.
    .addColumn('allowed_models', 'text')
    .addColumn('default_model', 'text')
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('policy_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    // first_match | layered
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('policy_session_checksums')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // What x-claude-code-managed-settings-checksum said; null when the session sends none.
    .addColumn('checksum', 'text')
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_session_checksums_seen').on('policy_session_checksums').columns(['last_seen_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('policy_session_checksums').execute();
  await db.schema.dropTable('policy_settings').execute();
  await db.schema.dropTable('policies').execute();
}
