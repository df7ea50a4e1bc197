/**
 * The one answer to "who is calling the admin API?": an admin bearer is a session token (from
 * login), an admin API key, or an OAuth access token (from `ccag login --sso`), told apart by
 * their fixed prefixes so each request costs one lookup. All resolve to the same principal, so
 * routes never care which was used.
 */
import { ADMIN_API_KEY_PREFIX, type AdminApiKeysService } from './admin-api-keys.service.js';
import { looksLikeAccessToken } from './oauth/codes.js';
import type { OAuthService } from './oauth/oauth.service.js';
import type { SessionsService, SessionUser } from './sessions.service.js';

export function createAdminAuthenticator(deps: {
  sessions: Pick<SessionsService, 'verify'>;
  adminKeys: Pick<AdminApiKeysService, 'verify'>;
  oauth: Pick<OAuthService, 'verifyAccessToken'>;
}) {
  return {
    resolve(bearer: string): Promise<SessionUser | undefined> {
      if (bearer.startsWith(ADMIN_API_KEY_PREFIX)) return deps.adminKeys.verify(bearer);
      if (looksLikeAccessToken(bearer)) return deps.oauth.verifyAccessToken(bearer);
      return deps.sessions.verify(bearer);
    },
  };
}

export type AdminAuthenticator = ReturnType<typeof createAdminAuthenticator>;
