/**
 * Per-IdP SCIM bearer tokens: `ccag-scim-` + 32 random bytes, shown once, stored as SHA-256 and
 * looked up by hash. A token works only while its IdP has SCIM enabled. SCIM is not the hot path,
 * so each request reads the token and the IdP from the database; revocation applies at once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError } from '../../errors.js';
import type { IdentityProvider, IdpsService } from '../sso/idps.service.js';
import { hashSecret } from '../tokens.js';
import type { ScimTokenRow, ScimTokensRepo } from './scim-tokens.repo.js';

export const SCIM_TOKEN_PREFIX = 'ccag-scim-';
const LAST_USED_RESOLUTION_MS = 60_000;

export interface CreatedScimToken {
  readonly row: ScimTokenRow;
  /** The full token: returned once, never stored. */
  readonly token: string;
}

export function createScimTokensService(deps: { repo: ScimTokensRepo; idps: Pick<IdpsService, 'get'> }) {
  const { repo, idps } = deps;
  return {
    async create(idpIdOrName: string): Promise<CreatedScimToken> {
      const idp = await idps.get(idpIdOrName);
      const token = SCIM_TOKEN_PREFIX + randomBytes(32).toString('hex');
      const row: ScimTokenRow = {
        id: randomUUID(),
        idp_id: idp.id,
        token_hash: hashSecret(token),
        prefix: token.slice(0, SCIM_TOKEN_PREFIX.length + 6),
        created_at: Date.now(),
        last_used_at: null,
        revoked_at: null,
      };
      await repo.insert(row);
      return { row, token };
    },

    async list(idpIdOrName: string): Promise<ScimTokenRow[]> {
      return repo.listForIdp((await idps.get(idpIdOrName)).id);
    },

    async revoke(idpIdOrName: string, tokenId: string): Promise<void> {
      const idp = await idps.get(idpIdOrName);
      if (!(await repo.revoke(idp.id, tokenId, Date.now()))) throw new ApiError('not_found', `no live SCIM token ${tokenId} for ${idp.name}`);
    },

    /** The IdP a bearer token speaks for, or undefined (unknown, revoked, or SCIM off for its IdP). */
    async authenticate(token: string): Promise<IdentityProvider | undefined> {
      if (!token.startsWith(SCIM_TOKEN_PREFIX) || token.length > 200) return undefined;
      const row = await repo.findLiveByHash(hashSecret(token));
      if (!row) return undefined;
      const idp = await idps.get(row.idp_id);
      if (!idp.scimEnabled) return undefined;
      const now = Date.now();
      if (row.last_used_at === null || row.last_used_at < now - LAST_USED_RESOLUTION_MS) await repo.touch(row.id, now, LAST_USED_RESOLUTION_MS);
      return idp;
    },
  };
}

export type ScimTokensService = ReturnType<typeof createScimTokensService>;
