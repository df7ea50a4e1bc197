/**
 * Secrets handed to people (virtual keys, session tokens) are random, shown once and stored only
 * as SHA-256 hashes: with 256 bits of entropy a fast hash is safe, and a lookup by hash keeps
 * the comparison out of user-controlled timing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const VIRTUAL_KEY_PREFIX = 'sk-ccag-';
export const SESSION_TOKEN_PREFIX = 'ccag-sess-';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Whether a presented secret (a form field, a header) equals the expected one, in constant time
 * whatever either length: both are hashed to equal-length digests before the comparison.
 */
export function sameSecret(presented: unknown, expected: string | undefined): boolean {
  if (typeof presented !== 'string' || !expected) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** `sk-ccag-` + 64 hex characters (32 random bytes). */
export function newVirtualKey(): { key: string; prefix: string; hash: string } {
  const key = VIRTUAL_KEY_PREFIX + randomBytes(32).toString('hex');
  return { key, prefix: key.slice(0, VIRTUAL_KEY_PREFIX.length + 6), hash: hashSecret(key) };
}

export function newSessionToken(): { token: string; hash: string } {
  const token = SESSION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashSecret(token) };
}

export function looksLikeVirtualKey(value: string): boolean {
  return value.startsWith(VIRTUAL_KEY_PREFIX) && value.length >= VIRTUAL_KEY_PREFIX.length + 32 && value.length <= 200;
}
