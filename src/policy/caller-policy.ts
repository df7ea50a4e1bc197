/**
 * A data-plane caller's effective policy, resolved from the in-memory mirrors and cached per
 * caller, with the allowlist's verdict per model: an inference request costs two map lookups and
 * allocates nothing. The cache empties itself when the policies
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
/** Model names are client-controlled: a caller's remembered verdicts start over past this many. */
const MAX_VERDICTS_PER_CALLER = 64;

/** One caller's resolution, and the verdict for each model they asked for (null: allowed). */
interface CachedCaller {
  readonly teamId: string | null;
  readonly email: string;
  readonly effective: EffectivePolicy | undefined;
  readonly verdicts: Map<string, Policy | null>;
}

export class CallerPolicies {
  private readonly cache = new Map<string, CachedCaller>();
  private seen = { policies: -1, groups: -1 };

  constructor(
    private readonly mirror: PolicySource,
    private readonly groups: GroupsSource,
  ) {}

  callerOf(subject: PolicySubject): Caller {
    return { teamId: subject.teamId, email: subject.userEmail, groups: this.groups.groupsOf(subject.userId) };
  }

  /**
   * The caller's cache entry. A repeated request allocates nothing here: the entry is found by
   * user id, and team and email are compared rather than built into a key (a user moved to
   * another team, or renamed, is resolved afresh).
   */
  private cached(subject: PolicySubject): CachedCaller {
    if (this.seen.policies !== this.mirror.generation || this.seen.groups !== this.groups.generation || this.cache.size >= MAX_CACHED) {
      this.cache.clear();
      this.seen = { policies: this.mirror.generation, groups: this.groups.generation };
    }
    let entry = this.cache.get(subject.userId);
    if (entry === undefined || entry.teamId !== subject.teamId || entry.email !== subject.userEmail) {
      const effective = resolvePolicy(this.mirror.all(), this.mirror.mode(), this.callerOf(subject));
      entry = { teamId: subject.teamId, email: subject.userEmail, effective, verdicts: new Map() };
      this.cache.set(subject.userId, entry);
    }
    return entry;
  }

  /** The caller's effective policy, or undefined when none applies. */
  resolve(subject: PolicySubject): EffectivePolicy | undefined {
    return this.cached(subject).effective;
  }

  /**
   * The applied policy that refuses the model, or undefined. Remembered per (caller, model) until
   * the policies or groups change, so the allowlist's name expansion and pattern tests run once,
   * not on every request.
   */
  private refusing(subject: PolicySubject, model: string): Policy | undefined {
    const entry = this.cached(subject);
    if (entry.effective === undefined) return undefined;
    let verdict = entry.verdicts.get(model);
    if (verdict === undefined) {
      verdict = refusingPolicy(entry.effective, model) ?? null;
      // Full (model listings, or a client cycling names): start over, so the names in use are cached again.
      if (entry.verdicts.size >= MAX_VERDICTS_PER_CALLER) entry.verdicts.clear();
      entry.verdicts.set(model, verdict);
    }
    return verdict ?? undefined;
  }

  allows(subject: PolicySubject, model: string): boolean {
    return this.refusing(subject, model) === undefined;
  }

  /** Refuses a model the caller's policy does not allow: 400 naming the model and the policy. */
  assertModelAllowed(subject: PolicySubject, model: string): void {
    const refusing = this.refusing(subject, model);
    if (!refusing) return;
    throw new ApiError(
      'invalid_request',
      `The model "${model}" is not allowed by policy "${refusing.name}" (allowed: ${refusing.allowedModels!.join(', ')}). Choose an allowed model or ask your gateway administrator.`,
    );
  }
}
