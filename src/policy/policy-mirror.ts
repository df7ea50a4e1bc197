/**
 * The policies and the mode in memory on every replica: the data plane resolves a caller's policy
 * without reading the database. A poll first asks for the policies' version (one indexed row) and
 * reloads the few policy rows only when it moved; `generation` tells caches built on the mirror
 * (src/policy/caller-policy.ts) that they are stale.
 */
import { VersionedMirror } from '../store/versioned-mirror.js';
import type { PoliciesRepo, StoredPolicy } from './policies.repo.js';
import type { PolicyMode } from './resolution.js';

export class PolicyMirror extends VersionedMirror<number> {
  private policies: readonly StoredPolicy[] = [];
  private currentMode: PolicyMode = 'first_match';
  /** Moves on every change seen. */
  generation = 0;

  constructor(private readonly repo: Pick<PoliciesRepo, 'list' | 'mode' | 'version'>) {
    super();
  }

  all(): readonly StoredPolicy[] {
    return this.policies;
  }

  mode(): PolicyMode {
    return this.currentMode;
  }

  protected version(): Promise<number> {
    return this.repo.version();
  }

  protected async reload(): Promise<void> {
    const [policies, { mode }] = await Promise.all([this.repo.list(), this.repo.mode()]);
    this.policies = policies;
    this.currentMode = mode;
    this.generation++;
  }
}
