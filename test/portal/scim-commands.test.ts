import { describe, expect, it } from 'vitest';
import { scimCliCommands, tokenStatus } from '../../portal/src/features/authentication/scim-commands.js';

describe('scimCliCommands', () => {
  it('names the provider, the gateway and its admin groups, quoted for the shell', () => {
    expect(scimCliCommands('okta', ['CCAG Admins', 'ops'], 'https://ccag.example.com/').split('\n')).toEqual([
      'ccag scim enable okta --url https://ccag.example.com',
      'ccag scim create-token okta --url https://ccag.example.com',
      "ccag scim set-admin-groups okta 'CCAG Admins' ops --url https://ccag.example.com",
    ]);
  });

  it('shows an example admin group when none is set', () => {
    expect(scimCliCommands('entra', [], 'http://127.0.0.1:8080')).toContain("set-admin-groups entra 'CCAG Admins' --url");
  });
});

describe('tokenStatus', () => {
  it('is revoked once revoked_at is set', () => {
    expect(tokenStatus({ revoked_at: null })).toBe('active');
    expect(tokenStatus({ revoked_at: '2026-01-01T00:00:00.000Z' })).toBe('revoked');
  });
});
