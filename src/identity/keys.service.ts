import { ApiError } from '../errors.js';
import type { PageRequest } from '../store/paging.js';
import type { KeyCache } from './key-cache.js';
import type { KeyListFilter, KeySort, KeyWithOwner, KeysRepo } from './keys.repo.js';
import type { TeamsService } from './teams.service.js';
import { newVirtualKey } from './tokens.js';
import type { UsersRepo } from './users.repo.js';

export interface CreateKeyInput {
  userEmail: string;
  name?: string | null;
  expiresAt?: number | null;
  teamId?: string | null;
}

export function createKeysService(deps: { keys: KeysRepo; users: UsersRepo; teams: TeamsService; cache: KeyCache }) {
  const { keys, users, teams, cache } = deps;
  return {
    /** Creates a key; the plaintext is returned here once and never stored. */
    async create(input: CreateKeyInput): Promise<{ key: string; record: KeyWithOwner }> {
      if (input.expiresAt != null && input.expiresAt <= Date.now()) {
        throw new ApiError('invalid_request', 'expires_at must be in the future');
      }
      if (input.teamId) await teams.assertExists(input.teamId);
      const owner = await users.ensureMember(input.userEmail);
      const secret = newVirtualKey();
      const row = await keys.insert({
        key_hash: secret.hash,
        prefix: secret.prefix,
        name: input.name ?? null,
        user_id: owner.id,
        team_id: input.teamId ?? owner.team_id,
        expires_at: input.expiresAt ?? null,
      });
      // Read back with its owner and team, as every listing shows it.
      const record = (await keys.findById(row.id))!;
      cache.apply(record);
      return { key: secret.key, record };
    },

    async list(filter: { userEmail?: string; includeRevoked?: boolean }): Promise<KeyWithOwner[]> {
      if (filter.userEmail) {
        const owner = await users.findByEmail(filter.userEmail);
        if (!owner) return [];
        return keys.list({ userId: owner.id, includeRevoked: filter.includeRevoked });
      }
      return keys.list({ includeRevoked: filter.includeRevoked });
    },

    page: (request: PageRequest<KeySort> & KeyListFilter) => keys.page(request),

    /**
     * Revokes at once in this process; other replicas drop the key on their next poll. A key the
     * caller may not manage (`allowed`) is reported as absent, so members learn nothing of others' keys.
     */
    async revoke(id: string, allowed: (key: KeyWithOwner) => boolean = () => true): Promise<KeyWithOwner> {
      const existing = await keys.findById(id);
      if (!existing || !allowed(existing)) throw new ApiError('not_found', `no key with id ${id}`);
      await keys.revoke(id);
      const revoked = (await keys.findById(id)) ?? existing;
      cache.apply(revoked);
      return revoked;
    },
  };
}

export type KeysService = ReturnType<typeof createKeysService>;
