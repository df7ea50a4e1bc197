/**
 * The device grant, refresh rotation and revocation against real storage (SQLite and
 * PostgreSQL), seen through two grant caches: this process's (told at once) and another
 * replica's (which learns by polling). Time is passed in, so expiry is exact.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { displayUserCode, looksLikeAccessToken, newUserCode, normalizeUserCode } from '../../../src/identity/oauth/codes.js';
import { createDeviceCodesRepo } from '../../../src/identity/oauth/device-codes.repo.js';
import { GrantCache } from '../../../src/identity/oauth/grant-cache.js';
import { createGrantsRepo } from '../../../src/identity/oauth/grants.repo.js';
import { createOAuthService, OAuthError, type OAuthService } from '../../../src/identity/oauth/oauth.service.js';
import { UserDirectory } from '../../../src/identity/user-directory.js';
import { createUsersRepo, type User } from '../../../src/identity/users.repo.js';
import type { Store } from '../../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

describe('user codes', () => {
  test('8 letters from the base-20 alphabet, shown as XXXX-XXXX, read back whatever the case or dashes', () => {
    const code = newUserCode();
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    expect(displayUserCode('BCDFGHJK')).toBe('BCDF-GHJK');
    expect(normalizeUserCode('bcdf-ghjk')).toBe('BCDFGHJK');
    expect(normalizeUserCode(' BCDF GHJK ')).toBe('BCDFGHJK');
    expect(normalizeUserCode('BCDF-GHJA')).toBeUndefined(); // a vowel is never in a code
    expect(normalizeUserCode('BCDF-GHJ')).toBeUndefined();
    expect(normalizeUserCode(undefined)).toBeUndefined();
  });
});

async function rejection(promise: Promise<unknown>): Promise<{ error: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OAuthError) return { error: error.error, status: error.status };
    throw error;
  }
  throw new Error('expected an OAuth error');
}

describe.each(['sqlite', 'postgres'] as const)('OAuth service and grant caches (%s)', (name) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let oauth: OAuthService;
  let directory: UserDirectory;
  let local: GrantCache;
  let user: User;
  const T0 = Date.now();

  beforeAll(async () => {
    database = await createTestDatabase(name);
    if (!database) return;
    store = await database.open();
    const users = createUsersRepo(store.db);
    user = await users.insert({ email: 'dev@example.com', role: 'member' });
    directory = new UserDirectory(users);
    await directory.refresh();
    const grants = createGrantsRepo(store.db);
    local = new GrantCache(grants, directory);
    oauth = createOAuthService({
      deviceCodes: createDeviceCodesRepo(store.db),
      grants,
      users,
      onGrant: (grant) => local.apply(grant),
      accessTtlMinutes: 60,
      refreshTtlDays: 30,
      deviceCodeTtlSeconds: 600,
    });
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const otherReplica = async () => {
    const cache = new GrantCache(createGrantsRepo(store.db), directory);
    await cache.refresh();
    return cache;
  };

  /** Device authorization, approval and the one successful poll. */
  async function signIn(now = T0) {
    const device = await oauth.authorizeDevice('test', now);
    const found = await oauth.lookUpUserCode(device.userCode, now);
    if (found.state !== 'pending') throw new Error(found.state);
    expect(await oauth.decide(found.code, user.id, true, now)).toBe(true);
    return oauth.exchangeDeviceCode(device.deviceCode, now);
  }

  test('polling: pending, too fast, then tokens once; the code is single use', async (ctx) => {
    if (!database) return ctx.skip();
    // Earlier than the other tests' writes, so the replicas' polling watermarks stay realistic.
    const start = T0 - 60_000;
    const device = await oauth.authorizeDevice('test', start);
    expect(await rejection(oauth.exchangeDeviceCode(device.deviceCode, start))).toEqual({ error: 'authorization_pending', status: 400 });
    expect(await rejection(oauth.exchangeDeviceCode(device.deviceCode, start + 1_000))).toEqual({ error: 'slow_down', status: 400 });
    const found = await oauth.lookUpUserCode(device.userCode, start);
    if (found.state !== 'pending') throw new Error(found.state);
    await oauth.decide(found.code, user.id, true, start);
    expect(await oauth.lookUpUserCode(device.userCode, start)).toEqual({ state: 'used' });

    const tokens = await oauth.exchangeDeviceCode(device.deviceCode, start + 7_000);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, email: 'dev@example.com' });
    expect(looksLikeAccessToken(tokens.access_token)).toBe(true);
    expect(await rejection(oauth.exchangeDeviceCode(device.deviceCode, start + 20_000))).toEqual({ error: 'invalid_grant', status: 400 });
    expect(await rejection(oauth.exchangeDeviceCode('not-a-device-code', T0))).toEqual({ error: 'invalid_grant', status: 400 });
  });

  test('expired and denied codes', async (ctx) => {
    if (!database) return ctx.skip();
    const expired = await oauth.authorizeDevice('test', T0);
    expect(await oauth.lookUpUserCode(expired.userCode, T0 + 601_000)).toEqual({ state: 'expired' });
    expect(await rejection(oauth.exchangeDeviceCode(expired.deviceCode, T0 + 601_000))).toEqual({ error: 'expired_token', status: 400 });

    const denied = await oauth.authorizeDevice('test', T0);
    const found = await oauth.lookUpUserCode(denied.userCode, T0);
    if (found.state !== 'pending') throw new Error(found.state);
    await oauth.decide(found.code, user.id, false, T0);
    expect(await rejection(oauth.exchangeDeviceCode(denied.deviceCode, T0))).toEqual({ error: 'access_denied', status: 400 });
  });

  test('the access token resolves from memory here and on another replica; it expires by time', async (ctx) => {
    if (!database) return ctx.skip();
    const tokens = await signIn();
    const principal = { keyId: null, keyPrefix: null, userId: user.id, userEmail: 'dev@example.com', teamId: null, credential: 'oauth' };
    expect(local.resolve(tokens.access_token, T0)).toEqual(principal);
    expect((await otherReplica()).resolve(tokens.access_token, T0)).toEqual(principal);
    expect(local.resolve(tokens.access_token, T0 + 3_600_000)).toEqual({ refused: 'expired' });
    expect(local.resolve('ccag-at-' + 'x'.repeat(43), T0)).toEqual({ refused: 'invalid' });
  });

  test('concurrent refreshes with one token make exactly one new pair', async (ctx) => {
    if (!database) return ctx.skip();
    const first = await signIn();
    const results = await Promise.allSettled([oauth.refresh(first.refresh_token, T0 + 1), oauth.refresh(first.refresh_token, T0 + 1)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected')!.reason as OAuthError;
    expect({ error: lost.error, status: lost.status }).toEqual({ error: 'invalid_grant', status: 401 });
  });

  test('replaying a rotated-away refresh token ends the grant, here and on another replica', async (ctx) => {
    if (!database) return ctx.skip();
    const first = await signIn();
    const replica = await otherReplica();
    const second = await oauth.refresh(first.refresh_token, T0 + 1);
    expect(await rejection(oauth.refresh(first.refresh_token, T0 + 2))).toEqual({ error: 'invalid_grant', status: 401 });
    expect(local.resolve(first.access_token, T0 + 3)).toEqual({ refused: 'revoked' });
    expect(local.resolve(second.access_token, T0 + 3)).toEqual({ refused: 'revoked' });
    await replica.refresh();
    expect(replica.resolve(second.access_token, T0 + 3)).toEqual({ refused: 'revoked' });
    expect(await rejection(oauth.refresh(second.refresh_token, T0 + 4))).toEqual({ error: 'invalid_grant', status: 401 });
  });

  test('a plain refresh keeps the grant; revocation by either token ends it', async (ctx) => {
    if (!database) return ctx.skip();
    const first = await signIn();
    const second = await oauth.refresh(first.refresh_token, T0 + 10);
    expect(local.resolve(first.access_token, T0 + 11)).toEqual({ refused: 'revoked' });
    expect(local.resolve(second.access_token, T0 + 11)).toMatchObject({ userId: user.id });
    const replica = await otherReplica();
    expect(replica.resolve(second.access_token, T0 + 11)).toMatchObject({ userId: user.id });

    await oauth.revoke(second.access_token, undefined, T0 + 12);
    expect(local.resolve(second.access_token, T0 + 13)).toEqual({ refused: 'revoked' });
    await replica.refresh();
    expect(replica.resolve(second.access_token, T0 + 13)).toEqual({ refused: 'revoked' });
    expect(await rejection(oauth.refresh(second.refresh_token, T0 + 14))).toEqual({ error: 'invalid_grant', status: 401 });
    await oauth.revoke('ccag-rt-unknown', 'refresh_token'); // not an error (RFC 7009)
  });

  test('a deactivated owner: tokens refused as deactivated, refresh 401, not an admin bearer', async (ctx) => {
    if (!database) return ctx.skip();
    const tokens = await signIn();
    expect(await oauth.verifyAccessToken(tokens.access_token, T0)).toMatchObject({ userId: user.id, role: 'member' });
    await store.db.updateTable('users').set({ status: 'deactivated', updated_at: Date.now() + 1 }).where('id', '=', user.id).execute();
    await directory.refresh();
    expect(local.resolve(tokens.access_token, T0)).toEqual({ refused: 'deactivated' });
    expect(await rejection(oauth.refresh(tokens.refresh_token, T0))).toEqual({ error: 'invalid_grant', status: 401 });
    expect(await oauth.verifyAccessToken(tokens.access_token, T0)).toBeUndefined();
  });
});
