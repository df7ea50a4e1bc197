/**
 * A real OpenID Connect identity provider for tests: oidc-provider 9 in this process on a random
 * loopback port (issuer `http://127.0.0.1:<port>`), with one confidential client for the gateway
 * (client_secret_post, PKCE required), accounts set per test, groups in the ID token, and the
 * built-in development login and consent pages, which `Browser` fills in over plain HTTP.
 * `signJwt` signs tokens with the provider's current key so tests can present IdP-issued JWTs
 * with any claims; `rotateKeys` replaces that key, which changes the published JWKS.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider, { type Account } from 'oidc-provider';

export const IDP_CLIENT_ID = 'ccag-gateway';
export const IDP_CLIENT_SECRET = 'test-client-secret-0123456789abcdef';

export interface SignOptions {
  /** Defaults to the gateway's client id (the audience CCAG expects unless one is configured). */
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an already expired token. Default 300. */
  expiresIn?: number;
}

export interface TestIdp {
  readonly issuer: string;
  setAccount(id: string, claims: Record<string, unknown>): void;
  /** The gateway's callback URL is only known once it listens. */
  setRedirectUris(uris: string[]): Promise<void>;
  signJwt(claims: JWTPayload, options?: SignOptions): Promise<string>;
  rotateKeys(): Promise<void>;
  close(): Promise<void>;
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, alg: 'RS256', use: 'sig' };
}

export interface IdpOptions {
  /**
   * ID tokens with `sub` only, the scopes' claims (email, groups) served from userinfo alone, as
   * Okta's org server does: the gateway must ask userinfo.
   */
  thinIdTokens?: boolean;
}

export async function startOidcIdp(options: IdpOptions = {}): Promise<TestIdp> {
  const accounts = new Map<string, Record<string, unknown>>();
  let signingKey = await newSigningKey();
  let redirectUris: string[] = [];
  let handler: ReturnType<Provider['callback']> | undefined;

  const server = createServer((request, response) => handler!(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // oidc-provider's keys and clients are fixed at construction, so a change builds a new provider;
  // its default in-memory adapter is module-wide, so sessions and grants carry over.
  function build(): void {
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: IDP_CLIENT_ID,
          client_secret: IDP_CLIENT_SECRET,
          redirect_uris: redirectUris,
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      jwks: { keys: [signingKey] },
      findAccount: (_ctx: unknown, id: string): Account => ({ accountId: id, claims: () => ({ ...accounts.get(id), sub: id }) }),
      claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
      // false: the scopes' claims (email, groups) go in the ID token too, as most IdPs do for the code flow.
      conformIdTokenClaims: options.thinIdTokens === true,
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true } },
      cookies: { keys: ['ccag-test-idp-cookie-key'] },
      ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    });
    handler = provider.callback();
  }
  build();

  return {
    issuer,
    setAccount(id, claims) {
      accounts.set(id, claims);
    },
    async setRedirectUris(uris) {
      redirectUris = uris;
      build();
    },
    async signJwt(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: options.issuer ?? issuer, aud: options.audience ?? IDP_CLIENT_ID, iat: now, exp: now + (options.expiresIn ?? 300), ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid!, typ: 'JWT' })
        .sign(await importJWK(signingKey, 'RS256'));
    },
    async rotateKeys() {
      signingKey = await newSigningKey();
      build();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
