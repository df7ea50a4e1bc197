/**
 * Fleet policies (spec §13, docs/policies.md): which models each team, IdP group or email domain
 * may use, and the Claude Code managed settings their machines run with. The policies are
 * mirrored in memory and polled; the data plane asks `gate` (model allowlists, settings drift) and
 * `callers` (GET /managed/settings) without reading the database; the admin API uses `service`
 * and `drift`. The area owns its tables (migration 0014) and learns about users, teams and groups
 * only through what the composition root hands it from identity.
 */
import type { Logger } from 'pino';
import type { Lifecycle } from '../lifecycle.js';
import type { Store } from '../store/database.js';
import { CallerPolicies, type GroupsSource, type PolicySubject } from './caller-policy.js';
import { policyMatches } from './resolution.js';
import { driftReport, type DriftReport } from './drift.js';
import { createPoliciesRepo } from './policies.repo.js';
import { createPoliciesService } from './policies.service.js';
import { PolicyMirror } from './policy-mirror.js';
import { createSessionChecksumsRepo, SessionChecksumRecorder } from './session-checksums.js';

/** How often a replica writes the sessions' reported checksums. */
const DRIFT_FLUSH_MS = 10_000;
/** The drift report looks at sessions seen this recently unless told otherwise. */
export const DRIFT_WINDOW_HOURS = 24;
const DRIFT_MAX_SESSIONS = 10_000;

export interface PolicyDeps {
  readonly store: Store;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  readonly groups: GroupsSource;
  /** A user's policy subject (email, team) by id or email, or undefined (no such user): from identity's directory. */
  readonly subjectOf: (userIdOrEmail: string) => Promise<PolicySubject | undefined>;
  readonly clock?: () => number;
}

export async function createPolicy(deps: PolicyDeps) {
  const clock = deps.clock ?? Date.now;
  const repo = createPoliciesRepo(deps.store.db);
  const mirror = await deps.lifecycle.polled('policies', new PolicyMirror(repo));
  const callers = new CallerPolicies(mirror, deps.groups);
  const sessions = createSessionChecksumsRepo(deps.store.db);
  const recorder = new SessionChecksumRecorder(sessions);
  recorder.start(DRIFT_FLUSH_MS, (error) => deps.log.warn({ err: error }, 'writing session settings checksums failed'));
  deps.lifecycle.owns('session settings checksums', recorder, (r) => r.stop());

  return {
    mirror,
    callers,
    service: createPoliciesService({ repo, mirror, clock }),
    /** For the data plane (src/gateway/pipeline/check-policy.ts). */
    gate: {
      assertModelAllowed: (subject: PolicySubject, model: string) => callers.assertModelAllowed(subject, model),
      allows: (subject: PolicySubject, model: string) => callers.allows(subject, model),
      observeSession: (sessionId: string, userId: string, checksum: string | null, now: number) => recorder.observe(sessionId, userId, checksum, now),
    },
    /** Why a user gets what they get: their groups, every policy that matches, and the result (admin resolve). */
    async explain(userIdOrEmail: string) {
      const subject = await deps.subjectOf(userIdOrEmail);
      if (!subject) return undefined;
      const caller = callers.callerOf(subject);
      return {
        subject,
        groups: caller.groups,
        mode: mirror.mode(),
        matching: mirror.all().filter((policy) => policyMatches(policy.match, caller)),
        effective: callers.resolve(subject),
      };
    },
    /** Sessions seen in the last `hours` against their users' current policy checksum. */
    async drift(options: { hours?: number; all?: boolean } = {}): Promise<DriftReport> {
      // This replica's unwritten observations first, so a report right after traffic includes it.
      await recorder.flush();
      const since = clock() - (options.hours ?? DRIFT_WINDOW_HOURS) * 3_600_000;
      const rows = await sessions.seenSince(since, DRIFT_MAX_SESSIONS);
      const userIds = [...new Set(rows.map((row) => row.user_id))];
      const subjects = new Map(await Promise.all(userIds.map(async (id) => [id, await deps.subjectOf(id)] as const)));
      return driftReport({
        rows,
        since,
        all: options.all === true,
        policyOf: (userId) => {
          const subject = subjects.get(userId);
          return subject ? callers.resolve(subject) : null;
        },
        emailOf: (userId) => subjects.get(userId)?.userEmail ?? null,
      });
    },
  };
}

export type PolicyArea = Awaited<ReturnType<typeof createPolicy>>;
