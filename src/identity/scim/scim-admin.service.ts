/**
 * The admin side of SCIM for one IdP: switching it on and off, its tokens, the groups that give
 * the admin role, and what has been provisioned so far.
 */
import type { Logger } from 'pino';
import type { IdentityProvider, IdpsService } from '../sso/idps.service.js';
import type { UsersRepo } from '../users.repo.js';
import type { GroupEffectsApplier } from './group-effects.js';
import type { ScimGroupsRepo } from './scim-groups.repo.js';
import type { ScimTokenRow } from './scim-tokens.repo.js';
import type { ScimTokensService } from './scim-tokens.service.js';

export interface ScimStatus {
  readonly idp: IdentityProvider;
  readonly tokens: readonly ScimTokenRow[];
  readonly usersProvisioned: number;
  readonly groups: readonly { id: string; display_name: string; members: number }[];
}

export function createScimAdmin(deps: {
  idps: IdpsService;
  tokens: ScimTokensService;
  groups: ScimGroupsRepo;
  usersRepo: UsersRepo;
  applyGroupEffects: GroupEffectsApplier;
}) {
  const { idps, groups } = deps;
  return {
    setEnabled: (idpIdOrName: string, enabled: boolean) => idps.update(idpIdOrName, { scimEnabled: enabled }),
    createToken: (idpIdOrName: string) => deps.tokens.create(idpIdOrName),
    revokeToken: (idpIdOrName: string, tokenId: string) => deps.tokens.revoke(idpIdOrName, tokenId),

    /** Takes effect at once for everyone already in this IdP's groups, not only at their next change. */
    async setAdminGroups(idpIdOrName: string, adminGroups: string[], log: Pick<Logger, 'warn'>): Promise<IdentityProvider> {
      const idp = await idps.update(idpIdOrName, { adminGroups });
      await deps.applyGroupEffects(idp, await groups.memberIdsOfIdp(idp.id), log);
      return idp;
    },

    async status(idpIdOrName: string): Promise<ScimStatus> {
      const idp = await idps.get(idpIdOrName);
      const all = await groups.list(idp.id);
      const members = await groups.members(all.map((group) => group.id));
      return {
        idp,
        tokens: await deps.tokens.list(idp.id),
        usersProvisioned: (await deps.usersRepo.listByScimIdp(idp.id)).length,
        groups: all.map((group) => ({ id: group.id, display_name: group.display_name, members: members.filter((member) => member.group_id === group.id).length })),
      };
    },
  };
}

export type ScimAdmin = ReturnType<typeof createScimAdmin>;
