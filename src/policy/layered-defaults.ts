/**
 * Save-time rules for default models in layered mode (docs/policies.md#default-model). A policy
 * matching everyone is a layer of every user's policy, so its allowlist decides every other
 * policy's default model: a default it refuses could never apply (resolution would drop it), and
 * is refused when saved. Other overlaps depend on who is in which team or group, which changes
 * after the save; those are caught at resolution, which drops the default and reports it
 * (`GET /admin/policies/resolve`). Pure.
 */
import { modelMatches } from './model-allowlist.js';
import type { PolicyInput } from './policies.repo.js';
import type { Policy } from './resolution.js';

export interface DefaultModelCheck {
  /** Why the save is refused, or undefined. */
  readonly refusal?: string;
  /** Other policies' defaults this (base) policy's allowlist will drop. */
  readonly warnings: readonly string[];
}

const refuses = (policy: Pick<Policy, 'allowedModels'>, model: string): boolean => policy.allowedModels !== null && !modelMatches(policy.allowedModels, model);

/** `others`: every stored policy but the one being saved. */
export function checkLayeredDefaults(saved: PolicyInput, others: readonly Policy[]): DefaultModelCheck {
  const model = saved.defaultModel;
  const base = model === null ? undefined : others.find((policy) => policy.match.everyone && refuses(policy, model));
  const refusal =
    base === undefined
      ? undefined
      : `default_model: "${model}" is not allowed by policy "${base.name}" (allowed: ${base.allowedModels!.join(', ')}), which applies to everyone in layered mode`;
  const warnings = !saved.match.everyone
    ? []
    : others
        .filter((policy) => policy.defaultModel !== null && refuses(saved, policy.defaultModel))
        .map((policy) => `policy "${policy.name}" has default_model "${policy.defaultModel}", which this policy's allowed_models refuses; in layered mode it is dropped`);
  return { refusal, warnings };
}
