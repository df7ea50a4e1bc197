/**
 * Who is calling the data plane. Credentials come from `x-api-key` or `Authorization: Bearer`
 * (Claude Code sends one or the other; SDKs may send both). Every rejection is a 401 that says a
 * credential was refused, never which part of it was wrong, and tells clients not to retry.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../errors.js';
import type { KeyCache } from './key-cache.js';
import { hashSecret, looksLikeVirtualKey } from './tokens.js';

export interface Principal {
  readonly keyId: string;
  readonly keyPrefix: string;
  readonly userId: string;
  readonly userEmail: string;
  readonly teamId: string | null;
}

export type AuthFailureReason = 'missing' | 'invalid' | 'expired';

const NO_RETRY = { 'x-should-retry': 'false' };

function refuse(reason: AuthFailureReason): ApiError {
  const message =
    reason === 'missing'
      ? 'Authentication required: send a CCAG key in x-api-key or Authorization: Bearer.'
      : 'Invalid authentication credentials.';
  return new ApiError(reason === 'missing' ? 'missing_credentials' : 'invalid_credentials', message, { headers: NO_RETRY });
}

function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (!value || value.length < 8 || value.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return value.slice(7).trim();
}

export interface Authenticator {
  authenticate(headers: IncomingHttpHeaders, now?: number): Principal;
}

export function createAuthenticator(keys: KeyCache, onFailure: (reason: AuthFailureReason) => void = () => {}): Authenticator {
  return {
    authenticate(headers, now = Date.now()) {
      const apiKey = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'].trim() : undefined;
      const candidates = [apiKey, bearerOf(headers)].filter((value): value is string => Boolean(value));
      if (candidates.length === 0) {
        onFailure('missing');
        throw refuse('missing');
      }
      let expired = false;
      for (const candidate of candidates) {
        if (!looksLikeVirtualKey(candidate)) continue;
        const key = keys.get(hashSecret(candidate));
        if (!key) continue;
        if (key.expiresAt !== null && key.expiresAt <= now) {
          expired = true;
          continue;
        }
        return { keyId: key.id, keyPrefix: key.prefix, userId: key.userId, userEmail: key.userEmail, teamId: key.teamId };
      }
      const reason = expired ? 'expired' : 'invalid';
      onFailure(reason);
      throw refuse(reason);
    },
  };
}
