/**
 * The data plane's view of policies: resolution cached per caller, emptied when the policies or the
 * IdP group memberships change, and group memberships reloaded whole with a generation that moves
 * only on a real change; a repeated allowlist check allocates nothing.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
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

  test('a user moved to another team is resolved afresh, without waiting for a policy change', () => {
    const groups = { groupsOf: () => [], generation: 0 };
    const callers = new CallerPolicies(mirrorOf([{ ...contractors, match: { ...contractors.match, teams: ['t-vendors'] } }]), groups);
    expect(callers.allows(subject, 'claude-opus-4-6')).toBe(true);
    expect(callers.allows({ ...subject, teamId: 't-vendors' }, 'claude-opus-4-6')).toBe(false);
    expect(callers.allows({ ...subject, teamId: 't-vendors' }, 'claude-haiku-4-5')).toBe(true);
  });

  test('the allowlist verdict is remembered per model, and forgotten when the policies change', () => {
    const groups = { groupsOf: () => ['Contractors'], generation: 0 };
    const mirror = mirrorOf([contractors]);
    const callers = new CallerPolicies(mirror, groups);
    expect(() => callers.assertModelAllowed(subject, 'claude-opus-4-6')).toThrow(/not allowed by policy "Contractors"/);
    mirror.policies[0] = { ...contractors, allowedModels: ['claude-opus-4*'] };
    mirror.generation++;
    expect(() => callers.assertModelAllowed(subject, 'claude-opus-4-6')).not.toThrow();
    expect(callers.allows(subject, 'claude-haiku-4-5')).toBe(false);
  });

  test('regression: a repeated allowlist check allocated the model\'s names on every request; now it allocates nothing', async () => {
    const callers = new CallerPolicies(mirrorOf([{ ...contractors, match: { ...contractors.match, everyone: true } }]), { groupsOf: () => [], generation: 0 });
    const model = 'us.anthropic.claude-haiku-4-5-20251001-v1:0[1m]';
    expect(callers.allows(subject, model)).toBe(true);
    // A young-generation collection happens every few megabytes allocated; expanding the model's
    // names on each of these checks would cause dozens. Nothing else runs during the loop.
    const collections = await youngCollectionsDuring(() => {
      for (let i = 0; i < 200_000; i++) callers.allows(subject, model);
    });
    expect(collections).toBeLessThanOrEqual(1);
  });
});

async function youngCollectionsDuring(run: () => void): Promise<number> {
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) count++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  run();
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return count;
}
