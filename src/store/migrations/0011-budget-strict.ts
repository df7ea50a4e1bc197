import type { Kysely } from 'kysely';

/**
 * A budget's admission rule (spec §4, docs/budgets.md "Admission rule"): 0 admits requests while
 * anything of the budget remains uncommitted (the default, so Claude Code's large max_tokens can
 * use the whole budget), 1 is strict and admits only requests whose worst case fits. Existing
 * budgets take the default.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('budgets')
    .addColumn('strict', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('budgets').dropColumn('strict').execute();
}
