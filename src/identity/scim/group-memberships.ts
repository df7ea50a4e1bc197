/**
 * Which IdP groups each user is in, in memory, for areas that decide by group (fleet policies)
 * without reading identity's tables or the database per request. Groups arrive through SCIM
 * (`scim_group_members`) and in the groups claim of OIDC sign-ins (`sign_in_groups`); the source
 * hands both as one list. Membership changes move no version column, so a poll reloads the
 * (user, group name) pairs whole, at a slower pace than the other mirrors, and `generation` moves
 * only when the memberships actually changed.
 */
import { createHash } from 'node:crypto';
import type { Polled } from '../../lifecycle.js';

/** Every (user, group name) pair, in a stable order. */
export interface MembershipSource {
  allMemberships(): Promise<readonly { user_id: string; display_name: string }[]>;
}

/** Group changes are rare and a full reload costs more than a version probe. */
export const GROUP_MEMBERSHIPS_POLL_MS = 10_000;

export class GroupMemberships implements Polled {
  private byUser = new Map<string, readonly string[]>();
  private fingerprint = '';
  private timer: NodeJS.Timeout | undefined;
  generation = 0;

  constructor(private readonly repo: MembershipSource) {}

  /** The names of the groups the user is in (any IdP), or none. */
  groupsOf(userId: string): readonly string[] {
    return this.byUser.get(userId) ?? [];
  }

  async refresh(): Promise<void> {
    const rows = await this.repo.allMemberships();
    const hash = createHash('sha256');
    const byUser = new Map<string, string[]>();
    for (const row of rows) {
      hash.update(`${row.user_id}\u0000${row.display_name}\u0001`);
      const groups = byUser.get(row.user_id) ?? [];
      // A group may arrive from SCIM and from a sign-in's claim alike.
      if (!groups.includes(row.display_name)) groups.push(row.display_name);
      byUser.set(row.user_id, groups);
    }
    const fingerprint = hash.digest('hex');
    if (fingerprint === this.fingerprint) return;
    this.byUser = byUser;
    this.fingerprint = fingerprint;
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
