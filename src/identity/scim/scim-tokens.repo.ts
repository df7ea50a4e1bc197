import type { Kysely, Selectable } from 'kysely';
import type { Database, ScimTokensTable } from '../../store/schema.js';

export type ScimTokenRow = Selectable<ScimTokensTable>;

export function createScimTokensRepo(db: Kysely<Database>) {
  return {
    insert: (row: ScimTokenRow) => db.insertInto('scim_tokens').values(row).execute(),

    findLiveByHash: (hash: string): Promise<ScimTokenRow | undefined> =>
      db.selectFrom('scim_tokens').selectAll().where('token_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst(),

    listForIdp: (idpId: string): Promise<ScimTokenRow[]> => db.selectFrom('scim_tokens').selectAll().where('idp_id', '=', idpId).orderBy('created_at').execute(),

    async revoke(idpId: string, id: string, now: number): Promise<boolean> {
      const result = await db.updateTable('scim_tokens').set({ revoked_at: now }).where('id', '=', id).where('idp_id', '=', idpId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Records use, at most once per `minIntervalMs`, so a busy sync does not write on every call. */
    touch: (id: string, now: number, minIntervalMs: number) =>
      db
        .updateTable('scim_tokens')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - minIntervalMs)]))
        .execute(),
  };
}

export type ScimTokensRepo = ReturnType<typeof createScimTokensRepo>;
