/**
 * The IdP JWT resolver's reasons and its cache, against the real test identity provider (JWKS
 * over HTTP) and the real sign-in rules. The storage behind them is exercised on both databases
 * by sign-in.test.ts and test/e2e/idp-jwt.test.ts; SQLite is enough here.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DiscoveryCache } from '../../../src/identity/sso/discovery.js';
import { IdpJwtResolver } from '../../../src/identity/sso/idp-jwt.js';
import type { IdentityProvider } from '../../../src/identity/sso/idps.service.js';
import type { Store } from '../../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { IDP_CLIENT_ID, startOidcIdp, type TestIdp } from '../../support/oidc-idp.js';
import { identityProvider, identityServices } from './identity-services.js';
import { loopbackOutbound } from '../../support/outbound.js';

describe('IdP JWT resolver', () => {
  let database: TestDatabase;
  let store: Store;
  let testIdp: TestIdp;
  let services: Awaited<ReturnType<typeof identityServices>>;
  let current: IdentityProvider;
  let resolver: IdpJwtResolver;

  beforeAll(async () => {
    database = (await createTestDatabase('sqlite'))!;
    store = await database.open();
    services = await identityServices(store);
    testIdp = await startOidcIdp();
    current = identityProvider({ issuer: testIdp.issuer, clientId: IDP_CLIENT_ID, audience: IDP_CLIENT_ID });
    resolver = new IdpJwtResolver({
      idps: { byIssuer: (issuer) => (issuer.replace(/\/+$/, '') === current.issuer ? current : undefined) },
      discovery: new DiscoveryCache(loopbackOutbound),
      directory: services.directory,
      signIn: services.signIn,
    });
  });

  afterAll(async () => {
    await testIdp?.close();
    await store?.close();
    await database?.drop();
  });

  const resolve = (token: string) => resolver.resolve(token, Date.now());

  test('accepts only compact JWS shapes', async () => {
    expect(resolver.accepts(await testIdp.signJwt({ email: 'shape@example.com' }))).toBe(true);
    expect(resolver.accepts('sk-ccag-0123456789abcdef0123456789abcdef')).toBe(false);
    expect(resolver.accepts('eyJhbGciOi.only-two')).toBe(false);
    expect(resolver.accepts(`eyJ${'a'.repeat(20_000)}.b.c`)).toBe(false);
  });

  test('a valid token resolves to its (provisioned) user', async () => {
    const principal = await resolve(await testIdp.signJwt({ email: 'Valid@Example.com' }));
    expect(principal).toMatchObject({ userEmail: 'valid@example.com', keyId: null, credential: 'idp_jwt' });
  });

  test('each failure has its reason', async () => {
    expect(await resolve(await testIdp.signJwt({ email: 'r@example.com' }, { expiresIn: -120 }))).toEqual({ refused: 'expired' });
    // Inside the minute of clock tolerance a just-expired token still works.
    expect(await resolve(await testIdp.signJwt({ email: 'r@example.com' }, { expiresIn: -30 }))).toMatchObject({ userEmail: 'r@example.com' });
    expect(await resolve(await testIdp.signJwt({ email: 'r@example.com' }, { audience: 'other' }))).toEqual({ refused: 'wrong_audience' });
    expect(await resolve(await testIdp.signJwt({ email: 'r@example.com' }, { issuer: 'https://elsewhere.example' }))).toEqual({ refused: 'wrong_issuer' });
    // Same provider once normalised, but not the exact issuer it publishes.
    expect(await resolve(await testIdp.signJwt({ email: 'r@example.com' }, { issuer: `${testIdp.issuer}/` }))).toEqual({ refused: 'wrong_issuer' });
    const token = await testIdp.signJwt({ email: 'r@example.com' });
    expect(await resolve(token.replace(/\.[^.]+$/, '.AAAA'))).toEqual({ refused: 'invalid' });
    expect(await resolve(await testIdp.signJwt({ email: 'r@example.com', exp: undefined }))).toEqual({ refused: 'invalid' });
    expect(await resolve(await testIdp.signJwt({ sub: 'opaque' }))).toEqual({ refused: 'no_identity' });
  });

  test('a cached token is refused once its user is deactivated, and re-checked when the provider changes', async () => {
    const token = await testIdp.signJwt({ email: 'cached@example.com' });
    const principal = await resolve(token);
    expect(principal).toMatchObject({ userEmail: 'cached@example.com' });
    const userId = 'userId' in principal ? principal.userId : '';

    await services.users.deactivate(userId);
    expect(await resolve(token)).toEqual({ refused: 'deactivated' });
    await services.users.reactivate(userId);
    expect(await resolve(token)).toMatchObject({ userId });

    current = { ...current, audience: 'api://changed', updatedAt: current.updatedAt + 1 };
    expect(await resolve(token)).toEqual({ refused: 'wrong_audience' });
  });
});
