/**
 * Builds the SCIM area from the services it depends on (IdPs, users): its repositories, the
 * resources the /scim/v2 plugin serves, and the admin-side operations.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { IdpsService } from '../sso/idps.service.js';
import type { UsersRepo } from '../users.repo.js';
import type { UsersService } from '../users.service.js';
import { createGroupEffectsApplier } from './group-effects.js';
import { createScimGroups } from './groups.resource.js';
import { createScimAdmin, type ScimAdmin } from './scim-admin.service.js';
import { createScimGroupsRepo } from './scim-groups.repo.js';
import { createScimTokensRepo } from './scim-tokens.repo.js';
import { createScimTokensService } from './scim-tokens.service.js';
import type { ScimDeps } from './scim.routes.js';
import { createScimUsers } from './users.resource.js';

export function createScim(deps: { db: Kysely<Database>; idps: IdpsService; users: UsersService; usersRepo: UsersRepo; publicUrl: string | undefined }): {
  admin: ScimAdmin;
  plugin: ScimDeps;
} {
  const groups = createScimGroupsRepo(deps.db);
  const tokens = createScimTokensService({ repo: createScimTokensRepo(deps.db), idps: deps.idps });
  const applyGroupEffects = createGroupEffectsApplier({ users: deps.users, usersRepo: deps.usersRepo, groups });
  return {
    admin: createScimAdmin({ idps: deps.idps, tokens, groups, usersRepo: deps.usersRepo, applyGroupEffects }),
    plugin: {
      tokens,
      users: createScimUsers({ users: deps.users, usersRepo: deps.usersRepo, groups }),
      groups: createScimGroups({ groups, usersRepo: deps.usersRepo, applyGroupEffects }),
      publicUrl: deps.publicUrl,
    },
  };
}
