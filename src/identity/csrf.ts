/**
 * CSRF protection for the browser's cookie session (the portal). A state-changing request that
 * authenticates with the `ccag_session` cookie must also carry `x-ccag-csrf`, a token only a page
 * of this origin can learn (from `GET /auth/session`, which other origins cannot read). The token
 * is an HMAC of the session token under a key derived from the master key: every replica can
 * check it without storing anything, it changes with every session, and it reveals nothing about
 * the session token itself.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from './tokens.js';

export const CSRF_HEADER = 'x-ccag-csrf';

/** Methods a browser may send cross-site without side effects; everything else needs the token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const needsCsrfToken = (method: string) => !SAFE_METHODS.has(method.toUpperCase());

export interface Csrf {
  tokenFor(sessionToken: string): string;
  /** Whether the presented header is the session's token (compared in constant time). */
  verify(sessionToken: string, presented: unknown): boolean;
}

export function createCsrf(masterKey: Buffer): Csrf {
  // A key of its own, so a CSRF token can never double as anything else made with the master key.
  const key = createHmac('sha256', masterKey).update('ccag csrf v1').digest();
  const tokenFor = (sessionToken: string) => createHmac('sha256', key).update(sessionToken).digest('base64url');
  return {
    tokenFor,
    verify: (sessionToken, presented) => sameSecret(presented, tokenFor(sessionToken)),
  };
}
