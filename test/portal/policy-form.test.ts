import { expect, test } from 'vitest';
import { bodyOf, EMPTY_FORM, formOf, matchSummary } from '../../portal/src/features/policies/policy-form.js';
import type { PolicyRecord } from '../../portal/src/features/policies/types.js';

const policy: PolicyRecord = {
  id: 'p1',
  name: 'Contractors',
  position: 2,
  match: { everyone: false, teams: [{ id: 't1', name: 'Mobile' }], groups: ['Vendors'], domains: ['vendor.example'] },
  allowed_models: ['claude-haiku-4*'],
  default_model: 'claude-haiku-4-5',
  settings: { env: { A: '1' } },
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  updated_by: null,
};

test('a policy round-trips through the form', () => {
  expect(bodyOf(formOf(policy))).toEqual({
    body: { name: 'Contractors', match: { everyone: false, teams: ['t1'], groups: ['Vendors'], domains: ['vendor.example'] }, allowed_models: ['claude-haiku-4*'], default_model: 'claude-haiku-4-5', settings: { env: { A: '1' } } },
  });
});

test('lists split on commas, an empty allowlist means any model, an empty default model means none', () => {
  const built = bodyOf({ ...EMPTY_FORM, name: ' Base ', everyone: true, groups: ' a, ,b ', models: ' ', defaultModel: '', settings: '' });
  expect(built).toEqual({ body: { name: 'Base', match: { everyone: true, teams: [], groups: ['a', 'b'], domains: [] }, allowed_models: null, default_model: null, settings: {} } });
});

test('says what to fix first: a name, whom it is for, JSON that parses, an object', () => {
  expect(bodyOf({ ...EMPTY_FORM })).toEqual({ problem: 'Give the policy a name.' });
  expect(bodyOf({ ...EMPTY_FORM, name: 'x' })).toEqual({ problem: 'Say whom the policy is for: everyone, a team, an IdP group or an email domain.' });
  expect(bodyOf({ ...EMPTY_FORM, name: 'x', everyone: true, settings: '{"env": ' })).toMatchObject({ problem: expect.stringMatching(/^The settings are not valid JSON: /) });
  expect(bodyOf({ ...EMPTY_FORM, name: 'x', everyone: true, settings: '["env"]' })).toEqual({ problem: 'The settings must be a JSON object, like {"env": {}}.' });
});

test('the Matches column names teams, groups and domains, or Everyone', () => {
  expect(matchSummary(policy)).toBe('Team Mobile, Group Vendors, @vendor.example');
  expect(matchSummary({ ...policy, match: { ...policy.match, everyone: true } })).toBe('Everyone');
});
