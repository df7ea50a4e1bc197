/**
 * CCAG as the OAuth authorization server Claude Code's `/login` and `ccag login --sso` talk to:
 * the device authorization grant (RFC 8628) issuing an access/refresh pair, refresh with
 * rotation in place (a replayed old refresh token revokes the grant), and revocation (RFC 7009).
 * Failures are `OAuthError`s carrying the RFC 6749 error code the client acts on.
 */
import type { SessionUser } from '../sessions.service.js';
import { hashSecret } from '../tokens.js';
import type { UsersRepo } from '../users.repo.js';
import { newAccessToken, newDeviceCode, newRefreshToken, newUserCode, REFRESH_TOKEN_PREFIX } from './codes.js';
import type { DeviceCode, DeviceCodesRepo } from './device-codes.repo.js';
import type { Grant, GrantsRepo } from './grants.repo.js';

/** Seconds a client waits between polls (RFC 8628 §3.2); polling faster earns `slow_down`. */
export const POLL_INTERVAL_S = 5;

export type OAuthErrorCode = 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' | 'invalid_grant' | 'invalid_request' | 'unsupported_grant_type';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    message: string,
    /** 400 per RFC 6749; 401 on refresh, which is what makes Claude Code sign in again. */
    readonly status = 400,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}

export interface IssuedTokens {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token: string;
  readonly email: string;
}

export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly expiresIn: number;
  readonly interval: number;
}

/** What the verification page found behind a user code. */
export type CodeLookup =
  | { readonly state: 'pending'; readonly code: DeviceCode }
  | { readonly state: 'unknown' | 'expired' | 'used' };

export interface OAuthServiceDeps {
  readonly deviceCodes: DeviceCodesRepo;
  readonly grants: GrantsRepo;
  readonly users: Pick<UsersRepo, 'findById'>;
  /** Told about every grant this process writes, so its tokens work (or stop) at once. */
  readonly onGrant: (grant: Grant) => void;
  readonly accessTtlMinutes: number;
  readonly refreshTtlDays: number;
  readonly deviceCodeTtlSeconds: number;
}

