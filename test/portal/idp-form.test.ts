import { describe, expect, it } from 'vitest';
import type { IdpRecord } from '../../portal/src/api/types.js';
import {
  createIdpBody,
  idpFormOf,
  issuerProblem,
  NEW_IDP_FORM,
  parseList,
  updateIdpBody,
  validateIdpForm,
  type IdpForm,
} from '../../portal/src/features/authentication/idp-form.js';

const okta: IdpRecord = {
  id: 'idp-1',
  name: 'okta',
  display_name: 'Okta',
  issuer: 'https://example.okta.com/oauth2/default',
  client_id: '0oa123',
  client_secret_set: true,
  audience: 'api://default',
  scopes: ['openid', 'email', 'profile', 'groups'],
  user_claims: ['email', 'preferred_username', 'upn', 'sub'],
  allowed_domains: ['example.com'],
  auto_provision: true,
  default_role: 'member',
  groups_claim: 'groups',
  group_teams: { 'Platform Eng': 'team-1', Data: 'team-2' },
  admin_groups: ['ccag-admins'],
  scim_enabled: false,
  enabled: true,
  redirect_uri: 'https://ccag.example.com/auth/oidc/callback',
  login_url: 'https://ccag.example.com/auth/oidc/okta/login',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};

const filled: IdpForm = { ...NEW_IDP_FORM, name: 'corp', issuer: 'https://idp.example.com', clientId: 'ccag' };

describe('parseList', () => {
  it('splits on commas and lines, trims, drops empties and repeats', () => {
    expect(parseList(' a, b\nc,, a ,\n')).toEqual(['a', 'b', 'c']);
    expect(parseList('   ')).toEqual([]);
  });
});

describe('issuerProblem', () => {
  it('accepts https anywhere and http on this machine only', () => {
    expect(issuerProblem('https://idp.example.com/realms/acme')).toBeUndefined();
    expect(issuerProblem('http://localhost:8081')).toBeUndefined();
    expect(issuerProblem('http://127.0.0.1:9000/')).toBeUndefined();
    expect(issuerProblem('http://idp.example.com')).toMatch(/https/);
    expect(issuerProblem('idp.example.com')).toMatch(/issuer URL/);
  });
});

describe('validateIdpForm', () => {
  it('passes a minimal new provider with the defaults', () => {
    expect(validateIdpForm(filled, 'create')).toEqual({});
  });

  it('checks the name only when creating', () => {
    const form = { ...filled, name: 'Corp SSO' };
    expect(validateIdpForm(form, 'create').name).toMatch(/lowercase/);
    expect(validateIdpForm(form, 'edit').name).toBeUndefined();
  });

  it('names each missing or malformed field', () => {
    const errors = validateIdpForm({ ...filled, clientId: ' ', scopes: ',', userClaims: '', allowedDomains: 'example.com, not a domain', groupsClaim: '' }, 'create');
    expect(Object.keys(errors).sort()).toEqual(['allowedDomains', 'clientId', 'groupsClaim', 'scopes', 'userClaims']);
    expect(errors.allowedDomains).toContain('not a domain');
  });

  it('wants each group mapping complete and each group once, ignoring blank rows', () => {
    expect(validateIdpForm({ ...filled, groupTeams: [{ group: '', teamId: '' }] }, 'create')).toEqual({});
    expect(validateIdpForm({ ...filled, groupTeams: [{ group: 'eng', teamId: '' }] }, 'create').groupTeams).toMatch(/group and a team/);
    expect(
      validateIdpForm(
        {
          ...filled,
          groupTeams: [
            { group: 'eng', teamId: 't1' },
            { group: ' eng ', teamId: 't2' },
          ],
        },
        'create',
      ).groupTeams,
    ).toMatch(/one team/);
  });
});

describe('createIdpBody', () => {
  it('sends the form as the API fields, leaving out an empty audience and secret', () => {
    expect(createIdpBody(filled)).toEqual({
      name: 'corp',
      display_name: 'corp',
      issuer: 'https://idp.example.com',
      client_id: 'ccag',
      scopes: ['openid', 'email', 'profile'],
      user_claims: ['email', 'preferred_username', 'upn', 'sub'],
      allowed_domains: [],
      auto_provision: true,
      default_role: 'member',
      groups_claim: 'groups',
      group_teams: {},
      admin_groups: [],
      enabled: true,
    });
  });

  it('keeps the secret as typed and the mapping in row order', () => {
    const body = createIdpBody({
      ...filled,
      displayName: ' Example SSO ',
      clientSecret: ' s3cret ',
      audience: 'api://ccag',
      allowedDomains: 'Example.COM',
      groupTeams: [
        { group: 'b-group', teamId: 't2' },
        { group: 'a-group', teamId: 't1' },
        { group: '', teamId: '' },
      ],
      adminGroups: 'ccag-admins',
    });
    expect(body).toMatchObject({ display_name: 'Example SSO', client_secret: ' s3cret ', audience: 'api://ccag', allowed_domains: ['example.com'], admin_groups: ['ccag-admins'] });
    expect(Object.keys(body.group_teams!)).toEqual(['b-group', 'a-group']);
  });
});

describe('updateIdpBody', () => {
  it('sends nothing when nothing changed, and never the stored secret', () => {
    expect(updateIdpBody(idpFormOf(okta), okta)).toEqual({});
  });

  it('sends only the changed fields', () => {
    const form = { ...idpFormOf(okta), allowedDomains: 'example.com, example.org', autoProvision: false };
    expect(updateIdpBody(form, okta)).toEqual({ allowed_domains: ['example.com', 'example.org'], auto_provision: false });
  });

  it('sends a new secret, or null to remove it', () => {
    expect(updateIdpBody({ ...idpFormOf(okta), clientSecret: 'new' }, okta)).toEqual({ client_secret: 'new' });
    expect(updateIdpBody({ ...idpFormOf(okta), clientSecret: 'ignored', removeSecret: true }, okta)).toEqual({ client_secret: null });
  });

  it('puts a cleared audience back to the client id with null', () => {
    expect(updateIdpBody({ ...idpFormOf(okta), audience: '' }, okta)).toEqual({ audience: null });
  });

  it('treats a reordered group mapping as a change, since the first group held wins', () => {
    const form = { ...idpFormOf(okta), groupTeams: [...idpFormOf(okta).groupTeams].reverse() };
    expect(updateIdpBody(form, okta)).toEqual({ group_teams: { Data: 'team-2', 'Platform Eng': 'team-1' } });
  });

  it('round-trips the provider through the form', () => {
    const form = idpFormOf(okta);
    expect(form.scopes).toBe('openid, email, profile, groups');
    expect(form.groupTeams).toEqual([
      { group: 'Platform Eng', teamId: 'team-1' },
      { group: 'Data', teamId: 'team-2' },
    ]);
    expect(form.clientSecret).toBe('');
  });
});
