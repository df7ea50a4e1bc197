/**
 * The policy editor's form state and its translation to the API body. Pure, so the rules a person
 * meets in the editor (lists by comma, JSON parse errors named, empty allowlist = any model) are
 * the same ones the tests check.
 */
import type { PolicyBody, PolicyRecord } from './types.js';

export interface PolicyForm {
  name: string;
  everyone: boolean;
  teamIds: string[];
  groups: string;
  domains: string;
  models: string;
  defaultModel: string;
  settings: string;
}

export const EMPTY_FORM: PolicyForm = { name: '', everyone: false, teamIds: [], groups: '', domains: '', models: '', defaultModel: '', settings: '{\n  "env": {}\n}' };

export function formOf(policy: PolicyRecord): PolicyForm {
  return {
    name: policy.name,
    everyone: policy.match.everyone,
    teamIds: policy.match.teams.map((team) => team.id),
    groups: policy.match.groups.join(', '),
    domains: policy.match.domains.join(', '),
    models: policy.allowed_models?.join(', ') ?? '',
    defaultModel: policy.default_model ?? '',
    settings: JSON.stringify(policy.settings, null, 2),
  };
}

const listOf = (text: string): string[] => text.split(',').map((part) => part.trim()).filter((part) => part.length > 0);

/** The body to send, or the sentence that says what to fix first. */
export function bodyOf(form: PolicyForm): { body: PolicyBody } | { problem: string } {
  if (!form.name.trim()) return { problem: 'Give the policy a name.' };
  const match = { everyone: form.everyone, teams: form.teamIds, groups: listOf(form.groups), domains: listOf(form.domains) };
  if (!match.everyone && match.teams.length + match.groups.length + match.domains.length === 0) {
    return { problem: 'Say whom the policy is for: everyone, a team, an IdP group or an email domain.' };
  }
  let settings: unknown;
  try {
    settings = JSON.parse(form.settings.trim() || '{}');
  } catch (error) {
    return { problem: `The settings are not valid JSON: ${(error as Error).message}` };
  }
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return { problem: 'The settings must be a JSON object, like {"env": {}}.' };
  const models = listOf(form.models);
  return {
    body: {
      name: form.name.trim(),
      match,
      allowed_models: models.length > 0 ? models : null,
      default_model: form.defaultModel.trim() || null,
      settings: settings as Record<string, unknown>,
    },
  };
}

/** "Everyone", or the teams, groups and domains a policy matches, for the list. */
export function matchSummary(policy: PolicyRecord): string {
  if (policy.match.everyone) return 'Everyone';
  return [
    ...policy.match.teams.map((team) => `Team ${team.name ?? team.id}`),
    ...policy.match.groups.map((group) => `Group ${group}`),
    ...policy.match.domains.map((domain) => `@${domain}`),
  ].join(', ');
}
