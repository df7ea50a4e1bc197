/**
 * Which policies apply to a caller, and what they add up to. Pure: the policies (in order), the
 * mode and the caller's team, groups and email in; the effective policy out.
 *
 * - `first_match`: the first policy (by position) that matches applies, alone.
 * - `layered`: every matching policy applies, in position order, each on top of the ones before
 *   (put the base policy, usually one matching everyone, first):
 *   settings objects merge key by key at every depth, and a later scalar or array replaces an
 *   earlier one; allowlists narrow: a model must match the allowlist of every layer that has one;
 *   the default model is the last one set that every applied allowlist allows (a later layer's
 *   default another layer forbids is dropped and reported in `droppedDefaults`, so Claude Code
 *   never starts on a model its first request would be refused).
 *
 * The effective settings carry the default model as `model` unless the settings set one.
 */
import { modelMatches } from './model-allowlist.js';
import { settingsChecksum, settingsUuid, type JsonValue } from './checksum.js';

export const POLICY_MODES = ['first_match', 'layered'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];

export interface PolicyMatch {
  readonly everyone: boolean;
  readonly teams: readonly string[];
  readonly groups: readonly string[];
  readonly domains: readonly string[];
}

export interface Policy {
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly match: PolicyMatch;
  /** Model patterns; null admits any model. */
  readonly allowedModels: readonly string[] | null;
  readonly defaultModel: string | null;
  readonly settings: Readonly<Record<string, JsonValue>>;
}

export interface Caller {
  readonly teamId: string | null;
  /** IdP group names (SCIM), any IdP. */
  readonly groups: readonly string[];
  readonly email: string;
}

export interface EffectivePolicy {
  /** The policies that apply, in the order they were layered (one in first_match mode). */
  readonly applied: readonly Policy[];
  readonly defaultModel: string | null;
  /** Default models of later layers that another applied layer's allowlist refuses, last layer first. */
  readonly droppedDefaults: readonly DroppedDefault[];
  readonly settings: Record<string, JsonValue>;
  readonly checksum: string;
  readonly uuid: string;
}

export interface DroppedDefault {
  readonly model: string;
  /** The policy that set it. */
  readonly policy: string;
  /** The first applied policy whose allowlist refuses it. */
  readonly refusedBy: string;
}

export const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export function policyMatches(match: PolicyMatch, caller: Caller): boolean {
  if (match.everyone) return true;
  if (caller.teamId !== null && match.teams.includes(caller.teamId)) return true;
  const groups = new Set(caller.groups.map((group) => group.toLowerCase()));
  if (match.groups.some((group) => groups.has(group.toLowerCase()))) return true;
  return match.domains.includes(domainOf(caller.email));
}

const isObject = (value: JsonValue | undefined): value is Record<string, JsonValue> =>
  value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);

export function mergeSettings(base: Readonly<Record<string, JsonValue>>, layer: Readonly<Record<string, JsonValue>>): Record<string, JsonValue> {
  const merged: Record<string, JsonValue> = { ...base };
  for (const [key, value] of Object.entries(layer)) {
    const before = merged[key];
    merged[key] = isObject(before) && isObject(value) ? mergeSettings(before, value) : value;
  }
  return merged;
}

/** The effective policy for a caller; undefined when no policy applies. */
export function resolvePolicy(policies: readonly Policy[], mode: PolicyMode, caller: Caller): EffectivePolicy | undefined {
  const ordered = [...policies].sort((a, b) => a.position - b.position).filter((policy) => policyMatches(policy.match, caller));
  const applied = mode === 'first_match' ? ordered.slice(0, 1) : ordered;
  if (applied.length === 0) return undefined;
  let settings: Record<string, JsonValue> = {};
  for (const policy of applied) settings = mergeSettings(settings, policy.settings);
  const { defaultModel, droppedDefaults } = allowedDefault(applied);
  if (defaultModel !== null && settings.model === undefined) settings = { ...settings, model: defaultModel };
  const checksum = settingsChecksum(settings);
  return { applied, defaultModel, droppedDefaults, settings, checksum, uuid: settingsUuid(checksum) };
}

/** The last default model set that every applied allowlist allows, and the later ones that were not. */
function allowedDefault(applied: readonly Policy[]): { defaultModel: string | null; droppedDefaults: DroppedDefault[] } {
  const droppedDefaults: DroppedDefault[] = [];
  for (let index = applied.length - 1; index >= 0; index--) {
    const { defaultModel, name } = applied[index]!;
    if (defaultModel === null) continue;
    const refusing = firstRefusing(applied, defaultModel);
    if (!refusing) return { defaultModel, droppedDefaults };
    droppedDefaults.push({ model: defaultModel, policy: name, refusedBy: refusing.name });
  }
  return { defaultModel: null, droppedDefaults };
}

function firstRefusing(applied: readonly Policy[], clientModel: string): Policy | undefined {
  return applied.find((policy) => policy.allowedModels !== null && !modelMatches(policy.allowedModels, clientModel));
}

/** The first applied policy whose allowlist refuses the model, or undefined when every layer admits it. */
export function refusingPolicy(effective: EffectivePolicy | undefined, clientModel: string): Policy | undefined {
  return effective && firstRefusing(effective.applied, clientModel);
}
