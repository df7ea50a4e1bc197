/**
 * The wire types the portal reads and sends: the admin API's own declared shapes (the same ones
 * the CLI uses), imported as types only, so the portal cannot drift from the server. Shapes only
 * the browser uses (the session) are declared here.
 */
export type * from '../../../src/cli/admin-types.js';

export interface SessionInfo {
  expires_at: string | null;
  user: { id: string; email: string; role: 'admin' | 'member' };
  csrf_token: string;
  /** The gateway's public base URL (CCAG_PUBLIC_URL, else this origin). */
  gateway_url: string;
  version: string;
}

export interface IdentityProviderLink {
  name: string;
  display_name: string;
  login_url: string;
}
