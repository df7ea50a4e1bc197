/**
 * What an IdP's groups mean for a user, whether they arrive as a claim at sign-in or as SCIM
 * group memberships: the first mapped group (in the IdP's configured order) sets the team, and
 * membership of an admin group sets the role. Groups that map to nothing change nothing.
 */
import type { IdentityProvider } from './idps.service.js';

export interface GroupEffects {
  /** The team to put the user in; undefined leaves the team as it is. */
  readonly teamId?: string;
  /** The role the groups give; undefined when the IdP maps no admin groups. */
  readonly role?: 'admin' | 'member';
}

export function groupEffects(idp: Pick<IdentityProvider, 'groupTeams' | 'adminGroups'>, groups: readonly string[]): GroupEffects {
  const held = new Set(groups);
  const mappedGroup = Object.keys(idp.groupTeams).find((group) => held.has(group));
  return {
    ...(mappedGroup !== undefined && { teamId: idp.groupTeams[mappedGroup] }),
    ...(idp.adminGroups.length > 0 && { role: idp.adminGroups.some((group) => held.has(group)) ? 'admin' : 'member' }),
  };
}

/** Group names from a claim value: IdPs send an array of strings, some a single string. */
export function groupsFromClaim(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === 'string') : [];
}
