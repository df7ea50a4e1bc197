import { describe, expect, test } from 'vitest';
import { mergeSettings, refusingPolicy, resolvePolicy, type Policy, type PolicyMatch } from '../../src/policy/resolution.js';
import { settingsChecksum } from '../../src/policy/checksum.js';

const nobody: PolicyMatch = { everyone: false, teams: [], groups: [], domains: [] };
let nextPosition = 1;
function policy(name: string, match: Partial<PolicyMatch>, rest: Partial<Policy> = {}): Policy {
  return { id: name, name, position: nextPosition++, match: { ...nobody, ...match }, allowedModels: null, defaultModel: null, settings: {}, ...rest };
}

const base = policy('base', { everyone: true }, { allowedModels: ['claude-*'], defaultModel: 'claude-sonnet-4-5', settings: { env: { A: 'base', B: 'base' }, permissions: { deny: ['WebFetch'] } } });
const frontend = policy('frontend', { teams: ['team-fe'] }, { allowedModels: ['claude-sonnet-4*', 'claude-haiku-4*'], settings: { env: { B: 'frontend' }, permissions: { deny: ['Bash(rm:*)'] } } });
const contractors = policy('contractors', { groups: ['Contractors'] }, { allowedModels: ['claude-haiku-4*'], defaultModel: 'claude-haiku-4-5', settings: { cleanupPeriodDays: 7 } });
const partnerDomain = policy('partner', { domains: ['partner.example'] }, { settings: { companyAnnouncements: ['Partner build'] } });
// Given out of position order: resolution orders by position, not by list order.
const all = [partnerDomain, contractors, frontend, base];

const feDev = { teamId: 'team-fe', groups: [], email: 'dev@corp.example' };
const feContractor = { teamId: 'team-fe', groups: ['contractors'], email: 'c@Partner.Example' };

describe('policy resolution', () => {
  test('first_match: the first matching policy by position applies alone', () => {
    const effective = resolvePolicy(all, 'first_match', feDev)!;
    expect(effective.applied.map((p) => p.name)).toEqual(['base']);
    expect(effective.settings).toEqual({ env: { A: 'base', B: 'base' }, permissions: { deny: ['WebFetch'] }, model: 'claude-sonnet-4-5' });
  });

  test('layered: every matching policy in order; objects merge deeply, arrays and scalars are replaced, the last default model wins', () => {
    const effective = resolvePolicy(all, 'layered', feContractor)!;
    expect(effective.applied.map((p) => p.name)).toEqual(['base', 'frontend', 'contractors', 'partner']);
    expect(effective.settings).toEqual({
      env: { A: 'base', B: 'frontend' },
      permissions: { deny: ['Bash(rm:*)'] },
      cleanupPeriodDays: 7,
      companyAnnouncements: ['Partner build'],
      model: 'claude-haiku-4-5',
    });
    expect(effective.defaultModel).toBe('claude-haiku-4-5');
    expect(effective.checksum).toBe(settingsChecksum(effective.settings));
  });

  test('layered allowlists narrow: a model must pass every layer, and the refusal names the first layer that refuses', () => {
    const effective = resolvePolicy(all, 'layered', feContractor);
    expect(refusingPolicy(effective, 'claude-haiku-4-5')).toBeUndefined();
    expect(refusingPolicy(effective, 'claude-sonnet-4-5')?.name).toBe('contractors');
    expect(refusingPolicy(effective, 'gpt-4o')?.name).toBe('base');
  });

  test('groups match without case, domains by the email domain without case; no match means no policy', () => {
    const onlyGroups = [contractors, partnerDomain];
    expect(resolvePolicy(onlyGroups, 'first_match', { teamId: null, groups: ['CONTRACTORS'], email: 'x@y.example' })?.applied[0]?.name).toBe('contractors');
    expect(resolvePolicy(onlyGroups, 'first_match', { teamId: null, groups: [], email: 'x@PARTNER.example' })?.applied[0]?.name).toBe('partner');
    expect(resolvePolicy(onlyGroups, 'first_match', { teamId: null, groups: [], email: 'x@sub.partner.example' })).toBeUndefined();
    expect(resolvePolicy([], 'layered', feDev)).toBeUndefined();
  });

  test('a document that sets model keeps it over the default model', () => {
    const own = policy('own', { everyone: true }, { defaultModel: 'claude-sonnet-4-5', settings: { model: 'opus' } });
    expect(resolvePolicy([own], 'first_match', feDev)!.settings.model).toBe('opus');
  });

  test('mergeSettings does not change its inputs', () => {
    const left = { env: { A: '1' } };
    mergeSettings(left, { env: { B: '2' } });
    expect(left).toEqual({ env: { A: '1' } });
  });

  test('layered: a default model another applied layer refuses is dropped and reported; the last allowed one applies', () => {
    const opusFans = policy('opus-fans', { teams: ['team-fe'] }, { defaultModel: 'claude-opus-4-6' });
    const effective = resolvePolicy([base, contractors, opusFans], 'layered', feContractor)!;
    expect(effective.defaultModel).toBe('claude-haiku-4-5');
    expect(effective.settings.model).toBe('claude-haiku-4-5');
    expect(effective.droppedDefaults).toEqual([{ model: 'claude-opus-4-6', policy: 'opus-fans', refusedBy: 'contractors' }]);
    // Nothing allowed at all: no default, and every refused one reported, last layer first.
    const none = resolvePolicy([{ ...contractors, defaultModel: null }, opusFans, policy('sonnet', { everyone: true }, { defaultModel: 'claude-sonnet-4-5' })], 'layered', feContractor)!;
    expect(none.defaultModel).toBeNull();
    expect(none.settings).not.toHaveProperty('model');
    expect(none.droppedDefaults.map((dropped) => dropped.policy)).toEqual(['sonnet', 'opus-fans']);
  });
});
