/**
 * The drift report: each recently seen Claude Code session's reported settings checksum against
 * the checksum its user's policy has now. `stale`: a checksum that is not the current one (an
 * older document, or one from elsewhere); `unknown`: the session sends no checksum (hint headers
 * off, or a Claude Code without managed settings); `current`; `no_policy`: no policy applies to
 * the user (nothing to drift from).
 */
import type { EffectivePolicy } from './resolution.js';
import type { SessionChecksumRow } from './session-checksums.js';

export type DriftStatus = 'current' | 'stale' | 'unknown' | 'no_policy';

export interface DriftSession {
  readonly session_id: string;
  readonly user_id: string;
  readonly email: string | null;
  readonly status: DriftStatus;
  readonly checksum: string | null;
  readonly expected_checksum: string | null;
  readonly first_seen_at: string;
  readonly last_seen_at: string;
}

export interface DriftUser {
  readonly user_id: string;
  readonly email: string | null;
  readonly policies: string[];
  readonly expected_checksum: string | null;
  readonly stale: number;
  readonly unknown: number;
  readonly current: number;
  readonly last_seen_at: string;
}

export interface DriftReport {
  readonly since: string;
  readonly summary: Record<DriftStatus, number> & { sessions: number };
  /** Users with at least one stale or unknown session. */
  readonly users: DriftUser[];
  /** Stale and unknown sessions (every session with `all`), newest first. */
  readonly sessions: DriftSession[];
}

export interface DriftInputs {
  readonly rows: readonly SessionChecksumRow[];
  /** The user's effective policy now, or undefined; null when the user no longer exists. */
  readonly policyOf: (userId: string) => EffectivePolicy | undefined | null;
  readonly emailOf: (userId: string) => string | null;
  readonly since: number;
  readonly all: boolean;
}

export function statusOf(reported: string | null, expected: string | null): DriftStatus {
  if (expected === null) return 'no_policy';
  if (reported === null) return 'unknown';
  return reported === expected ? 'current' : 'stale';
}

export function driftReport(inputs: DriftInputs): DriftReport {
  const summary = { sessions: 0, current: 0, stale: 0, unknown: 0, no_policy: 0 };
  const users = new Map<string, { -readonly [K in keyof DriftUser]: DriftUser[K] }>();
  const sessions: DriftSession[] = [];
  for (const row of inputs.rows) {
    const policy = inputs.policyOf(row.user_id);
    // A deleted user's sessions are history, not drift.
    if (policy === null) continue;
    const expected = policy?.checksum ?? null;
    const status = statusOf(row.checksum, expected);
    summary.sessions++;
    summary[status]++;
    const email = inputs.emailOf(row.user_id);
    const lastSeen = new Date(row.last_seen_at).toISOString();
    if (status === 'stale' || status === 'unknown' || inputs.all) {
      sessions.push({ session_id: row.session_id, user_id: row.user_id, email, status, checksum: row.checksum, expected_checksum: expected, first_seen_at: new Date(row.first_seen_at).toISOString(), last_seen_at: lastSeen });
    }
    if (status === 'no_policy') continue;
    const user = users.get(row.user_id) ?? { user_id: row.user_id, email, policies: policy!.applied.map((applied) => applied.name), expected_checksum: expected, stale: 0, unknown: 0, current: 0, last_seen_at: lastSeen };
    user[status]++;
    if (lastSeen > user.last_seen_at) user.last_seen_at = lastSeen;
    users.set(row.user_id, user);
  }
  return {
    since: new Date(inputs.since).toISOString(),
    summary,
    users: [...users.values()].filter((user) => user.stale + user.unknown > 0),
    sessions,
  };
}
