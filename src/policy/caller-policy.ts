/**
 * A data-plane caller's effective policy, resolved from the in-memory mirrors and cached per
 * caller: an inference request costs one map lookup. The cache empties itself when the policies
 * or the group memberships change (their generations move), so a saved policy applies on the next
 * request after this replica's poll.
 */
import { ApiError } from '../errors.js';
import { refusingPolicy, resolvePolicy, type Caller, type EffectivePolicy, type Policy, type PolicyMode } from './resolution.js';

/** The parts of a principal (src/identity/authenticator.ts) a policy decides on. */
export interface PolicySubject {
  readonly userId: string;
  readonly userEmail: string;
  readonly teamId: string | null;
}

/** The policies as the mirror (src/policy/policy-mirror.ts) holds them. */
export interface PolicySource {
  all(): readonly Policy[];
  mode(): PolicyMode;
  readonly generation: number;
}

export interface GroupsSource {
  groupsOf(userId: string): readonly string[];
  readonly generation: number;
}

/** Enough for any realistic fleet; past it the cache starts over rather than grow without bound. */
const MAX_CACHED = 50_000;

export class CallerPolicies {
  private readonly cache = new Map<string, EffectivePolicy | null>();
  private seen = { policies: -1, groups: -1 };

  constructor(
    private readonly mirror: PolicySource,
    private readonly groups: GroupsSource,
  ) {}

  callerOf(subject: PolicySubject): Caller {
    return { teamId: subject.teamId, email: subject.userEmail, groups: this.groups.groupsOf(subject.userId) };
  }

  /** The caller's effective policy, or undefined when none applies. */
  resolve(subject: PolicySubject): EffectivePolicy | undefined {
    if (this.seen.policies !== this.mirror.generation || this.seen.groups !== this.groups.generation || this.cache.size >= MAX_CACHED) {
      this.cache.clear();
      this.seen = { policies: this.mirror.generation, groups: this.groups.generation };
    }
    // Team and email are part of the key: a user moved to another team is resolved afresh.
    const key = `${subject.userId}\u0000${subject.teamId ?? ''}\u0000${subject.userEmail}`;
    let effective = this.cache.get(key);
    if (effective === undefined) {
      effective = resolvePolicy(this.mirror.all(), this.mirror.mode(), this.callerOf(subject)) ?? null;
      this.cache.set(key, effective);
    }
    return effective ?? undefined;
  }

  allows(subject: PolicySubject, model: string): boolean {
    return refusingPolicy(this.resolve(subject), model) === undefined;
  }

  /** Refuses a model the caller's policy does not allow: 400 naming the model and the policy. */
  assertModelAllowed(subject: PolicySubject, model: string): void {
    const refusing = refusingPolicy(this.resolve(subject), model);
    if (!refusing) return;
    throw new ApiError(
      'invalid_request',
      `The model "${model}" is not allowed by policy "${refusing.name}" (allowed: ${refusing.allowedModels!.join(', ')}). Choose an allowed model or ask your gateway administrator.`,
    );
  }
}
