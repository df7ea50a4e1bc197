import type { Kysely } from 'kysely';

/**
 * Web search on Bedrock (spec §9, docs/web-search.md): the search providers, one per owner
 * (`global` for the gateway's own, a user id for a member's own in per-user mode), with the API
 * key sealed by the master key; and the mode, one row (`id` = 'global'), absent until an admin
 * first sets it (web search is disabled until then). Both move `updated_at` on every change so
 * polling replicas see it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('web_search_providers')
    .addColumn('owner', 'text', (c) => c.primaryKey())
    // tavily | brave | serper | exa | searxng | custom
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text')
    .addColumn('api_key_sealed', 'text')
    .addColumn('max_results', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('web_search_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // disabled | global | per_user
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('web_search_settings').execute();
  await db.schema.dropTable('web_search_providers').execute();
}
