import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, IdentityProvidersTable } from '../../store/schema.js';

export type IdpRow = Selectable<IdentityProvidersTable>;

export function createIdpsRepo(db: Kysely<Database>) {
  return {
    list(): Promise<IdpRow[]> {
      return db.selectFrom('identity_providers').selectAll().orderBy('name').execute();
    },
    find(idOrName: string): Promise<IdpRow | undefined> {
      return db
        .selectFrom('identity_providers')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
        .executeTakeFirst();
    },
    /** The newest change: a cheap check other replicas poll before reloading the small table. */
    async lastChange(): Promise<number> {
      const row = await db
        .selectFrom('identity_providers')
        .select((eb) => [eb.fn.max('updated_at').as('at'), eb.fn.countAll().as('n')])
        .executeTakeFirst();
      return Number(row?.at ?? 0) + Number(row?.n ?? 0) / 1e6;
    },
    async insert(row: IdpRow): Promise<void> {
      await db.insertInto('identity_providers').values(row).execute();
    },
    async update(id: string, patch: Updateable<IdentityProvidersTable>): Promise<void> {
      await db.updateTable('identity_providers').set(patch).where('id', '=', id).execute();
    },
    /** Deletes the provider with its SCIM tokens and groups (and its sign-ins' groups); users keep their rows and history. */
    async delete(id: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('scim_tokens').where('idp_id', '=', id).execute();
        const groups = tx.selectFrom('scim_groups').select('id').where('idp_id', '=', id);
        await tx.deleteFrom('scim_group_members').where('group_id', 'in', groups).execute();
        await tx.deleteFrom('scim_groups').where('idp_id', '=', id).execute();
        await tx.deleteFrom('sign_in_groups').where('idp_id', '=', id).execute();
        await tx.updateTable('users').set({ scim_idp_id: null }).where('scim_idp_id', '=', id).execute();
        await tx.deleteFrom('identity_providers').where('id', '=', id).execute();
      });
    },
  };
}

export type IdpsRepo = ReturnType<typeof createIdpsRepo>;
