/**
 * The OIDC authorization code flow with PKCE, through openid-client: the authorization URL to
 * send the browser to, and the claims once it comes back. What must survive the round trip
 * (verifier, state, nonce, where to return) travels in a cookie sealed with the master key, so
 * any replica can finish a sign-in another one started and nothing is stored server-side.
 */
import * as client from 'openid-client';
import type { SecretBox } from '../../config/secret-box.js';
import type { DiscoveryCache } from './discovery.js';
import type { IdentityProvider } from './idps.service.js';
import { identityOf, type Claims } from './sign-in.js';

/** Long enough to type a password and answer an MFA prompt; short enough to limit replay. */
export const PENDING_LOGIN_TTL_MS = 10 * 60_000;

export interface PendingLogin {
  readonly idp: string;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly redirectUri: string;
  readonly returnTo: string;
  readonly expiresAt: number;
}

export function sealPending(box: SecretBox, pending: PendingLogin): string {
  return box.seal(JSON.stringify(pending));
}

/** The pending login in the cookie, or undefined when it is missing, forged or expired. */
export function openPending(box: SecretBox, sealed: string | undefined, now = Date.now()): PendingLogin | undefined {
  if (!sealed) return undefined;
  try {
    const pending = JSON.parse(box.open(sealed)) as PendingLogin;
    return pending.expiresAt > now ? pending : undefined;
  } catch {
    return undefined;
  }
}

export async function startLogin(discovery: DiscoveryCache, idp: IdentityProvider, redirectUri: string, returnTo: string): Promise<{ url: URL; pending: PendingLogin }> {
  const configuration = await discovery.configurationFor(idp);
  const verifier = client.randomPKCECodeVerifier();
  const pending: PendingLogin = {
    idp: idp.name,
    verifier,
    state: client.randomState(),
    nonce: client.randomNonce(),
    redirectUri,
    returnTo,
    expiresAt: Date.now() + PENDING_LOGIN_TTL_MS,
  };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: idp.scopes.join(' '),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

/**
 * Redeems the code (openid-client checks state, nonce, PKCE and the ID token) and returns the
 * ID token's claims. IdPs that keep ID tokens thin (Okta's org server leaves out email and
 * groups) still serve those claims from userinfo, so that is asked when the ID token lacks the
 * groups claim or names no identity.
 */
export async function finishLogin(discovery: DiscoveryCache, idp: IdentityProvider, pending: PendingLogin, query: string): Promise<Claims> {
  const configuration = await discovery.configurationFor(idp);
  const callbackUrl = new URL(pending.redirectUri);
  callbackUrl.search = query;
  const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims()!;
  const complete = claims[idp.groupsClaim] !== undefined && identityOf(idp, claims) !== undefined;
  if (complete || !configuration.serverMetadata().userinfo_endpoint) return claims;
  const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
  // The ID token is the signed statement of who signed in: its claims win over userinfo's.
  return { ...userinfo, ...claims };
}
