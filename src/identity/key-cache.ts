/**
 * Every active key in memory, so authenticating a request never reads the database. Changes made
 * through this process apply at once; changes made by another replica (or the CLI against it) are
 * picked up by a cheap indexed poll of rows updated since the last one seen.
 */
import type { KeyWithOwner, KeysRepo } from './keys.repo.js';

export interface CachedKey {
  readonly id: string;
  readonly prefix: string;
  readonly userId: string;
  readonly userEmail: string;
  readonly teamId: string | null;
  readonly expiresAt: number | null;
}

// Rows written in the same millisecond as a poll could be missed by a strict `>`; re-reading a
// small overlap window is idempotent and closes that gap.
const OVERLAP_MS = 2000;

export class KeyCache {
  private readonly byHash = new Map<string, CachedKey>();
  private watermark = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly repo: KeysRepo) {}

  get(hash: string): CachedKey | undefined {
    return this.byHash.get(hash);
  }

  /** Loads changes since the last refresh (everything on the first call). */
  async refresh(): Promise<void> {
    const since = this.watermark === 0 ? -1 : this.watermark - OVERLAP_MS;
    const rows = await this.repo.changedSince(since);
    for (const row of rows) {
      this.apply(row);
      this.watermark = Math.max(this.watermark, row.updated_at, row.user_updated_at);
    }
  }

  apply(row: KeyWithOwner): void {
    if (row.status !== 'active' || row.user_status !== 'active') {
      this.byHash.delete(row.key_hash);
      return;
    }
    this.byHash.set(row.key_hash, {
      id: row.id,
      prefix: row.prefix,
      userId: row.user_id,
      userEmail: row.user_email,
      teamId: row.team_id,
      expiresAt: row.expires_at,
    });
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
