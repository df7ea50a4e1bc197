/**
 * The policies and the mode in memory on every replica: the data plane resolves a caller's policy
 * without reading the database. A poll first asks for the policies' version (one indexed row) and
 * reloads the few policy rows only when it moved; `generation` tells caches built on the mirror
 * (src/policy/caller-policy.ts) that they are stale.
 */
import type { Polled } from '../lifecycle.js';
import type { PoliciesRepo, StoredPolicy } from './policies.repo.js';
import type { PolicyMode } from './resolution.js';

export class PolicyMirror implements Polled {
  private policies: readonly StoredPolicy[] = [];
  private currentMode: PolicyMode = 'first_match';
  private version = -1;
  private timer: NodeJS.Timeout | undefined;
  /** Moves on every change seen. */
  generation = 0;

  constructor(private readonly repo: Pick<PoliciesRepo, 'list' | 'mode' | 'version'>) {}

  all(): readonly StoredPolicy[] {
    return this.policies;
  }

  mode(): PolicyMode {
    return this.currentMode;
  }

  async refresh(): Promise<void> {
    const version = await this.repo.version();
    if (version === this.version) return;
    const [policies, { mode }] = await Promise.all([this.repo.list(), this.repo.mode()]);
    this.policies = policies;
    this.currentMode = mode;
    this.version = version;
    this.generation++;
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
