/**
 * Who is calling the data plane. Credentials come from `x-api-key` or `Authorization: Bearer`
 * (Claude Code sends one or the other; SDKs and `apiKeyHelper` may send both). Each credential
 * kind has a resolver that recognises its own token shape (a virtual key, a gateway OAuth access
 * token, an IdP-issued JWT); virtual keys and OAuth tokens resolve from memory, synchronously.
 * Every rejection is a 401 that says a credential was refused, never which part of it was
 * wrong, tells clients not to retry, and reports its reason (for `ccag.auth_failures.total`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../errors.js';

export interface Principal {
  /** The virtual key used, or null for OAuth and IdP bearer tokens. */
  readonly keyId: string | null;
  readonly keyPrefix: string | null;
  readonly userId: string;
  readonly userEmail: string;
  readonly teamId: string | null;
  readonly credential: 'key' | 'oauth' | 'idp_jwt';
}

export type AuthFailureReason =
  | 'missing'
  | 'invalid'
  | 'expired'
  | 'revoked'
  | 'deactivated'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'not_provisioned'
  | 'domain_not_allowed'
  /** The IdP's claims name no usable identity (no email or username; see sso/sign-in.ts). */
  | 'no_identity';

/** What a resolver answers: the caller, or why the credential is refused. */
export interface Refusal {
  readonly refused: AuthFailureReason;
}
export type Resolution = Principal | Refusal;

export interface CredentialResolver {
  /** Cheap shape test (prefix or format): does this resolver own such tokens? */
  accepts(token: string): boolean;
  resolve(token: string, now: number): Resolution | Promise<Resolution>;
}

const NO_RETRY = { 'x-should-retry': 'false' };

export function refusal(reason: AuthFailureReason): ApiError {
  if (reason === 'missing') {
    return new ApiError('missing_credentials', 'Authentication required: send a CCAG key or token in x-api-key or Authorization: Bearer.', {
      headers: NO_RETRY,
    });
  }
  return new ApiError('invalid_credentials', 'Invalid authentication credentials.', { headers: NO_RETRY });
}

/** The token of an `Authorization: Bearer …` header (any case), or undefined; used by every area that takes bearers. */
export function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (!value || value.length < 8 || value.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return value.slice(7).trim() || undefined;
}

const isRefusal = (resolution: Resolution): resolution is Refusal => 'refused' in resolution;

export interface Authenticator {
  /** The caller; synchronous for in-memory credentials, a promise when a JWT must be verified. */
  authenticate(headers: IncomingHttpHeaders, now?: number): Principal | Promise<Principal>;
}

export function createAuthenticator(resolvers: readonly CredentialResolver[], onFailure: (reason: AuthFailureReason) => void = () => {}): Authenticator {
  const fail = (reason: AuthFailureReason): never => {
    onFailure(reason);
    throw refusal(reason);
  };

  /** Tries the candidates in order; the last refusal's reason is the one reported. */
  function tryCandidates(candidates: readonly string[], now: number, reason: AuthFailureReason): Principal | Promise<Principal> {
    for (let index = 0; index < candidates.length; index++) {
      const candidate = candidates[index]!;
      reason = 'invalid';
      const resolver = resolvers.find((r) => r.accepts(candidate));
      if (!resolver) continue;
      const resolution = resolver.resolve(candidate, now);
      if (resolution instanceof Promise) {
        // A second candidate (both headers sent) still gets its chance after an async refusal.
        return resolution.then((settled): Principal | Promise<Principal> =>
          isRefusal(settled) ? tryCandidates(candidates.slice(index + 1), now, settled.refused) : settled,
        );
      }
      if (!isRefusal(resolution)) return resolution;
      reason = resolution.refused;
    }
    return fail(reason);
  }

  return {
    authenticate(headers, now = Date.now()) {
      const apiKey = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'].trim() : '';
      const bearer = bearerOf(headers) ?? '';
      const candidates = apiKey && bearer && apiKey !== bearer ? [apiKey, bearer] : [apiKey || bearer].filter(Boolean);
      return tryCandidates(candidates, now, 'missing');
    },
  };
}
