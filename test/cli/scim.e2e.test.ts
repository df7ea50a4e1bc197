/**
 * `ccag scim` against a real gateway (SQLite and PostgreSQL): enabling SCIM for a provider, a
 * token printed once with the base URL and working against /scim/v2, admin groups, and status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import { startDiscoveryServer, type DiscoveryServer } from '../support/discovery-server.js';

interface ScimStatus {
  idp: string;
  enabled: boolean;
  base_url: string;
  tokens: { id: string; prefix: string; last_used_at: string | null; revoked_at: string | null }[];
  admin_groups: string[];
  users_provisioned: number;
}

describe.each(['sqlite', 'postgres'] as const)('ccag scim on %s', (database) => {
  let cli: LoggedInCli | undefined;
  let issuer: DiscoveryServer;

  beforeAll(async () => {
    issuer = await startDiscoveryServer();
    cli = await startLoggedInCli(database);
    if (cli) await cli.json(['idps', 'add', 'okta', '--issuer', issuer.issuer, '--client-id', 'ccag']);
  });
  afterAll(async () => {
    await cli?.close();
    await issuer?.close();
  });

  const scimUsers = (token: string) => fetch(`${cli!.gateway.url}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });

  it('enables SCIM, prints a working token once, sets admin groups and shows the status', async ({ skip }) => {
    if (!cli) return skip();
    const enabled = await cli.ccag(['scim', 'enable', 'okta']);
    expect(enabled).toMatchObject({ code: 0, stderr: '' });
    expect(enabled.stdout).toMatch(/^SCIM is on for okta\. Next: ccag scim create-token okta$/m);
    expect(enabled.stdout).toMatch(/^Base URL: +http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/m);

    const created = await cli.ccag(['scim', 'create-token', 'okta']);
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('warning: this is the only time the token is shown; paste it into the IdP now, it cannot be shown again\n');
    expect(created.stdout).toContain(`SCIM base URL:  ${cli.gateway.url}/scim/v2`);
    const token = /Bearer token: +(ccag-scim-[0-9a-f]{64})/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    expect((await scimUsers(token!)).status).toBe(200);

    const asJson = await cli.json<{ token: string; prefix: string; base_url: string }>(['scim', 'create-token', 'okta']);
    expect(asJson.token).toMatch(/^ccag-scim-[0-9a-f]{64}$/);
    expect(asJson.token.startsWith(asJson.prefix)).toBe(true);
    expect(asJson.base_url).toBe(`${cli.gateway.url}/scim/v2`);
    expect((await scimUsers(asJson.token)).status).toBe(200);

    const groups = await cli.json<ScimStatus>(['scim', 'set-admin-groups', 'okta', 'CCAG Admins', 'Platform Leads']);
    expect(groups.admin_groups).toEqual(['CCAG Admins', 'Platform Leads']);
    const table = await cli.ccag(['scim', 'set-admin-groups', 'okta', 'CCAG Admins']);
    expect(table.stdout).toMatch(/^Admin groups for okta: CCAG Admins\.$/m);
    expect((await cli.ccag(['scim', 'set-admin-groups', 'okta'])).code).toBe(2);

    const status = await cli.json<ScimStatus>(['scim', 'status', 'okta']);
    expect(status).toMatchObject({ idp: 'okta', enabled: true, base_url: `${cli.gateway.url}/scim/v2`, admin_groups: ['CCAG Admins'], users_provisioned: 0 });
    expect(status.tokens).toHaveLength(2);
    expect(status.tokens.every((entry) => entry.last_used_at !== null && entry.revoked_at === null)).toBe(true);
    expect(JSON.stringify(status)).not.toContain(asJson.token);
    const shown = await cli.ccag(['scim', 'status', 'okta']);
    expect(shown.stdout).toMatch(/^SCIM: +on$/m);
    expect(shown.stdout).toContain(`${asJson.prefix}…`);
    expect(shown.stdout).not.toContain(asJson.token);

    const missing = await cli.ccag(['scim', 'status', 'nope']);
    expect(missing).toMatchObject({ code: 1, stderr: 'error: no identity provider "nope" (HTTP 404, not_found)\n' });
    expect((await cli.ccag(['scim', 'disable', 'okta'])).stdout).toMatch(/^SCIM is off for okta\.$/m);
    expect((await scimUsers(asJson.token)).status).toBe(401);
  });
});
