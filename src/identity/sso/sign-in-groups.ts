/**
 * The IdP groups an OIDC sign-in carries (the IdP's configured groups claim, `groups` by default),
 * kept per (user, IdP) so decisions by group (fleet policies) see them beside SCIM's groups. A
 * sign-in writes only when the set changed since the last one, and then refreshes this replica's
 * memberships mirror, so the user's next request already matches by the new groups; other
 * replicas follow at their next poll.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

/** Names as SCIM bounds displayName; a larger claim (Entra's group overage) is cut, not refused. */
const MAX_GROUP_NAME = 256;
const MAX_GROUPS = 500;

export function createSignInGroupsRepo(db: Kysely<Database>) {
  return {
    namesOf: (userId: string, idpId: string): Promise<string[]> =>
      db
        .selectFrom('sign_in_groups')
        .select('group_name')
        .where('user_id', '=', userId)
        .where('idp_id', '=', idpId)
        .execute()
        // Sorted here, not in SQL: PostgreSQL's collation may order differently from normalizedGroups.
        .then((rows) => rows.map((row) => row.group_name).sort()),

    async replace(userId: string, idpId: string, groups: readonly string[]): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('sign_in_groups').where('user_id', '=', userId).where('idp_id', '=', idpId).execute();
        if (groups.length > 0) await tx.insertInto('sign_in_groups').values(groups.map((group_name) => ({ user_id: userId, idp_id: idpId, group_name }))).execute();
      });
    },

    /** Every (user, group name) pair, in the shape of SCIM's memberships. */
    allMemberships: (): Promise<{ user_id: string; display_name: string }[]> =>
      db.selectFrom('sign_in_groups').select(['user_id', 'group_name as display_name']).orderBy('user_id').orderBy('group_name').execute(),
  };
}

export type SignInGroupsRepo = ReturnType<typeof createSignInGroupsRepo>;

/** The claim's names, trimmed, deduplicated, sorted and bounded. */
export function normalizedGroups(groups: readonly string[]): string[] {
  const names = new Set(groups.map((group) => group.trim()).filter((group) => group.length > 0 && group.length <= MAX_GROUP_NAME));
  return [...names].sort().slice(0, MAX_GROUPS);
}

export interface SignInGroupsRecorder {
  /** Stores the groups a sign-in carried for the user at this IdP; true when they changed. */
  record(userId: string, idpId: string, groups: readonly string[]): Promise<boolean>;
}

export function createSignInGroupsRecorder(deps: { repo: Pick<SignInGroupsRepo, 'namesOf' | 'replace'>; onChange: () => Promise<void> }): SignInGroupsRecorder {
  return {
    async record(userId, idpId, groups) {
      const next = normalizedGroups(groups);
      const stored = await deps.repo.namesOf(userId, idpId);
      if (stored.length === next.length && stored.every((group, i) => group === next[i])) return false;
      await deps.repo.replace(userId, idpId, next);
      await deps.onChange();
      return true;
    },
  };
}
