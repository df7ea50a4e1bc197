/**
 * Every active key in memory, so authenticating a request never reads the database. Changes made
 * through this process apply at once; changes made by another replica (or the CLI against it) are
 * picked up by a cheap indexed poll of rows updated since the last one seen.
 */
import { TableMirror } from '../store/table-mirror.js';
import type { CredentialResolver } from './authenticator.js';
import type { KeyWithOwner, KeysRepo } from './keys.repo.js';
import { hashSecret, looksLikeVirtualKey } from './tokens.js';

export interface CachedKey {
  readonly id: string;
  readonly prefix: string;
  readonly userId: string;
  readonly userEmail: string;
  readonly teamId: string | null;
  readonly expiresAt: number | null;
}

/** Why a known key no longer works; kept so failures are counted by their real reason. */
type Refused = 'revoked' | 'deactivated';

export class KeyCache extends TableMirror<KeyWithOwner> implements CredentialResolver {
  private readonly byHash = new Map<string, CachedKey | Refused>();

  constructor(repo: Pick<KeysRepo, 'changedSince'>) {
    super((since) => repo.changedSince(since), (row) => Math.max(row.updated_at, row.user_updated_at));
  }

  get(hash: string): CachedKey | undefined {
    const entry = this.byHash.get(hash);
    return typeof entry === 'object' ? entry : undefined;
  }

  accepts(token: string): boolean {
    return looksLikeVirtualKey(token);
  }

  resolve(token: string, now: number) {
    const entry = this.byHash.get(hashSecret(token));
    if (entry === undefined) return { refused: 'invalid' as const };
    if (typeof entry === 'string') return { refused: entry };
    if (entry.expiresAt !== null && entry.expiresAt <= now) return { refused: 'expired' as const };
    return { keyId: entry.id, keyPrefix: entry.prefix, userId: entry.userId, userEmail: entry.userEmail, teamId: entry.teamId, credential: 'key' as const };
  }

  apply(row: KeyWithOwner): void {
    if (row.status !== 'active') {
      this.byHash.set(row.key_hash, 'revoked');
      return;
    }
    if (row.user_status !== 'active') {
      this.byHash.set(row.key_hash, 'deactivated');
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
}
