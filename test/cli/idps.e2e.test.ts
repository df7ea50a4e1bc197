/**
 * `ccag idps` against a real gateway (SQLite and PostgreSQL): adding a provider runs a live OIDC
 * discovery check, the client secret goes in through stdin, is stored sealed and never comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCcag, startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import { startDiscoveryServer, type DiscoveryServer } from '../support/discovery-server.js';

describe.each(['sqlite', 'postgres'] as const)('ccag idps on %s', (database) => {
  let cli: LoggedInCli | undefined;
  let issuer: DiscoveryServer;

  beforeAll(async () => {
    issuer = await startDiscoveryServer();
    cli = await startLoggedInCli(database);
  });
  afterAll(async () => {
    await cli?.close();
    await issuer?.close();
  });

  it('adds, shows, updates and removes a provider; the secret is sealed and never shown', async ({ skip }) => {
    if (!cli) return skip();
    const team = await cli.json<{ id: string }>(['teams', 'create', 'platform']);
    const added = await runCcag(
      [
        'idps', 'add', 'okta', '--issuer', `${issuer.issuer}/`, '--client-id', 'ccag-client', '--client-secret-stdin',
        '--allowed-domains', 'Example.com,corp.example.org', '--group-team', 'Platform Eng=platform', '--admin-group', 'ccag-admins', '--json',
      ],
      { configDir: cli.configDir, input: 'top-secret-value\n', env: { CCAG_URL: cli.gateway.url } },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const idp = JSON.parse(added.stdout) as Record<string, unknown>;
    expect(idp).toMatchObject({
      name: 'okta',
      issuer: issuer.issuer,
      client_id: 'ccag-client',
      client_secret_set: true,
      audience: 'ccag-client',
      user_claims: ['email', 'preferred_username', 'upn', 'sub'],
      allowed_domains: ['example.com', 'corp.example.org'],
      auto_provision: true,
      default_role: 'member',
      group_teams: { 'Platform Eng': team.id },
      admin_groups: ['ccag-admins'],
      enabled: true,
      scim_enabled: false,
      redirect_uri: `${cli.gateway.url}/auth/oidc/callback`,
    });
    expect(added.stdout).not.toContain('top-secret-value');
    const stored = await cli.gateway.store.db.selectFrom('identity_providers').select('client_secret').executeTakeFirstOrThrow();
    expect(stored.client_secret).toMatch(/^v1:/);
    expect(stored.client_secret).not.toContain('top-secret');

    const table = await cli.ccag(['idps', 'list']);
    expect(table.stdout).toMatch(/^NAME +ISSUER +CLIENT ID +ENABLED +SCIM +CREATED$/m);
    expect(table.stdout).toMatch(/okta +http:\/\/127\.0\.0\.1:\d+ +ccag-client +yes +off/);
    const shown = await cli.ccag(['idps', 'show', 'okta']);
    expect(shown.stdout).toMatch(/Client secret: +set/);
    expect(shown.stdout).toMatch(/Group → team: +Platform Eng → /);

    const updated = await cli.json<Record<string, unknown>>(['idps', 'update', 'okta', '--no-auto-provision', '--audience', 'api://ccag', '--disable']);
    expect(updated).toMatchObject({ auto_provision: false, audience: 'api://ccag', enabled: false, client_secret_set: true });
    const nothing = await cli.ccag(['idps', 'update', 'okta']);
    expect(nothing).toMatchObject({ code: 2, stderr: 'error: nothing to change: give at least one option (see --help)\n' });

    const duplicate = await runCcag(['idps', 'add', 'okta', '--issuer', issuer.issuer, '--client-id', 'x'], {
      configDir: cli.configDir,
      env: { CCAG_URL: cli.gateway.url },
    });
    expect(duplicate).toMatchObject({ code: 1, stderr: 'error: an identity provider named "okta" already exists (HTTP 409, conflict)\n' });

    expect(await cli.json(['idps', 'remove', 'okta'])).toEqual({ idp: 'okta', removed: true });
    expect(await cli.json(['idps', 'list'])).toEqual([]);
  });

  it('refuses an issuer without discovery, and a plain-http issuer that is not local', async ({ skip }) => {
    if (!cli) return skip();
    const noDiscovery = await cli.ccag(['idps', 'add', 'broken', '--issuer', `${cli.gateway.url}/nothing-here`, '--client-id', 'x']);
    expect(noDiscovery.code).toBe(1);
    expect(noDiscovery.stderr).toMatch(/^error: OIDC discovery failed for http:\/\/127\.0\.0\.1:\d+\/nothing-here: .+\(HTTP 400, invalid_request\)\n$/);
    const insecure = await cli.ccag(['idps', 'add', 'insecure', '--issuer', 'http://idp.example.com', '--client-id', 'x']);
    expect(insecure).toMatchObject({
      code: 1,
      stderr: 'error: issuer must use https (plain http is allowed only on localhost): http://idp.example.com (HTTP 400, invalid_request)\n',
    });
    const badName = await cli.ccag(['idps', 'add', 'Bad Name', '--issuer', issuer.issuer, '--client-id', 'x']);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('name: use lowercase letters, digits and dashes');
  });
});
