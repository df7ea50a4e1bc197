/**
 * `ccag routing` as a user runs it: the built executable against a real gateway on SQLite and
 * PostgreSQL (run `npm run build` first). Teams and endpoints by name, `default`, `--json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingOverviewRecord, RoutingRecord } from '../../src/cli/admin-types.js';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';

describe.each(['sqlite', 'postgres'] as const)('ccag routing on %s', (database) => {
  let cli: LoggedInCli | undefined;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    cli = await startLoggedInCli(database);
    if (!cli) return;
    ids.east = (await cli.gateway.addEndpoint({ kind: 'anthropic', name: 'east', api_key: 'k', priority: 10 })).id;
    ids.west = (await cli.gateway.addEndpoint({ kind: 'anthropic', name: 'west', api_key: 'k', priority: 20 })).id;
    ids.team = (await cli.gateway.admin<{ id: string }>('POST', '/teams', { name: 'mobile' })).body.id;
  });
  afterAll(async () => {
    await cli?.close();
  });

  it('sets, shows and clears a team routing by names', async ({ skip }) => {
    if (!cli) return skip();
    const set = await cli.ccag(['routing', 'set', 'mobile', '--strategy', 'round_robin', '--endpoints', 'west, east']);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^Set the routing of team mobile\.$/m);
    expect(set.stdout).toMatch(/^Endpoints: +west, east$/m);

    const table = await cli.ccag(['routing', 'show']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^TEAM +STRATEGY +ENDPOINTS +CUSTOM +UPDATED$/m);
    expect(table.stdout).toMatch(/^\(default\) +priority +east, west +no/m);
    expect(table.stdout).toMatch(/^mobile +round_robin +west, east +yes/m);

    const one = await cli.json<RoutingRecord>(['routing', 'show', 'mobile']);
    expect(one).toMatchObject({ team_id: ids.team, team_name: 'mobile', strategy: 'round_robin', endpoints: [{ id: ids.west, name: 'west' }, { id: ids.east, name: 'east' }], custom: true });

    expect(await cli.json(['routing', 'clear', 'mobile'])).toEqual({ team_id: ids.team, team_name: 'mobile', cleared: true });
    const after = await cli.ccag(['routing', 'show', 'mobile']);
    expect(after.stdout).toMatch(/^Custom: +no \(follows the default\)$/m);
  });

  it('sets the default routing, with or without endpoints', async ({ skip }) => {
    if (!cli) return skip();
    const set = await cli.json<RoutingRecord>(['routing', 'set', 'default', '--strategy', 'sticky_user', '--endpoints', ids.west!]);
    expect(set).toMatchObject({ team_id: null, strategy: 'sticky_user', endpoints: [{ id: ids.west, name: 'west' }], custom: true });
    const all = await cli.json<RoutingRecord>(['routing', 'set', 'default', '--strategy', 'least_utilized']);
    expect(all.endpoints.map((endpoint) => endpoint.name)).toEqual(['east', 'west']);
    const overview = await cli.json<RoutingOverviewRecord>(['routing', 'show']);
    expect(overview.default).toMatchObject({ strategy: 'least_utilized', custom: true });
    expect(overview.teams.find((team) => team.team_id === ids.team)).toMatchObject({ strategy: 'least_utilized', custom: false });
    expect((await cli.ccag(['routing', 'show', 'default'])).stdout).toMatch(/^Team: +\(default\)$/m);
  });

  it('says what is wrong', async ({ skip }) => {
    if (!cli) return skip();
    expect(await cli.ccag(['routing', 'set', 'mobile', '--strategy', 'sticky_user'])).toMatchObject({
      code: 2,
      stderr: 'error: --endpoints is required for a team: list at least one endpoint name or id\n',
    });
    expect((await cli.ccag(['routing', 'set', 'mobile', '--strategy', 'fastest', '--endpoints', 'east'])).stderr).toMatch(/^error: option '--strategy <strategy>' argument 'fastest' is invalid/);
    expect(await cli.ccag(['routing', 'set', 'mobile', '--strategy', 'priority', '--endpoints', 'north'])).toMatchObject({
      code: 1,
      stderr: 'error: no endpoint has the id or name "north"; see "ccag endpoints list"\n',
    });
    expect(await cli.ccag(['routing', 'set', 'mobile', '--strategy', 'priority', '--endpoints', 'east,east'])).toMatchObject({
      code: 1,
      stderr: `error: endpoint_ids: ${ids.east} is listed twice (HTTP 400, invalid_request)\n`,
    });
    expect((await cli.ccag(['routing', 'clear', 'nobody'])).stderr).toBe('error: no team has the id or name "nobody"; see "ccag teams list"\n');
  });
});
