import { describe, expect, it } from 'vitest';
import { authMethods, providerCountText } from '../../portal/src/features/authentication/auth-methods.js';

describe('authMethods', () => {
  it('reads the system report when there is one', () => {
    const rows = authMethods({ virtual_keys: true, admin_login: true, oidc: 2, device_login: false }, 0);
    expect(rows.map((row) => [row.method, row.status])).toEqual([
      ['Virtual keys', 'Enabled'],
      ['OIDC / SSO', 'Enabled, 2 providers'],
      ['Claude Code sign-in', 'Disabled'],
      ['Admin login', 'Enabled'],
    ]);
  });

  it('falls back to the enabled providers, with the always-on methods enabled', () => {
    const rows = authMethods(undefined, 1);
    expect(rows.every((row) => row.enabled)).toBe(true);
    expect(rows[1]?.status).toBe('Enabled, 1 provider');
  });

  it('says SSO is not set up without a provider', () => {
    const sso = authMethods(undefined, 0)[1];
    expect(sso).toMatchObject({ enabled: false, status: 'Not set up' });
  });
});

describe('providerCountText', () => {
  it('counts in words', () => {
    expect([0, 1, 3].map(providerCountText)).toEqual(['No provider', '1 provider', '3 providers']);
  });
});
