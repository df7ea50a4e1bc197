import { describe, expect, test } from 'vitest';
import { createAuthenticator, type AuthFailureReason, type Principal } from '../../src/identity/authenticator.js';
import { KeyCache } from '../../src/identity/key-cache.js';
import type { KeyWithOwner, KeysRepo } from '../../src/identity/keys.repo.js';
import { LoginThrottle } from '../../src/identity/login-throttle.js';
import { generatePassword, hashPassword, verifyPassword } from '../../src/identity/passwords.js';
import { hashSecret, newVirtualKey } from '../../src/identity/tokens.js';

function keyRow(fields: Partial<KeyWithOwner> & { key_hash: string }): KeyWithOwner {
  return {
    id: 'key-1',
    prefix: 'sk-ccag-abcdef',
    name: null,
    user_id: 'user-1',
    team_id: null,
    status: 'active',
    expires_at: null,
    created_at: 1,
    updated_at: 1,
    revoked_at: null,
    user_email: 'dev@example.com',
    user_status: 'active',
    user_updated_at: 1,
    team_name: null,
    ...fields,
  };
}

describe('virtual keys', () => {
  test('sk-ccag- plus 64 hex characters, a display prefix, and a SHA-256 hash', () => {
    const { key, prefix, hash } = newVirtualKey();
    expect(key).toMatch(/^sk-ccag-[0-9a-f]{64}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix).toHaveLength(14);
    expect(hash).toBe(hashSecret(key));
    expect(newVirtualKey().key).not.toBe(key);
  });
});

describe('authenticator', () => {
  const { key } = newVirtualKey();
  const failures: AuthFailureReason[] = [];
  const cache = new KeyCache({} as KeysRepo);
  const auth = createAuthenticator([cache], (reason) => failures.push(reason));
  const sync = (headers: Record<string, string>, now?: number) => auth.authenticate(headers, now) as Principal;

  test('finds the key from x-api-key or a bearer token', () => {
    cache.apply(keyRow({ key_hash: hashSecret(key) }));
    expect(sync({ 'x-api-key': key }).userEmail).toBe('dev@example.com');
    expect(sync({ authorization: `Bearer ${key}` }).keyId).toBe('key-1');
    expect(sync({ 'x-api-key': 'not-ours', authorization: `Bearer ${key}` }).keyId).toBe('key-1');
  });

  test('expired, revoked and deactivated owners are refused with the same message', () => {
    cache.apply(keyRow({ key_hash: hashSecret(key), expires_at: 1000 }));
    expect(() => auth.authenticate({ 'x-api-key': key }, 999)).not.toThrow();
    expect(() => auth.authenticate({ 'x-api-key': key }, 1000)).toThrow('Invalid authentication credentials.');
    cache.apply(keyRow({ key_hash: hashSecret(key), status: 'revoked' }));
    expect(() => auth.authenticate({ 'x-api-key': key })).toThrow('Invalid authentication credentials.');
    cache.apply(keyRow({ key_hash: hashSecret(key) }));
    cache.apply(keyRow({ key_hash: hashSecret(key), user_status: 'deactivated' }));
    expect(() => auth.authenticate({ 'x-api-key': key })).toThrow('Invalid authentication credentials.');
    expect(() => auth.authenticate({})).toThrow(/Authentication required/);
    expect(failures).toEqual(['expired', 'revoked', 'deactivated', 'missing']);
  });
});

describe('passwords', () => {
  test('scrypt hashes verify only the right password', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  test('generated passwords are 24 characters from an unambiguous alphabet', () => {
    const password = generatePassword();
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{24}$/);
  });
});

describe('login throttle', () => {
  test('five failures lock the account, twenty lock the address, the window moves on', () => {
    const throttle = new LoginThrottle({ windowMs: 60_000, maxPerAccount: 5, maxPerAddress: 20 });
    for (let i = 0; i < 5; i++) throttle.recordFailure('admin', '10.0.0.1', 1000 + i);
    expect(throttle.retryAfter('admin', '10.0.0.2', 2000)).toBe(59);
    expect(throttle.retryAfter('other', '10.0.0.1', 2000)).toBe(0);
    expect(throttle.retryAfter('admin', '10.0.0.1', 61_001)).toBe(0);
    for (let i = 0; i < 20; i++) throttle.recordFailure(`user${i}`, '10.0.0.9', 5000);
    expect(throttle.retryAfter('fresh', '10.0.0.9', 5000)).toBe(60);
  });
});
