/**
 * The secrets of the device flow. Device codes, access and refresh tokens carry 256 random bits
 * and are stored only as SHA-256 hashes (see ../tokens.ts). User codes are what a person types:
 * 8 characters from a 20-letter alphabet without vowels (no words) or look-alikes, shown as
 * XXXX-XXXX and read back whatever the case or dashes.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { hashSecret } from '../tokens.js';

export const ACCESS_TOKEN_PREFIX = 'ccag-at-';
export const REFRESH_TOKEN_PREFIX = 'ccag-rt-';

const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;

export interface Secret {
  readonly value: string;
  readonly hash: string;
}

function secret(prefix: string): Secret {
  const value = prefix + randomBytes(32).toString('base64url');
  return { value, hash: hashSecret(value) };
}

export const newDeviceCode = (): Secret => secret('');
export const newAccessToken = (): Secret => secret(ACCESS_TOKEN_PREFIX);
export const newRefreshToken = (): Secret => secret(REFRESH_TOKEN_PREFIX);

/** `ccag-at-` + 43 base64url characters (32 bytes). */
export function looksLikeAccessToken(value: string): boolean {
  return value.startsWith(ACCESS_TOKEN_PREFIX) && value.length === ACCESS_TOKEN_PREFIX.length + 43;
}

/** A fresh user code in its stored form: 8 letters, no dash. */
export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** What someone typed, in stored form, or undefined when it cannot be a user code. */
export function normalizeUserCode(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== USER_CODE_LENGTH || [...code].some((c) => !USER_CODE_ALPHABET.includes(c))) return undefined;
  return code;
}

/** `BCDFGHJK` → `BCDF-GHJK`. */
export function displayUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
