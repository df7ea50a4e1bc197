/**
 * Admin API keys: long-lived `Authorization: Bearer` credentials for automation (CI, scripts),
 * as powerful as their owner's admin session. Like every secret CCAG hands out, a key is random,
 * shown once and stored only as its SHA-256 (see tokens.ts). The owner is re-checked on every use
 * rather than at creation, so deactivating or demoting the owner cuts the key off at once.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors.js';
import type { PageRequest } from '../store/paging.js';
import type { AdminApiKeySort, AdminApiKeysRepo, AdminApiKeyWithOwner } from './admin-api-keys.repo.js';
import type { SessionUser } from './sessions.service.js';
import { hashSecret } from './tokens.js';

export const ADMIN_API_KEY_PREFIX = 'ccag-admin-';

/** last_used_at is for people ("is this key still in use?"); minute precision saves a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** `ccag-admin-` + 64 hex characters (32 random bytes); the prefix shown in lists keeps 6 of them. */
function newAdminApiKey(): { key: string; prefix: string; hash: string } {
  const key = ADMIN_API_KEY_PREFIX + randomBytes(32).toString('hex');
  return { key, prefix: key.slice(0, ADMIN_API_KEY_PREFIX.length + 6), hash: hashSecret(key) };
}

export function createAdminApiKeysService(deps: { repo: AdminApiKeysRepo }) {
  const { repo } = deps;

  async function get(id: string): Promise<AdminApiKeyWithOwner> {
    const key = await repo.findById(id);
    if (!key) throw new ApiError('not_found', `no admin API key with id ${id}`);
    return key;
  }

  return {
    page: (request: PageRequest<AdminApiKeySort>) => repo.page(request),

    async create(ownerId: string, name: string): Promise<{ key: string; record: AdminApiKeyWithOwner }> {
      const secret = newAdminApiKey();
      const id = await repo.insert({ key_hash: secret.hash, prefix: secret.prefix, name, owner_id: ownerId });
      return { key: secret.key, record: await get(id) };
    },

    /** Idempotent: revoking a revoked key answers it unchanged (its first revoked_at stays). */
    async revoke(id: string): Promise<AdminApiKeyWithOwner> {
      await get(id);
      await repo.revoke(id);
      return get(id);
    },

    /** The owner as an admin principal, or undefined when the key is unknown, revoked or its owner is deactivated. */
    async verify(key: string, now = Date.now()): Promise<SessionUser | undefined> {
      const row = await repo.findByHash(hashSecret(key));
      if (!row || row.status !== 'active' || row.owner_status !== 'active') return undefined;
      if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) await repo.touch(row.id, now, LAST_USED_RESOLUTION_MS);
      // The role is passed through, so a demoted owner's key gets the same 403 as their session.
      return { userId: row.owner_id, email: row.owner_email, role: row.owner_role, expiresAt: null };
    },
  };
}

export type AdminApiKeysService = ReturnType<typeof createAdminApiKeysService>;
