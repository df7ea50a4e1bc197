/**
 * Team routing (spec §5): which endpoints each team uses and with which strategy, and the default
 * routing for users without a team or teams without their own. Admin only. Team names come from
 * the teams service, endpoint names from the endpoints service.
 */
import type { FastifyInstance } from 'fastify';
import type { ResolvedRouting, RoutingInput } from '../routing/team-routing.service.js';
import type { RoutingStrategy } from '../routing/strategies/index.js';
import type { AdminDeps } from './plugin.js';
import { isoOrNull } from './wire-format.js';

/** A route as the admin API shows it (shared with the CLI and the portal). */
export interface RoutingView {
  /** null for the default routing. */
  team_id: string | null;
  team_name: string | null;
  strategy: RoutingStrategy;
  /** In failover order; an endpoint deleted since shows its id as its name. */
  endpoints: { id: string; name: string }[];
  /** false: the team follows the default routing (or the default was never set). */
  custom: boolean;
  updated_at: string | null;
}

export interface RoutingOverviewView {
  default: RoutingView;
  teams: RoutingView[];
}

/** The request body of PUT /admin/teams/:id/routing and PUT /admin/routing/default (shared with the CLI). */
export type RoutingBody = RoutingInput;

function presentRouting(route: ResolvedRouting, teamNames: ReadonlyMap<string, string>, endpointNames: ReadonlyMap<string, string>): RoutingView {
  return {
    team_id: route.teamId,
    team_name: route.teamId === null ? null : (teamNames.get(route.teamId) ?? null),
    strategy: route.strategy,
    endpoints: route.endpointIds.map((id) => ({ id, name: endpointNames.get(id) ?? id })),
    custom: route.custom,
    updated_at: isoOrNull(route.updatedAt),
  };
}

export function registerRoutingRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const endpointNames = async () => new Map((await deps.endpoints.list()).map((endpoint) => [endpoint.id, endpoint.name]));

  const overview = async (): Promise<RoutingOverviewView & { find(teamId: string | null): RoutingView }> => {
    const [routes, names] = await Promise.all([deps.routing.overview(), endpointNames()]);
    const present = (route: ResolvedRouting) => presentRouting(route, routes.teamNames, names);
    const teams = routes.teams.map(present).sort((a, b) => (a.team_name ?? '').localeCompare(b.team_name ?? ''));
    const fallback = present(routes.default);
    return { default: fallback, teams, find: (teamId) => (teamId === null ? fallback : teams.find((team) => team.team_id === teamId)!) };
  };

  app.get('/routing', async (): Promise<RoutingOverviewView> => {
    const { default: fallback, teams } = await overview();
    return { default: fallback, teams };
  });

  app.put<{ Params: { id: string } }>('/teams/:id/routing', async (request): Promise<RoutingView> => {
    await deps.routing.set(request.params.id, request.body);
    return (await overview()).find(request.params.id);
  });

  app.delete<{ Params: { id: string } }>('/teams/:id/routing', async (request, reply) => {
    await deps.routing.clear(request.params.id);
    return reply.code(204).send();
  });

  app.put('/routing/default', async (request): Promise<RoutingView> => {
    await deps.routing.setDefault(request.body);
    return (await overview()).find(null);
  });
}
