/**
 * Admin operations on policies: each write is validated (the settings document against Claude
 * Code's catalogue, names unique, in layered mode the default model against the base policies),
 * stored, and applied to this replica's mirror at once; the other replicas pick it up at their
 * next poll.
 */
import { ApiError } from '../errors.js';
import { checkClaudeSettings } from './claude-settings-catalogue.js';
import { checkLayeredDefaults } from './layered-defaults.js';
import type { PoliciesRepo, PolicyInput, StoredPolicy } from './policies.repo.js';
import type { PolicyMirror } from './policy-mirror.js';
import type { PolicyMode } from './resolution.js';

export interface SavedPolicy {
  readonly policy: StoredPolicy;
  /** Unknown settings keys, saved as written; other policies' default models this one drops. */
  readonly warnings: string[];
}

/** Unique-constraint violations as both drivers report them. */
const isUniqueViolation = (error: unknown): boolean => /unique|duplicate key/i.test((error as Error).message ?? '');

export function createPoliciesService(deps: { repo: PoliciesRepo; mirror: Pick<PolicyMirror, 'refresh'>; clock?: () => number }) {
  const { repo, mirror } = deps;
  const clock = deps.clock ?? Date.now;

  /** The settings document's and, in layered mode, the default model's refusals and warnings. */
  async function checked(input: PolicyInput, id?: string): Promise<string[]> {
    const { errors, warnings } = checkClaudeSettings(input.settings);
    if (errors.length > 0) throw new ApiError('invalid_request', errors.join('; '));
    if ((await repo.mode()).mode !== 'layered') return warnings;
    const layered = checkLayeredDefaults(input, (await repo.list()).filter((policy) => policy.id !== id));
    if (layered.refusal !== undefined) throw new ApiError('invalid_request', layered.refusal);
    return [...warnings, ...layered.warnings];
  }

  async function written<T>(write: () => Promise<T>, name?: string): Promise<T> {
    try {
      const result = await write();
      await mirror.refresh();
      return result;
    } catch (error) {
      if (name !== undefined && isUniqueViolation(error)) throw new ApiError('conflict', `a policy named "${name}" already exists`);
      throw error;
    }
  }

  async function get(id: string): Promise<StoredPolicy> {
    const policy = await repo.find(id);
    if (!policy) throw new ApiError('not_found', `no policy with id ${id}`);
    return policy;
  }

  return {
    list: () => repo.list(),
    mode: async (): Promise<PolicyMode> => (await repo.mode()).mode,
    get,

    async create(input: PolicyInput, by: string | null): Promise<SavedPolicy> {
      const warnings = await checked(input);
      return { policy: await written(() => repo.create(input, clock(), by), input.name), warnings };
    },

    async update(id: string, input: PolicyInput, by: string | null): Promise<SavedPolicy> {
      const warnings = await checked(input, id);
      const policy = await written(() => repo.update(id, input, clock(), by), input.name);
      if (!policy) throw new ApiError('not_found', `no policy with id ${id}`);
      return { policy, warnings };
    },

    async delete(id: string, by: string | null): Promise<void> {
      if (!(await written(() => repo.delete(id, clock(), by)))) throw new ApiError('not_found', `no policy with id ${id}`);
    },

    async move(id: string, position: number, by: string | null): Promise<StoredPolicy[]> {
      if (!(await written(() => repo.move(id, position, clock(), by)))) throw new ApiError('not_found', `no policy with id ${id}`);
      return repo.list();
    },

    async setMode(mode: PolicyMode, by: string | null): Promise<PolicyMode> {
      await written(() => repo.setMode(mode, clock(), by));
      return mode;
    },
  };
}

export type PoliciesService = ReturnType<typeof createPoliciesService>;
