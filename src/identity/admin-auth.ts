/**
 * The one answer to "who is calling the admin API?": an admin bearer is either a session token
 * (from login) or an admin API key, told apart by the key's fixed prefix so each request costs
 * one lookup. Both resolve to the same principal, so routes never care which was used.
 */
import { ADMIN_API_KEY_PREFIX, type AdminApiKeysService } from './admin-api-keys.service.js';
import type { SessionsService, SessionUser } from './sessions.service.js';

export function createAdminAuthenticator(deps: { sessions: Pick<SessionsService, 'verify'>; adminKeys: Pick<AdminApiKeysService, 'verify'> }) {
  return {
    resolve(bearer: string): Promise<SessionUser | undefined> {
      return bearer.startsWith(ADMIN_API_KEY_PREFIX) ? deps.adminKeys.verify(bearer) : deps.sessions.verify(bearer);
    },
  };
}

export type AdminAuthenticator = ReturnType<typeof createAdminAuthenticator>;
