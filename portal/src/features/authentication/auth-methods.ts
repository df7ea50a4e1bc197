/**
 * The sign-in methods table (Method | Status | Description). Statuses come from GET
 * /admin/system's `authentication` when the gateway has it, else from what the portal can read:
 * the enabled identity providers; keys, admin login and Claude Code sign-in are always on.
 * Pure, so it is unit-tested (test/portal/auth-methods.test.ts).
 */
import type { SystemInfo } from '../system/types.js';

type SystemAuthentication = SystemInfo['authentication'];

export interface AuthMethodRow {
  readonly method: string;
  readonly enabled: boolean;
  readonly status: string;
  readonly description: string;
}

const onOff = (on: boolean) => (on ? 'Enabled' : 'Disabled');

export function providerCountText(count: number): string {
  if (count === 0) return 'No provider';
  return count === 1 ? '1 provider' : `${count} providers`;
}

/** `enabledIdps` is used only when the system report is not available. */
export function authMethods(auth: SystemAuthentication | undefined, enabledIdps: number): AuthMethodRow[] {
  const oidc = auth ? auth.oidc : enabledIdps;
  return [
    {
      method: 'Virtual keys',
      enabled: auth?.virtual_keys ?? true,
      status: onOff(auth?.virtual_keys ?? true),
      description: 'Keys stored in the database (only their hashes), each with its own rate limits and budget.',
    },
    {
      method: 'OIDC / SSO',
      enabled: oidc > 0,
      status: oidc > 0 ? `Enabled, ${providerCountText(oidc).toLowerCase()}` : 'Not set up',
      description: 'Sign-in through your identity providers; their JWTs are also accepted as bearer tokens.',
    },
    {
      method: 'Claude Code sign-in',
      enabled: auth?.device_login ?? true,
      status: onOff(auth?.device_login ?? true),
      description: 'Claude Code’s /login and ccag login --sso: approved in the browser, then refreshed by the client.',
    },
    {
      method: 'Admin login',
      enabled: auth?.admin_login ?? true,
      status: onOff(auth?.admin_login ?? true),
      description: 'Username and password: the bootstrap admin and anyone given a CCAG password.',
    },
  ];
}
