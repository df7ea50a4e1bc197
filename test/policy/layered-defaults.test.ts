import { describe, expect, test } from 'vitest';
import { checkLayeredDefaults } from '../../src/policy/layered-defaults.js';
import type { Policy, PolicyMatch } from '../../src/policy/resolution.js';

const nobody: PolicyMatch = { everyone: false, teams: [], groups: [], domains: [] };
const policy = (name: string, match: Partial<PolicyMatch>, rest: Partial<Policy> = {}): Policy => ({
  id: name,
  name,
  position: 1,
  match: { ...nobody, ...match },
  allowedModels: null,
  defaultModel: null,
  settings: {},
  ...rest,
});

describe('default models in layered mode, when saving', () => {
  const base = policy('Base', { everyone: true }, { allowedModels: ['claude-sonnet-4*', 'claude-haiku-4*'] });
  const team = policy('Team', { teams: ['t1'] }, { defaultModel: 'claude-sonnet-4-5' });

  test('a default the everyone policy refuses is refused, naming that policy and its list', () => {
    const check = checkLayeredDefaults(policy('Opus', { domains: ['example.com'] }, { defaultModel: 'claude-opus-4-6' }), [base, team]);
    expect(check.refusal).toBe('default_model: "claude-opus-4-6" is not allowed by policy "Base" (allowed: claude-sonnet-4*, claude-haiku-4*), which applies to everyone in layered mode');
  });

  test('a default the base allows, or one only a narrower policy refuses, is saved', () => {
    const narrower = policy('Contractors', { groups: ['c'] }, { allowedModels: ['claude-haiku-4*'] });
    expect(checkLayeredDefaults(policy('Team 2', { teams: ['t2'] }, { defaultModel: 'claude-sonnet-4-5' }), [base, narrower])).toEqual({ refusal: undefined, warnings: [] });
  });

  test('an everyone policy whose list refuses other policies\' defaults is saved with a warning per policy', () => {
    const check = checkLayeredDefaults(policy('Base', { everyone: true }, { allowedModels: ['claude-haiku-4*'] }), [team]);
    expect(check.refusal).toBeUndefined();
    expect(check.warnings).toEqual(['policy "Team" has default_model "claude-sonnet-4-5", which this policy\'s allowed_models refuses; in layered mode it is dropped']);
  });
});
