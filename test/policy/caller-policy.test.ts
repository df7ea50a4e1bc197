/**
 * The data plane's view of policies: resolution cached per caller, emptied when the policies or the
 * IdP group memberships change, and group memberships reloaded whole with a generation that moves
 * only on a real change.
 */
import { describe, expect, test } from 'vitest';
import { CallerPolicies } from '../../src/policy/caller-policy.js';
import type { Policy, PolicyMode } from '../../src/policy/resolution.js';
import { GroupMemberships } from '../../src/identity/scim/group-memberships.js';

const contractors: Policy = {
  id: 'p1',
  name: 'Contractors',
  position: 1,
  match: { everyone: false, teams: [], groups: ['Contractors'], domains: [] },
  allowedModels: ['claude-haiku-4*'],
  defaultModel: null,
  settings: {},
};

function mirrorOf(policies: Policy[], mode: PolicyMode = 'first_match') {
  return { policies, mode: () => mode, all: () => policies, generation: 1 } as { policies: Policy[]; mode: () => PolicyMode; all: () => Policy[]; generation: number };
}

describe('caller policies', () => {
  const subject = { userId: 'u1', userEmail: 'c@vendor.test', teamId: null };

  test('a group membership seen by the next memberships poll applies, and the cache does not hide it', async () => {
    let rows: { user_id: string; display_name: string }[] = [];
    const groups = new GroupMemberships({ allMemberships: async () => rows });
    await groups.refresh();
    const mirror = mirrorOf([contractors]);
    const callers = new CallerPolicies(mirror, groups);
    expect(callers.resolve(subject)).toBeUndefined();
    expect(callers.allows(subject, 'claude-opus-4-6')).toBe(true);

    rows = [{ user_id: 'u1', display_name: 'Contractors' }];
    await groups.refresh();
    expect(groups.groupsOf('u1')).toEqual(['Contractors']);
    expect(callers.resolve(subject)?.applied[0]?.name).toBe('Contractors');
    expect(() => callers.assertModelAllowed(subject, 'claude-opus-4-6')).toThrow(/"claude-opus-4-6" is not allowed by policy "Contractors"/);
    expect(() => callers.assertModelAllowed(subject, 'claude-haiku-4-5')).not.toThrow();
  });

  test('the memberships generation moves only when the memberships change', async () => {
    const rows = [{ user_id: 'u1', display_name: 'A' }];
    const groups = new GroupMemberships({ allMemberships: async () => rows });
    await groups.refresh();
    const first = groups.generation;
    await groups.refresh();
    expect(groups.generation).toBe(first);
    rows.push({ user_id: 'u1', display_name: 'B' });
    await groups.refresh();
    expect(groups.generation).toBe(first + 1);
  });

  test('a policy change (a new mirror generation) is seen on the next request', () => {
    const groups = { groupsOf: () => [], generation: 0 };
    const mirror = mirrorOf([]);
    const callers = new CallerPolicies(mirror, groups);
    expect(callers.resolve(subject)).toBeUndefined();
    mirror.policies.push({ ...contractors, match: { ...contractors.match, domains: ['vendor.test'] } });
    // Same generation: the cached answer stands (no per-request resolution)...
    expect(callers.resolve(subject)).toBeUndefined();
    mirror.generation++;
    // ...until the mirror says it changed.
    expect(callers.resolve(subject)?.applied[0]?.name).toBe('Contractors');
  });
});
