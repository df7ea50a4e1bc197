import type { Kysely } from 'kysely';

/**
 * Attribution (docs/attribution.md): which Claude Code agent made a request and which billing
 * group it was tagged with. The indexes serve the spend reports, which read a time range per
 * billing group and per session; `created_at` leads neither, so each report's range scan stays
 * inside one group or session.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('spend_ledger').addColumn('agent_id', 'text').execute();
  await db.schema.alterTable('spend_ledger').addColumn('parent_agent_id', 'text').execute();
  await db.schema.alterTable('spend_ledger').addColumn('billing_group', 'text').execute();
  await db.schema.createIndex('spend_ledger_billing_group_created').on('spend_ledger').columns(['billing_group', 'created_at']).execute();
  await db.schema.createIndex('spend_ledger_session_created').on('spend_ledger').columns(['session_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('spend_ledger_session_created').execute();
  await db.schema.dropIndex('spend_ledger_billing_group_created').execute();
  await db.schema.alterTable('spend_ledger').dropColumn('billing_group').execute();
  await db.schema.alterTable('spend_ledger').dropColumn('parent_agent_id').execute();
  await db.schema.alterTable('spend_ledger').dropColumn('agent_id').execute();
}