export function createOAuthService(deps: OAuthServiceDeps) {
  const { deviceCodes, grants } = deps;
  const accessTtlMs = deps.accessTtlMinutes * 60_000;

  function newPair(now: number) {
    const access = newAccessToken();
    const refresh = newRefreshToken();
    const pair = {
      accessHash: access.hash,
      accessExpiresAt: now + accessTtlMs,
      refreshHash: refresh.hash,
      refreshExpiresAt: now + deps.refreshTtlDays * 86_400_000,
    };
    return { pair, tokens: (email: string): IssuedTokens => ({ access_token: access.value, token_type: 'Bearer', expires_in: accessTtlMs / 1000, refresh_token: refresh.value, email }) };
  }

  async function liveUser(userId: string) {
    const user = await deps.users.findById(userId);
    return user && user.status === 'active' && user.deleted_at === null ? user : undefined;
  }

  const ended = () => new OAuthError('invalid_grant', 'The sign-in has ended; sign in again.', 401);

  return {
    async authorizeDevice(client: string | null, now = Date.now()): Promise<DeviceAuthorization> {
      const deviceCode = newDeviceCode();
      const row = await deviceCodes.insert({
        deviceCodeHash: deviceCode.hash,
        userCode: newUserCode(),
        client,
        intervalS: POLL_INTERVAL_S,
        now,
        expiresAt: now + deps.deviceCodeTtlSeconds * 1000,
      });
      return { deviceCode: deviceCode.value, userCode: row.user_code, expiresIn: deps.deviceCodeTtlSeconds, interval: POLL_INTERVAL_S };
    },

    async lookUpUserCode(userCode: string, now = Date.now()): Promise<CodeLookup> {
      const code = await deviceCodes.findByUserCode(userCode);
      if (!code) return { state: 'unknown' };
      if (code.status !== 'pending') return { state: 'used' };
      if (code.expires_at <= now) return { state: 'expired' };
      return { state: 'pending', code };
    },

    /** The signed-in person's answer on the verification page; false when the code moved on meanwhile. */
    decide(code: DeviceCode, userId: string, approve: boolean, now = Date.now()): Promise<boolean> {
      return deviceCodes.decide(code.id, { status: approve ? 'approved' : 'denied', userId }, now);
    },

    /** One poll of the device grant (RFC 8628 §3.4–3.5). */
    async exchangeDeviceCode(deviceCode: string, now = Date.now()): Promise<IssuedTokens> {
      const code = await deviceCodes.findByHash(hashSecret(deviceCode));
      if (!code || code.status === 'consumed') throw new OAuthError('invalid_grant', 'Unknown or already used device code.');
      if (code.expires_at <= now) throw new OAuthError('expired_token', 'The device code expired; start signing in again.');
      const tooSoon = code.last_polled_at !== null && now - code.last_polled_at < code.interval_s * 1000;
      await deviceCodes.recordPoll(code.id, now);
      if (tooSoon) throw new OAuthError('slow_down', `Poll at most every ${code.interval_s} seconds.`);
      if (code.status === 'pending') throw new OAuthError('authorization_pending', 'Waiting for the user to approve the sign-in.');
      if (code.status === 'denied') throw new OAuthError('access_denied', 'The user denied the sign-in.');

      const user = code.user_id === null ? undefined : await liveUser(code.user_id);
      if (!user) throw new OAuthError('access_denied', 'The approving user can no longer sign in.');
      // Only one poll may turn the approval into tokens, even if replicas race.
      if (!(await deviceCodes.consume(code.id))) throw new OAuthError('invalid_grant', 'Unknown or already used device code.');
      const { pair, tokens } = newPair(now);
      deps.onGrant(await grants.insert({ userId: user.id, client: code.client, pair, now }));
      return tokens(user.email);
    },

    /** A fresh pair for a live refresh token; 401 `invalid_grant` when the sign-in has ended. */
    async refresh(refreshToken: string, now = Date.now()): Promise<IssuedTokens> {
      if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) throw ended();
      const hash = hashSecret(refreshToken);
      const grant = await grants.findByRefreshHash(hash);
      if (!grant) {
        // An old refresh token coming back means two parties hold this grant: end it for both.
        const replayed = await grants.findByPreviousRefreshHash(hash);
        if (replayed && replayed.revoked_at === null) {
          const revoked = await grants.revoke(replayed.id, now);
          if (revoked) deps.onGrant(revoked);
        }
        throw ended();
      }
      if (grant.revoked_at !== null || grant.refresh_expires_at <= now) throw ended();
      if (grant.user_status !== 'active' || grant.user_deleted_at !== null) throw ended();
      const { pair, tokens } = newPair(now);
      const rotated = await grants.rotate(grant.id, hash, pair, now);
      if (!rotated) throw ended();
      deps.onGrant(rotated);
      return tokens(grant.user_email);
    },

    /** RFC 7009: ends the grant behind an access or refresh token; unknown tokens are not an error. */
    async revoke(token: string, hint: string | undefined, now = Date.now()): Promise<void> {
      const hash = hashSecret(token);
      const lookups = [() => grants.findByAccessHash(hash), () => grants.findByRefreshHash(hash)];
      if (hint === 'refresh_token') lookups.reverse();
      for (const lookup of lookups) {
        const grant = await lookup();
        if (!grant) continue;
        const revoked = await grants.revoke(grant.id, now);
        if (revoked) deps.onGrant(revoked);
        return;
      }
    },

    /** An access token as an admin API bearer (a database read is fine off the data plane). */
    async verifyAccessToken(token: string, now = Date.now()): Promise<SessionUser | undefined> {
      const grant = await grants.findByAccessHash(hashSecret(token));
      if (!grant || grant.revoked_at !== null || grant.access_expires_at <= now) return undefined;
      if (grant.user_status !== 'active' || grant.user_deleted_at !== null) return undefined;
      return { userId: grant.user_id, email: grant.user_email, role: grant.user_role, expiresAt: grant.access_expires_at };
    },
  };
}

export type OAuthService = ReturnType<typeof createOAuthService>;
