/**
 * Team routing storage on SQLite and PostgreSQL: the repository, the service's validation and
 * resolved view, and the mirror a second replica polls (a cleared routing must reach it too).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createEndpointsRepo, type EndpointRow } from '../../src/routing/endpoints.repo.js';
import { TeamRoutingMirror } from '../../src/routing/team-routing-mirror.js';
import { createTeamRoutingRepo, type TeamRoutingRepo } from '../../src/routing/team-routing.repo.js';
import { createTeamRoutingService, defaultFirst, type TeamRoutingService } from '../../src/routing/team-routing.service.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const T0 = 1_760_000_000_000;

function endpoint(id: string, extra: Partial<EndpointRow> = {}): EndpointRow {
  return { id, name: `name-${id}`, kind: 'anthropic', config: '{"kind":"anthropic"}', credentials: null, is_default: 0, enabled: 1, priority: 100, created_at: T0, updated_at: T0, ...extra };
}

describe.each(['sqlite', 'postgres'] as const)('team routing on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let repo: TeamRoutingRepo;
  let service: TeamRoutingService;
  let clock = T0;
  const teams = new Map([
    ['team-a', 'Alpha'],
    ['team-b', 'Beta'],
  ]);
  const mirror = () => new TeamRoutingMirror(repo);
  let local: TeamRoutingMirror;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
    const endpoints = createEndpointsRepo(store.db);
    await endpoints.insert(endpoint('ep-1', { priority: 10 }));
    await endpoints.insert(endpoint('ep-2', { priority: 20, is_default: 1 }));
    await endpoints.insert(endpoint('ep-3', { priority: 30 }));
    await endpoints.insert(endpoint('ep-off', { priority: 5, enabled: 0 }));
    repo = createTeamRoutingRepo(store.db);
    local = mirror();
    service = createTeamRoutingService({ repo, endpoints, teams: { names: async () => teams }, onChange: () => local.refresh(), clock: () => clock });
  });
  beforeEach(async () => {
    if (!database) return;
    await store.db.deleteFrom('team_routing_endpoints').execute();
    await store.db.deleteFrom('team_routing').execute();
    await local.refresh();
  });
  afterAll(async () => {
    local?.stop();
    await store?.close();
    await database?.drop();
  });

  test('set, get and replace a team routing; the list keeps its order', async ({ skip }) => {
    if (!database) return skip();
    expect(await service.get('team-a')).toBeUndefined();
    const stored = await service.set('team-a', { strategy: 'round_robin', endpoint_ids: ['ep-3', 'ep-1'] });
    expect(stored).toEqual({ teamId: 'team-a', strategy: 'round_robin', endpointIds: ['ep-3', 'ep-1'], updatedAt: T0 });
    expect(await service.get('team-a')).toEqual(stored);
    // Same millisecond: updated_at still moves, so replicas see the change.
    const replaced = await service.set('team-a', { strategy: 'sticky_user', endpoint_ids: ['ep-2', 'ep-off', 'ep-1'] });
    expect(replaced.updatedAt).toBe(T0 + 1);
    expect(await repo.find('team-a')).toEqual({ teamId: 'team-a', strategy: 'sticky_user', endpointIds: ['ep-2', 'ep-off', 'ep-1'], updatedAt: T0 + 1 });
    expect((await repo.list()).map((row) => row.teamId)).toEqual(['team-a']);
  });

  test('validation: strategy, at least one endpoint, no repeats, every id an endpoint, the team exists', async ({ skip }) => {
    if (!database) return skip();
    const refused = async (teamId: string, body: unknown) => {
      try {
        await service.set(teamId, body);
      } catch (error) {
        return { code: (error as { code: string }).code, message: (error as Error).message };
      }
      throw new Error('accepted');
    };
    expect(await refused('team-a', { strategy: 'fastest', endpoint_ids: ['ep-1'] })).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^strategy: /) });
    expect(await refused('team-a', { strategy: 'priority', endpoint_ids: [] })).toMatchObject({ code: 'invalid_request', message: 'endpoint_ids: list at least one endpoint' });
    expect(await refused('team-a', { strategy: 'priority', endpoint_ids: ['ep-1', 'ep-2', 'ep-1'] })).toMatchObject({ message: 'endpoint_ids: ep-1 is listed twice' });
    expect(await refused('team-a', { strategy: 'priority', endpoint_ids: ['ep-1', 'ep-9'] })).toMatchObject({ code: 'invalid_request', message: 'endpoint_ids: no endpoint with id ep-9' });
    expect(await refused('team-a', { strategy: 'priority', endpoint_ids: ['ep-1'], extra: 1 })).toMatchObject({ code: 'invalid_request' });
    expect(await refused('team-z', { strategy: 'priority', endpoint_ids: ['ep-1'] })).toMatchObject({ code: 'not_found' });
    expect(await repo.list()).toEqual([]);
  });

  test('the overview: teams without a row follow the default; the default falls back to priority over enabled endpoints, default first', async ({ skip }) => {
    if (!database) return skip();
    let overview = await service.overview();
    expect(overview.default).toEqual({ teamId: null, strategy: 'priority', endpointIds: ['ep-2', 'ep-1', 'ep-3'], custom: false, updatedAt: null });
    await service.set('team-b', { strategy: 'least_utilized', endpoint_ids: ['ep-3'] });
    await service.setDefault({ strategy: 'sticky_user', endpoint_ids: [] });
    overview = await service.overview();
    expect(overview.default).toMatchObject({ strategy: 'sticky_user', endpointIds: ['ep-2', 'ep-1', 'ep-3'], custom: true });
    expect(overview.teams).toEqual([
      { teamId: 'team-a', strategy: 'sticky_user', endpointIds: ['ep-2', 'ep-1', 'ep-3'], custom: false, updatedAt: null },
      { teamId: 'team-b', strategy: 'least_utilized', endpointIds: ['ep-3'], custom: true, updatedAt: T0 },
    ]);
    await service.setDefault({ strategy: 'round_robin', endpoint_ids: ['ep-3', 'ep-1'] });
    expect((await service.overview()).default).toMatchObject({ strategy: 'round_robin', endpointIds: ['ep-3', 'ep-1'], custom: true });
  });

  test('teamsUsing names the routes that list an endpoint (the default as ""), not deleted teams', async ({ skip }) => {
    if (!database) return skip();
    await service.set('team-a', { strategy: 'priority', endpoint_ids: ['ep-1', 'ep-2'] });
    await service.set('team-b', { strategy: 'priority', endpoint_ids: ['ep-2'] });
    await service.setDefault({ strategy: 'priority', endpoint_ids: ['ep-2'] });
    await repo.set('team-gone', 'priority', ['ep-2'], clock);
    expect(await service.teamsUsing('ep-2')).toEqual(['', 'team-a', 'team-b']);
    expect(await service.teamsUsing('ep-1')).toEqual(['team-a']);
    expect(await service.teamsUsing('ep-3')).toEqual([]);
  });

  test('the mirror: this replica sees writes at once; another replica by polling, including a cleared routing', async ({ skip }) => {
    if (!database) return skip();
    const replica = mirror();
    await replica.refresh();
    expect(replica.routeFor('team-a')).toEqual({ strategy: 'priority', endpointIds: [] });
    expect(replica.routeFor(null)).toEqual({ strategy: 'priority', endpointIds: [] });

    await service.set('team-a', { strategy: 'round_robin', endpoint_ids: ['ep-1', 'ep-3'] });
    await service.setDefault({ strategy: 'sticky_user', endpoint_ids: ['ep-2'] });
    expect(local.routeFor('team-a')).toEqual({ strategy: 'round_robin', endpointIds: ['ep-1', 'ep-3'] });
    await replica.refresh();
    expect(replica.routeFor('team-a')).toEqual({ strategy: 'round_robin', endpointIds: ['ep-1', 'ep-3'] });
    expect(replica.routeFor('team-b')).toEqual({ strategy: 'sticky_user', endpointIds: ['ep-2'] });
    expect(replica.routeFor(null)).toEqual({ strategy: 'sticky_user', endpointIds: ['ep-2'] });

    const before = await repo.version();
    await service.clear('team-a');
    expect(await repo.version()).not.toBe(before);
    expect(local.routeFor('team-a')).toEqual({ strategy: 'sticky_user', endpointIds: ['ep-2'] });
    await replica.refresh();
    expect(replica.routeFor('team-a')).toEqual({ strategy: 'sticky_user', endpointIds: ['ep-2'] });
    // Clearing a team without routing is fine; an unknown team is not.
    await expect(service.clear('team-a')).resolves.toBeUndefined();
    await expect(service.clear('team-z')).rejects.toMatchObject({ code: 'not_found' });
  });

  test('the version moves on every write and removal, and only then', async ({ skip }) => {
    if (!database) return skip();
    const versions = [await repo.version()];
    await repo.set('team-a', 'priority', ['ep-1'], T0);
    versions.push(await repo.version());
    expect(await repo.version()).toBe(versions[1]);
    await repo.set('team-b', 'priority', ['ep-1'], T0);
    versions.push(await repo.version());
    await repo.set('team-a', 'priority', ['ep-2'], T0);
    versions.push(await repo.version());
    await repo.remove('team-b');
    versions.push(await repo.version());
    expect(new Set(versions).size).toBe(versions.length);
  });
});

test('defaultFirst keeps the given (priority, age) order behind the default endpoint', () => {
  const list = [
    { id: 'a', isDefault: false },
    { id: 'b', isDefault: false },
    { id: 'c', isDefault: true },
  ];
  expect(defaultFirst(list).map((e) => e.id)).toEqual(['c', 'a', 'b']);
});
