/**
 * SCIM Groups: an IdP's groups and their members, kept per IdP. A group's name is what
 * `group_teams` and `admin_groups` refer to, so after any change to a group's name or members the
 * affected users' team and role are re-derived (group-effects.ts).
 */
import type { Logger } from 'pino';
import type { IdentityProvider } from '../sso/idps.service.js';
import type { UsersRepo } from '../users.repo.js';
import type { GroupEffectsApplier } from './group-effects.js';
import { listPage, type ListQuery } from './list-query.js';
import { interpretGroupPatch, memberIds, type MemberChange } from './patch.js';
import { GROUP_SCHEMA } from './schemas.js';
import type { GroupMember, ScimGroupRow, ScimGroupsRepo } from './scim-groups.repo.js';
import { invalidValue, notFound, ScimError } from './scim-errors.js';

const iso = (ms: number) => new Date(ms).toISOString();

function presentGroup(group: ScimGroupRow, members: readonly GroupMember[], baseUrl: string) {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    displayName: group.display_name,
    ...(group.external_id !== null && { externalId: group.external_id }),
    members: members.map((member) => ({ value: member.user_id, display: member.email, $ref: `${baseUrl}/Users/${member.user_id}` })),
    meta: { resourceType: 'Group', created: iso(group.created_at), lastModified: iso(group.updated_at), location: `${baseUrl}/Groups/${group.id}` },
  };
}

const nameTaken = (name: string) => new ScimError(409, `a group named ${JSON.stringify(name)} already exists`, 'uniqueness');

function requiredName(body: unknown): string {
  const name = (body as { displayName?: unknown } | null)?.displayName;
  if (typeof name !== 'string' || name.trim() === '') throw invalidValue('displayName is required');
  return name.trim();
}

function externalIdOf(body: unknown): string | null {
  const value = (body as { externalId?: unknown } | null)?.externalId;
  return typeof value === 'string' ? value : null;
}

export function createScimGroups(deps: { groups: ScimGroupsRepo; usersRepo: UsersRepo; applyGroupEffects: GroupEffectsApplier }) {
  const { groups } = deps;

  async function visible(idp: IdentityProvider, id: string): Promise<ScimGroupRow> {
    const group = await groups.find(idp.id, id);
    if (!group) throw notFound('Group', id);
    return group;
  }

  async function memberIdsOf(groupId: string): Promise<string[]> {
    return (await groups.members([groupId])).map((member) => member.user_id);
  }

  /** Members must be users this IdP provisioned; anything else is a mistake worth a clear 400. */
  async function assertProvisioned(idp: IdentityProvider, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    const known = new Set((await deps.usersRepo.listByScimIdp(idp.id)).map((user) => user.id));
    const unknown = userIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw invalidValue(`no user provisioned by this IdP has id ${unknown.join(', ')}`);
  }

  async function rename(idp: IdentityProvider, group: ScimGroupRow, displayName: string | undefined, externalId: string | null | undefined): Promise<void> {
    if (displayName !== undefined && displayName !== group.display_name) {
      const holder = await groups.findByName(idp.id, displayName);
      if (holder && holder.id !== group.id) throw nameTaken(displayName);
    }
    if (displayName !== undefined || externalId !== undefined) {
      await groups.rename(group.id, { ...(displayName !== undefined && { display_name: displayName }), ...(externalId !== undefined && { external_id: externalId }) });
    }
  }

  async function applyMemberChange(idp: IdentityProvider, groupId: string, change: MemberChange): Promise<void> {
    if (change.kind !== 'remove') await assertProvisioned(idp, change.userIds);
    if (change.kind === 'replace') await groups.removeAllMembers(groupId);
    if (change.kind === 'remove') await groups.removeMembers(groupId, change.userIds);
    else await groups.addMembers(groupId, change.userIds);
  }

  async function present(group: ScimGroupRow, baseUrl: string) {
    return presentGroup(group, await groups.members([group.id]), baseUrl);
  }

  return {
    async list(idp: IdentityProvider, query: ListQuery, baseUrl: string) {
      const all = await groups.list(idp.id);
      const members = await groups.members(all.map((group) => group.id));
      const resources = all.map((group) => presentGroup(group, members.filter((member) => member.group_id === group.id), baseUrl));
      return listPage(resources, query);
    },

    get: async (idp: IdentityProvider, id: string, baseUrl: string) => present(await visible(idp, id), baseUrl),

    async create(idp: IdentityProvider, body: unknown, baseUrl: string, log: Pick<Logger, 'warn'>) {
      const name = requiredName(body);
      const members = memberIds((body as { members?: unknown }).members);
      await assertProvisioned(idp, members);
      if (await groups.findByName(idp.id, name)) throw nameTaken(name);
      let group: ScimGroupRow;
      try {
        group = await groups.insert(idp.id, name, externalIdOf(body));
      } catch (error) {
        if (await groups.findByName(idp.id, name)) throw nameTaken(name);
        throw error;
      }
      await groups.addMembers(group.id, members);
      await deps.applyGroupEffects(idp, members, log);
      return present(group, baseUrl);
    },

    async replace(idp: IdentityProvider, id: string, body: unknown, baseUrl: string, log: Pick<Logger, 'warn'>) {
      const group = await visible(idp, id);
      const before = await memberIdsOf(group.id);
      const members = memberIds((body as { members?: unknown }).members);
      await assertProvisioned(idp, members);
      await rename(idp, group, requiredName(body), externalIdOf(body));
      await applyMemberChange(idp, group.id, { kind: 'replace', userIds: members });
      await deps.applyGroupEffects(idp, [...before, ...members], log);
      return present((await groups.find(idp.id, id))!, baseUrl);
    },

    async patch(idp: IdentityProvider, id: string, body: unknown, baseUrl: string, log: Pick<Logger, 'warn'>) {
      const group = await visible(idp, id);
      const changes = interpretGroupPatch(body);
      const before = await memberIdsOf(group.id);
      await rename(idp, group, changes.displayName, changes.externalId);
      for (const change of changes.members) await applyMemberChange(idp, group.id, change);
      await deps.applyGroupEffects(idp, [...before, ...(await memberIdsOf(group.id))], log);
      return present((await groups.find(idp.id, id))!, baseUrl);
    },

    async delete(idp: IdentityProvider, id: string, log: Pick<Logger, 'warn'>): Promise<void> {
      const group = await visible(idp, id);
      const before = await memberIdsOf(group.id);
      await groups.delete(group.id);
      await deps.applyGroupEffects(idp, before, log);
    },
  };
}

export type ScimGroups = ReturnType<typeof createScimGroups>;
