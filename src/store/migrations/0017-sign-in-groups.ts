import type { Kysely } from 'kysely';

/**
 * The IdP groups a user's last OIDC sign-in carried (the IdP's groups claim, from browser SSO or
 * an IdP JWT on the data plane), per identity provider, so fleet policies can match them beside
 * the groups SCIM pushes (docs/policies.md). One row per (user, IdP, group name).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_groups')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    // No foreign key: deleting an IdP deletes its rows in the same transaction (src/identity/sso/idps.repo.ts).
    .addColumn('idp_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_groups_pk', ['user_id', 'idp_id', 'group_name'])
    .execute();
  await db.schema.createIndex('sign_in_groups_idp').on('sign_in_groups').column('idp_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_groups').execute();
}
