/**
 * Words for the Teams page, pure so test/portal/team-logic.test.ts pins them. The gateway deletes
 * only empty teams (no members, no active keys; docs/admin-api.md), so the confirmation says what
 * must move first rather than offering a deletion the API will refuse.
 */

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export interface TeamDeletion {
  /** False when the API would refuse: the team still has members or active keys. */
  readonly possible: boolean;
  readonly text: string;
}

export function teamDeletion(team: { name: string; member_count: number; key_count: number }): TeamDeletion {
  if (team.member_count === 0 && team.key_count === 0) {
    return { possible: true, text: `${team.name} has no members and no active keys. Its recorded spend keeps the team's id. This cannot be undone.` };
  }
  const holds = [team.member_count ? count(team.member_count, 'member', 'members') : '', team.key_count ? count(team.key_count, 'active key', 'active keys') : ''].filter(Boolean).join(' and ');
  const steps = [team.member_count ? 'move its members to another team (or to no team) on the Users page' : '', team.key_count ? 'revoke the keys that belong to it on the Keys page' : ''].filter(Boolean).join(', and ');
  return { possible: false, text: `Only an empty team can be deleted, and ${team.name} still has ${holds}. First ${steps}.` };
}

export const TEAM_DEFAULT_INTRO =
  'Each member of the team without a budget of their own gets a budget of this size, counted for them alone (it is not shared). Without it, such members fall back to the global default.';

export const TEAM_BUDGET_INTRO = 'One limit for everything the team spends together: its members’ requests and its team-owned keys. Members’ own budgets still apply.';
