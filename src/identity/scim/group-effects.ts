/**
 * Re-derives what a user's SCIM groups give them (team, admin role) after any membership or group
 * change, through the users service so the change reaches sessions and keys like an admin's would.
 * Two changes are skipped rather than failing the IdP's request: removing the last admin, and
 * demoting someone with a local password (an admin set up by hand, e.g. the bootstrap admin).
 */
import type { Logger } from 'pino';
import { ApiError } from '../../errors.js';
import { groupEffects } from '../sso/group-mapping.js';
import type { IdentityProvider } from '../sso/idps.service.js';
import type { UsersRepo } from '../users.repo.js';
import type { UpdateUserInput, UsersService } from '../users.service.js';
import type { ScimGroupsRepo } from './scim-groups.repo.js';

export type GroupEffectsApplier = (idp: IdentityProvider, userIds: Iterable<string>, log: Pick<Logger, 'warn'>) => Promise<void>;

export function createGroupEffectsApplier(deps: { users: UsersService; usersRepo: UsersRepo; groups: ScimGroupsRepo }): GroupEffectsApplier {
  async function attempt(userId: string, change: UpdateUserInput, log: Pick<Logger, 'warn'>): Promise<void> {
    try {
      await deps.users.update(userId, change);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.code !== 'conflict' && error.code !== 'not_found')) throw error;
      log.warn({ user_id: userId, change, reason: error.message }, 'SCIM group mapping not applied');
    }
  }

  return async function applyGroupEffects(idp, userIds, log) {
    for (const userId of new Set(userIds)) {
      const user = await deps.usersRepo.findLive(userId);
      if (!user) continue;
      const effects = groupEffects(idp, await deps.groups.groupNamesOf(idp.id, userId));
      if (effects.teamId !== undefined && effects.teamId !== user.team_id) await attempt(userId, { team_id: effects.teamId }, log);
      const demotion = effects.role === 'member' && user.password_hash !== null;
      if (effects.role !== undefined && effects.role !== user.role && !demotion) await attempt(userId, { role: effects.role }, log);
    }
  };
}
