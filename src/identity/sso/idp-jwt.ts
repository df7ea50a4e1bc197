/**
 * IdP-issued JWTs as data-plane bearer tokens (an access or ID token from one of the configured
 * identity providers, e.g. minted by `apiKeyHelper`). The unverified `iss` only picks which
 * provider's keys to check against; the signature, issuer, audience and expiry are then verified
 * with jose against the provider's JWKS. A verified token is remembered (by SHA-256) for at most
 * five minutes, but its user's status is re-read from the in-memory directory on every request,
 * so a deactivation is refused on the next request after the directory learns of it.
 */
import { createRemoteJWKSet, customFetch, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthFailureReason, CredentialResolver, Resolution } from '../authenticator.js';
import { hashSecret } from '../tokens.js';
import type { UserDirectory } from '../user-directory.js';
import type { DiscoveryCache } from './discovery.js';
import type { IdentityProvider, IdpsService } from './idps.service.js';
import type { SignIn } from './sign-in.js';

const COMPACT_JWS = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 16_384;
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX_ENTRIES = 10_000;
/** IdPs' clocks drift; a minute either way is what most gateways allow. */
const CLOCK_TOLERANCE_S = 60;
/** After a key rotation the first token with the new key id refetches the JWKS within a second. */
const JWKS_COOLDOWN_MS = 1_000;

interface VerifiedToken {
  readonly userId: string;
  readonly idpId: string;
  readonly idpUpdatedAt: number;
  readonly issuer: string;
  readonly until: number;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

export interface IdpJwtDeps {
  readonly idps: Pick<IdpsService, 'byIssuer'>;
  readonly discovery: Pick<DiscoveryCache, 'configurationFor' | 'fetch'>;
  readonly directory: Pick<UserDirectory, 'byId'>;
  readonly signIn: SignIn;
}

function reasonFor(error: unknown): AuthFailureReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iss') return 'wrong_issuer';
  }
  return 'invalid';
}

export class IdpJwtResolver implements CredentialResolver {
  private readonly verified = new Map<string, VerifiedToken>();
  private readonly keySets = new Map<string, { updatedAt: number; keys: Promise<{ keys: KeySet; issuer: string }> }>();

  constructor(private readonly deps: IdpJwtDeps) {}

  accepts(token: string): boolean {
    return token.length <= MAX_TOKEN_LENGTH && COMPACT_JWS.test(token);
  }

  async resolve(token: string, now: number): Promise<Resolution> {
    const hash = hashSecret(token);
    let entry = this.verified.get(hash);
    const idp = entry && this.deps.idps.byIssuer(entry.issuer);
    // A cached verdict stands only while it is fresh and the provider is unchanged (not disabled, not re-keyed).
    if (!entry || entry.until <= now || idp?.id !== entry.idpId || idp.updatedAt !== entry.idpUpdatedAt) {
      this.verified.delete(hash);
      const outcome = await this.verify(token, now);
      if ('refused' in outcome) return outcome;
      entry = outcome;
      this.remember(hash, entry);
    }
    const user = this.deps.directory.byId(entry.userId);
    if (!user) return { refused: 'invalid' };
    if (user.status !== 'active') return { refused: 'deactivated' };
    return { keyId: null, keyPrefix: null, userId: user.id, userEmail: user.email, teamId: user.teamId, credential: 'idp_jwt' };
  }

  private async verify(token: string, now: number): Promise<VerifiedToken | { refused: AuthFailureReason }> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return { refused: 'invalid' };
    }
    const idp = issuer === undefined ? undefined : this.deps.idps.byIssuer(issuer);
    if (!idp || issuer === undefined) return { refused: 'wrong_issuer' };
    let payload: JWTPayload;
    try {
      const { keys, issuer: expectedIssuer } = await this.keySetFor(idp);
      ({ payload } = await jwtVerify(token, keys, {
        issuer: expectedIssuer,
        audience: idp.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
        currentDate: new Date(now),
      }));
    } catch (error) {
      return { refused: reasonFor(error) };
    }
    const signedIn = await this.deps.signIn(idp, payload);
    if ('refused' in signedIn) return signedIn;
    return {
      userId: signedIn.user.id,
      idpId: idp.id,
      idpUpdatedAt: idp.updatedAt,
      issuer,
      until: Math.min(payload.exp! * 1000, now + CACHE_TTL_MS),
    };
  }

  /** One remote key set per provider (jose caches and refetches it), rebuilt when the provider row changes. */
  private keySetFor(idp: IdentityProvider): Promise<{ keys: KeySet; issuer: string }> {
    const cached = this.keySets.get(idp.id);
    if (cached && cached.updatedAt === idp.updatedAt) return cached.keys;
    const keys = this.deps.discovery.configurationFor(idp).then((configuration) => {
      const metadata = configuration.serverMetadata();
      if (!metadata.jwks_uri) throw new Error(`${idp.issuer} publishes no jwks_uri`);
      // Through the SSRF guard like discovery: the JWKS URL is the IdP's to name, not the admin's.
      const keys = createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: JWKS_COOLDOWN_MS, [customFetch]: this.deps.discovery.fetch });
      return { keys, issuer: metadata.issuer };
    });
    // A failed discovery is retried by the next token rather than remembered.
    keys.catch(() => this.keySets.delete(idp.id));
    this.keySets.set(idp.id, { updatedAt: idp.updatedAt, keys });
    return keys;
  }

  /** Bounded: when full, the oldest verdict goes (Map keeps insertion order). */
  private remember(hash: string, entry: VerifiedToken): void {
    if (this.verified.size >= CACHE_MAX_ENTRIES) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(hash, entry);
  }
}
