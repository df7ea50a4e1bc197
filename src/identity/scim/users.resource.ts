/**
 * SCIM Users over CCAG users. userName is the user's email (lowercased). An IdP sees only the
 * users it provisioned (users.scim_idp_id), except that creating a user whose email already
 * exists adopts that user, so a gateway that predates SCIM can hand its people over to the IdP.
 * Status changes go through the users service: keys and sessions stop at once (other replicas
 * within their cache poll).
 */
import { ApiError } from '../../errors.js';
import type { IdentityProvider } from '../sso/idps.service.js';
import type { User, UsersRepo } from '../users.repo.js';
import type { UpdateUserInput, UsersService } from '../users.service.js';
import { listPage, type ListQuery } from './list-query.js';
import { interpretUserPatch, interpretUserResource, type UserChanges } from './patch.js';
import { USER_SCHEMA } from './schemas.js';
import type { ScimGroupsRepo } from './scim-groups.repo.js';
import { invalidValue, notFound, ScimError } from './scim-errors.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function presentUser(user: User, baseUrl: string) {
  return {
    schemas: [USER_SCHEMA],
    id: user.id,
    ...(user.scim_external_id !== null && { externalId: user.scim_external_id }),
    userName: user.email,
    ...(user.display_name !== null && { name: { formatted: user.display_name }, displayName: user.display_name }),
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.status === 'active',
    meta: { resourceType: 'User', created: iso(user.created_at), lastModified: iso(user.updated_at), location: `${baseUrl}/Users/${user.id}` },
  };
}

/** The address CCAG keys the user by: userName when it is one, else the email the IdP sent. */
function emailOf(changes: UserChanges): string | undefined {
  const candidate = changes.userName?.includes('@') ? changes.userName : changes.email ?? changes.userName;
  if (candidate === undefined) return undefined;
  if (!/^[^@\s]+@[^@\s]+$/.test(candidate.trim())) throw invalidValue(`userName must be an email address, got ${JSON.stringify(candidate)}`);
  return candidate.trim().toLowerCase();
}

/** CCAG keeps one display name: displayName, else name.formatted, else given and family names. */
function displayNameOf(changes: UserChanges): string | null | undefined {
  if (changes.displayName !== undefined) return changes.displayName?.trim() || null;
  if (changes.formatted) return changes.formatted.trim();
  const parts = [changes.givenName, changes.familyName].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(' ').trim() || null;
}

const taken = (email: string) => new ScimError(409, `a user with userName ${email} already exists`, 'uniqueness');

export function createScimUsers(deps: { users: UsersService; usersRepo: UsersRepo; groups: ScimGroupsRepo }) {
  const { users, usersRepo } = deps;

  async function visible(idp: IdentityProvider, id: string): Promise<User> {
    const user = await usersRepo.findLive(id);
    if (!user || user.scim_idp_id !== idp.id) throw notFound('User', id);
    return user;
  }

  /** Writes what changed; `status` and the display name go through the service, SCIM links straight to the row. */
  async function apply(user: User, changes: UserChanges): Promise<User> {
    const email = emailOf(changes);
    if (email !== undefined && email !== user.email) {
      const holder = await usersRepo.findByEmail(email);
      if (holder && holder.id !== user.id) throw taken(email);
      await usersRepo.update(user.id, { email });
    }
    if (changes.externalId !== undefined) await usersRepo.update(user.id, { scim_external_id: changes.externalId });
    const update: UpdateUserInput = {};
    const displayName = displayNameOf(changes);
    if (displayName !== undefined) update.display_name = displayName;
    if (changes.active !== undefined) update.status = changes.active ? 'active' : 'deactivated';
    if (Object.keys(update).length > 0) await users.update(user.id, update);
    return (await usersRepo.findLive(user.id))!;
  }

  return {
    async list(idp: IdentityProvider, query: ListQuery, baseUrl: string) {
      const all = (await usersRepo.listByScimIdp(idp.id)).map((user) => presentUser(user, baseUrl));
      return listPage(all, query);
    },

    get: async (idp: IdentityProvider, id: string, baseUrl: string) => presentUser(await visible(idp, id), baseUrl),

    async create(idp: IdentityProvider, body: unknown, baseUrl: string) {
      const changes = interpretUserResource(body);
      const email = emailOf(changes);
      if (email === undefined) throw invalidValue('userName is required');
      let user = await usersRepo.findByEmail(email);
      if (user?.scim_idp_id === idp.id) throw taken(email);
      if (!user) {
        try {
          user = await users.create({ email, role: idp.defaultRole });
        } catch (error) {
          if (error instanceof ApiError && error.code === 'conflict') throw taken(email);
          throw error;
        }
      }
      await usersRepo.update(user.id, { scim_idp_id: idp.id, scim_external_id: changes.externalId ?? null, idp_id: user.idp_id ?? idp.id });
      return presentUser(await apply({ ...user, scim_idp_id: idp.id }, { ...changes, active: changes.active ?? true }), baseUrl);
    },

    /** PUT replaces the whole resource: what the body leaves out is cleared (active defaults to true). */
    async replace(idp: IdentityProvider, id: string, body: unknown, baseUrl: string) {
      const user = await visible(idp, id);
      const changes = interpretUserResource(body);
      if (emailOf(changes) === undefined) throw invalidValue('userName is required');
      const cleared: UserChanges = { displayName: displayNameOf(changes) ?? null, externalId: changes.externalId ?? null, active: changes.active ?? true };
      return presentUser(await apply(user, { ...changes, ...cleared }), baseUrl);
    },

    async patch(idp: IdentityProvider, id: string, body: unknown, baseUrl: string) {
      const user = await visible(idp, id);
      return presentUser(await apply(user, interpretUserPatch(body)), baseUrl);
    },

    /** The users service's delete: a tombstone that keeps spend history; memberships go. */
    async delete(idp: IdentityProvider, id: string): Promise<void> {
      const user = await visible(idp, id);
      await users.delete(user.id);
      await deps.groups.removeUser(user.id);
    },
  };
}

export type ScimUsers = ReturnType<typeof createScimUsers>;
