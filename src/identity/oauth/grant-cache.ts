/**
 * Every signed-in device's access token in memory, so a request bearing a `ccag-at-` token is
 * authenticated without reading the database (the technique of ../key-cache.ts). Grants changed
 * through this process apply at once; other replicas' rotations and revocations arrive by a cheap
 * indexed poll of `oauth_grants.updated_at`. The owner's status, email and team come from the
 * user directory, itself polled by `users.updated_at` and refreshed after local writes, so a
 * deactivated user's tokens stop as soon as the directory knows.
 */
import { TableMirror } from '../../store/table-mirror.js';
import type { CredentialResolver, Resolution } from '../authenticator.js';
import { hashSecret } from '../tokens.js';
import type { UserDirectory } from '../user-directory.js';
import { looksLikeAccessToken } from './codes.js';
import type { Grant, GrantsRepo } from './grants.repo.js';

interface CachedGrant {
  readonly grantId: string;
  readonly userId: string;
  readonly accessExpiresAt: number;
}

/** A token that once worked: revoked, or rotated away by a refresh. */
const REVOKED = 'revoked';

export class GrantCache extends TableMirror<Grant> implements CredentialResolver {
  private readonly byHash = new Map<string, CachedGrant | typeof REVOKED>();
  /** Each grant's current access hash and version, to retire the old hash on rotation. */
  private readonly current = new Map<string, { hash: string; updatedAt: number }>();

  constructor(
    repo: Pick<GrantsRepo, 'changedSince'>,
    private readonly directory: Pick<UserDirectory, 'byId'>,
  ) {
    super((since) => repo.changedSince(since), (row) => row.updated_at);
  }

  accepts(token: string): boolean {
    return looksLikeAccessToken(token);
  }

  resolve(token: string, now: number): Resolution {
    const entry = this.byHash.get(hashSecret(token));
    if (entry === undefined) return { refused: 'invalid' };
    if (entry === REVOKED) return { refused: 'revoked' };
    const user = this.directory.byId(entry.userId);
    // A deleted user has left the directory: to the caller that is the same as deactivated.
    if (!user || user.status !== 'active') return { refused: 'deactivated' };
    if (entry.accessExpiresAt <= now) return { refused: 'expired' };
    return { keyId: null, keyPrefix: null, userId: user.id, userEmail: user.email, teamId: user.teamId, credential: 'oauth' };
  }

  /** Records a grant row (one this process just wrote, or one a poll found). */
  apply(row: Grant): void {
    const known = this.current.get(row.id);
    // An older row (a poll racing a local write) must not undo the newer state.
    if (known && known.updatedAt > row.updated_at) return;
    if (known && known.hash !== row.access_hash) this.byHash.set(known.hash, REVOKED);
    this.current.set(row.id, { hash: row.access_hash, updatedAt: row.updated_at });
    this.byHash.set(
      row.access_hash,
      row.revoked_at !== null ? REVOKED : { grantId: row.id, userId: row.user_id, accessExpiresAt: row.access_expires_at },
    );
  }
}
