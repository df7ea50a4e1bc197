import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, ScimGroupsTable } from '../../store/schema.js';

export type ScimGroupRow = Selectable<ScimGroupsTable>;
export interface GroupMember {
  readonly user_id: string;
  readonly email: string;
}

export function createScimGroupsRepo(db: Kysely<Database>) {
  return {
    list: (idpId: string): Promise<ScimGroupRow[]> =>
      db.selectFrom('scim_groups').selectAll().where('idp_id', '=', idpId).orderBy('display_name').orderBy('id').execute(),

    find: (idpId: string, id: string): Promise<ScimGroupRow | undefined> =>
      db.selectFrom('scim_groups').selectAll().where('idp_id', '=', idpId).where('id', '=', id).executeTakeFirst(),

    findByName: (idpId: string, displayName: string): Promise<ScimGroupRow | undefined> =>
      db.selectFrom('scim_groups').selectAll().where('idp_id', '=', idpId).where('display_name', '=', displayName).executeTakeFirst(),

    async insert(idpId: string, displayName: string, externalId: string | null): Promise<ScimGroupRow> {
      const now = Date.now();
      const row: ScimGroupRow = { id: randomUUID(), idp_id: idpId, display_name: displayName, external_id: externalId, created_at: now, updated_at: now };
      await db.insertInto('scim_groups').values(row).execute();
      return row;
    },

    rename: (id: string, fields: { display_name?: string; external_id?: string | null }) =>
      db.updateTable('scim_groups').set({ ...fields, updated_at: Date.now() }).where('id', '=', id).execute(),

    async delete(id: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('scim_group_members').where('group_id', '=', id).execute();
        await tx.deleteFrom('scim_groups').where('id', '=', id).execute();
      });
    },

    /** Members with their current email, for `members[].display`. */
    members: (groupIds: readonly string[]): Promise<(GroupMember & { group_id: string })[]> =>
      groupIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('scim_group_members')
            .innerJoin('users', 'users.id', 'scim_group_members.user_id')
            .select(['scim_group_members.group_id', 'scim_group_members.user_id', 'users.email'])
            .where('scim_group_members.group_id', 'in', groupIds)
            .orderBy('users.email')
            .execute(),

    async addMembers(groupId: string, userIds: readonly string[]): Promise<void> {
      if (userIds.length === 0) return;
      // Re-adding a member is a no-op, as IdPs resend memberships they already pushed.
      await db
        .insertInto('scim_group_members')
        .values(userIds.map((user_id) => ({ group_id: groupId, user_id })))
        .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
        .execute();
    },

    async removeMembers(groupId: string, userIds: readonly string[]): Promise<void> {
      if (userIds.length === 0) return;
      await db.deleteFrom('scim_group_members').where('group_id', '=', groupId).where('user_id', 'in', userIds).execute();
    },

    removeAllMembers: (groupId: string) => db.deleteFrom('scim_group_members').where('group_id', '=', groupId).execute(),

    /** Drops a (deleted) user from every group. */
    removeUser: (userId: string) => db.deleteFrom('scim_group_members').where('user_id', '=', userId).execute(),

    /** The names of this IdP's groups the user belongs to. */
    groupNamesOf: (idpId: string, userId: string): Promise<string[]> =>
      db
        .selectFrom('scim_group_members')
        .innerJoin('scim_groups', 'scim_groups.id', 'scim_group_members.group_id')
        .select('scim_groups.display_name')
        .where('scim_groups.idp_id', '=', idpId)
        .where('scim_group_members.user_id', '=', userId)
        .execute()
        .then((rows) => rows.map((row) => row.display_name)),

    /** Every user in any of this IdP's groups. */
    memberIdsOfIdp: (idpId: string): Promise<string[]> =>
      db
        .selectFrom('scim_group_members')
        .innerJoin('scim_groups', 'scim_groups.id', 'scim_group_members.group_id')
        .select('scim_group_members.user_id')
        .distinct()
        .where('scim_groups.idp_id', '=', idpId)
        .execute()
        .then((rows) => rows.map((row) => row.user_id)),

    /** Every membership, as (user, group name), across IdPs: what policies match groups against. */
    allMemberships: (): Promise<{ user_id: string; display_name: string }[]> =>
      db
        .selectFrom('scim_group_members')
        .innerJoin('scim_groups', 'scim_groups.id', 'scim_group_members.group_id')
        .select(['scim_group_members.user_id', 'scim_groups.display_name'])
        .orderBy('scim_group_members.user_id')
        .orderBy('scim_groups.display_name')
        .execute(),
  };
}

export type ScimGroupsRepo = ReturnType<typeof createScimGroupsRepo>;
