/**
 * The routing admin API on both databases: the overview (teams without routing follow the
 * default), setting and clearing a team's routing, the default routing, validation, and that only
 * admins may use it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RoutingOverviewView, RoutingView } from '../../src/admin/routing.routes.js';
import { newSessionToken } from '../../src/identity/tokens.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

type ErrorBody = { error: { code: string; message: string } };

describe.each(['sqlite', 'postgres'] as const)('routing admin API (%s)', (database) => {
  let gw: TestGateway | undefined;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    gw = await startGateway({ database });
    if (!gw) return;
    // Created in this order, with these priorities: the table lists first, second, third.
    ids.first = (await gw.addEndpoint({ kind: 'anthropic', name: 'first', api_key: 'k', priority: 10 })).id;
    ids.third = (await gw.addEndpoint({ kind: 'anthropic', name: 'third', api_key: 'k', priority: 30 })).id;
    ids.second = (await gw.addEndpoint({ kind: 'anthropic', name: 'second', api_key: 'k', priority: 20, is_default: true })).id;
    ids.off = (await gw.addEndpoint({ kind: 'anthropic', name: 'off', api_key: 'k', priority: 1, enabled: false })).id;
    ids.platform = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'Platform' })).body.id;
    ids.data = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'Data' })).body.id;
  });
  afterAll(async () => {
    await gw?.close();
  });

  const named = (...names: string[]) => names.map((name) => ({ id: ids[name]!, name }));

  test('before any routing: priority over the enabled endpoints, default first; every team follows it', async ({ skip }) => {
    if (!gw) return skip();
    const { status, body } = await gw.admin<RoutingOverviewView>('GET', '/routing');
    expect(status).toBe(200);
    expect(body.default).toEqual({ team_id: null, team_name: null, strategy: 'priority', endpoints: named('second', 'first', 'third'), custom: false, updated_at: null });
    expect(body.teams).toEqual([
      { team_id: ids.data, team_name: 'Data', strategy: 'priority', endpoints: named('second', 'first', 'third'), custom: false, updated_at: null },
      { team_id: ids.platform, team_name: 'Platform', strategy: 'priority', endpoints: named('second', 'first', 'third'), custom: false, updated_at: null },
    ]);
  });

  test('a team gets its own routing, shows it, and falls back to the default once cleared', async ({ skip }) => {
    if (!gw) return skip();
    const set = await gw.admin<RoutingView>('PUT', `/teams/${ids.platform}/routing`, { strategy: 'sticky_user', endpoint_ids: [ids.third, ids.off] });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ team_id: ids.platform, team_name: 'Platform', strategy: 'sticky_user', endpoints: named('third', 'off'), custom: true });
    expect(Date.parse(set.body.updated_at!)).toBeGreaterThan(0);
    const listed = (await gw.admin<RoutingOverviewView>('GET', '/routing')).body.teams.find((team) => team.team_id === ids.platform);
    expect(listed).toEqual(set.body);

    expect((await gw.admin('DELETE', `/teams/${ids.platform}/routing`)).status).toBe(204);
    const after = (await gw.admin<RoutingOverviewView>('GET', '/routing')).body.teams.find((team) => team.team_id === ids.platform);
    expect(after).toMatchObject({ custom: false, strategy: 'priority', updated_at: null });
    expect((await gw.admin('DELETE', `/teams/${ids.platform}/routing`)).status).toBe(204);
  });

  test('the default routing: its own list, or every enabled endpoint when empty; teams without routing follow it', async ({ skip }) => {
    if (!gw) return skip();
    const set = await gw.admin<RoutingView>('PUT', '/routing/default', { strategy: 'round_robin', endpoint_ids: [ids.first, ids.third] });
    expect(set.body).toMatchObject({ team_id: null, team_name: null, strategy: 'round_robin', endpoints: named('first', 'third'), custom: true });
    const data = (await gw.admin<RoutingOverviewView>('GET', '/routing')).body.teams.find((team) => team.team_id === ids.data);
    expect(data).toMatchObject({ strategy: 'round_robin', endpoints: named('first', 'third'), custom: false });
    const all = await gw.admin<RoutingView>('PUT', '/routing/default', { strategy: 'sticky_user', endpoint_ids: [] });
    expect(all.body).toMatchObject({ strategy: 'sticky_user', endpoints: named('second', 'first', 'third'), custom: true });
  });

  test('validation names the problem; an unknown team is 404', async ({ skip }) => {
    if (!gw) return skip();
    const put = (path: string, body: unknown) => gw!.admin<ErrorBody>('PUT', path, body);
    const team = `/teams/${ids.data}/routing`;
    expect((await put(team, { strategy: 'random', endpoint_ids: [ids.first] })).body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^strategy: /) });
    expect((await put(team, { strategy: 'priority', endpoint_ids: [] })).body.error.message).toBe('endpoint_ids: list at least one endpoint');
    expect((await put(team, { strategy: 'priority', endpoint_ids: [ids.first, ids.first] })).body.error.message).toBe(`endpoint_ids: ${ids.first} is listed twice`);
    const unknown = await put(team, { strategy: 'priority', endpoint_ids: [ids.first, 'nope'] });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: 'endpoint_ids: no endpoint with id nope' } } });
    expect((await put('/routing/default', { strategy: 'priority' })).status).toBe(400);
    expect((await put('/teams/missing/routing', { strategy: 'priority', endpoint_ids: [ids.first] })).status).toBe(404);
    expect((await gw.admin('DELETE', '/teams/missing/routing')).status).toBe(404);
  });

  test('members may not read or change routing', async ({ skip }) => {
    if (!gw) return skip();
    const member = await gw.admin<{ id: string }>('POST', '/users', { email: 'member@routing.dev' });
    const session = newSessionToken();
    await gw.store.db
      .insertInto('sessions')
      .values({ id: randomUUID(), token_hash: session.hash, user_id: member.body.id, created_at: Date.now(), expires_at: Date.now() + 3_600_000, revoked_at: null })
      .execute();
    const asMember = (method: string, path: string, body?: unknown) =>
      gw!.app.fastify.inject({ method: method as 'GET', url: `/admin${path}`, headers: { authorization: `Bearer ${session.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    expect((await asMember('GET', '/routing')).statusCode).toBe(403);
    expect((await asMember('PUT', '/routing/default', { strategy: 'priority', endpoint_ids: [] })).statusCode).toBe(403);
    expect((await asMember('DELETE', `/teams/${ids.data}/routing`)).statusCode).toBe(403);
  });
});
