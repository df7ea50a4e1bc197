/**
 * Which endpoints each team routes to, with which strategy: validated writes, the default routing
 * (team_id ''), and the resolved view the admin API shows. Teams without their own routing follow
 * the default; without a default row that is `priority` over every enabled endpoint, default
 * first, which is how traffic was routed before teams had routing.
 */
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { EndpointRow } from './endpoints.repo.js';
import { ROUTING_STRATEGIES, type RoutingStrategy } from './strategies/index.js';
import { DEFAULT_ROUTE_KEY, type TeamRoutingRecord, type TeamRoutingRepo } from './team-routing.repo.js';

/** The fallback when no default routing was set. */
export const DEFAULT_STRATEGY: RoutingStrategy = 'priority';

const endpointIds = z
  .array(z.string().min(1).max(100))
  .max(100)
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `${id} is listed twice` });
      seen.add(id);
    }
  });

/** PUT /admin/teams/:id/routing: at least one endpoint, in order. */
export const teamRoutingSchema = z.object({ strategy: z.enum(ROUTING_STRATEGIES), endpoint_ids: endpointIds.min(1, 'list at least one endpoint') }).strict();
/** PUT /admin/routing/default: an empty list means every enabled endpoint, default first. */
export const defaultRoutingSchema = z.object({ strategy: z.enum(ROUTING_STRATEGIES), endpoint_ids: endpointIds }).strict();
export type RoutingInput = z.infer<typeof defaultRoutingSchema>;

/** Checks a routing body; the message names each bad field, like the admin API's own validation. */
function parseRouting(schema: typeof teamRoutingSchema | typeof defaultRoutingSchema, body: unknown): RoutingInput {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new ApiError('invalid_request', result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
}

/** A route as it applies now: its own row, or the default's strategy and endpoints. */
export interface ResolvedRouting {
  /** null for the default routing. */
  readonly teamId: string | null;
  readonly strategy: RoutingStrategy;
  readonly endpointIds: readonly string[];
  /** Whether this route has its own row (a team with its own routing; a default that was set). */
  readonly custom: boolean;
  readonly updatedAt: number | null;
}

type EndpointSummary = Pick<EndpointRow, 'id' | 'name' | 'enabled' | 'is_default'>;

/**
 * Endpoints in the default routing's order: the default one first, the rest as given (the
 * endpoint table lists them by priority, then age). Shared with the pool for empty endpoint lists.
 */
export function defaultFirst<T extends { isDefault: boolean }>(endpoints: readonly T[]): T[] {
  return [...endpoints.filter((e) => e.isDefault), ...endpoints.filter((e) => !e.isDefault)];
}

export interface TeamRoutingDeps {
  readonly repo: TeamRoutingRepo;
  /** Every endpoint, by priority then age (src/routing/endpoints.repo.ts). */
  readonly endpoints: { list(): Promise<EndpointSummary[]> };
  /** Team names by id, from the teams service: routing never reads the teams table. */
  readonly teams: { names(): Promise<Map<string, string>> };
  /** Called after every write (refreshes this replica's mirror at once). */
  readonly onChange: () => Promise<void>;
  readonly clock?: () => number;
}

export function createTeamRoutingService(deps: TeamRoutingDeps) {
  const { repo } = deps;
  const clock = deps.clock ?? Date.now;

  async function assertEndpointsExist(ids: readonly string[]): Promise<void> {
    const known = new Set((await deps.endpoints.list()).map((e) => e.id));
    const unknown = ids.find((id) => !known.has(id));
    if (unknown !== undefined) throw new ApiError('invalid_request', `endpoint_ids: no endpoint with id ${unknown}`);
  }

  async function assertTeamExists(teamId: string, names?: Map<string, string>): Promise<void> {
    if (!(names ?? (await deps.teams.names())).has(teamId)) throw new ApiError('not_found', `no team with id ${teamId}`);
  }

  async function store(teamId: string, input: RoutingInput): Promise<TeamRoutingRecord> {
    await assertEndpointsExist(input.endpoint_ids);
    const record = await repo.set(teamId, input.strategy, input.endpoint_ids, clock());
    await deps.onChange();
    return record;
  }

  /** The default route as it applies now: its row, or priority over every enabled endpoint. */
  function resolvedDefault(endpoints: readonly EndpointSummary[], row: TeamRoutingRecord | undefined): ResolvedRouting {
    const everyEnabled = () =>
      defaultFirst(endpoints.filter((e) => e.enabled === 1).map((e) => ({ id: e.id, isDefault: e.is_default === 1 }))).map((e) => e.id);
    return {
      teamId: null,
      strategy: row?.strategy ?? DEFAULT_STRATEGY,
      endpointIds: row && row.endpointIds.length > 0 ? row.endpointIds : everyEnabled(),
      custom: row !== undefined,
      updatedAt: row?.updatedAt ?? null,
    };
  }

  return {
    get: (teamId: string) => repo.find(teamId),

    /** Gives a team its own routing; `body` is checked here (strategy, ≥1 endpoint, no repeats, all existing). */
    async set(teamId: string, body: unknown): Promise<TeamRoutingRecord> {
      const input = parseRouting(teamRoutingSchema, body);
      await assertTeamExists(teamId);
      return store(teamId, input);
    },

    /** Sets the default routing; an empty endpoint list means every enabled endpoint. */
    async setDefault(body: unknown): Promise<TeamRoutingRecord> {
      return store(DEFAULT_ROUTE_KEY, parseRouting(defaultRoutingSchema, body));
    },

    /** The team follows the default routing again; a team that had none is fine too. */
    async clear(teamId: string): Promise<void> {
      await assertTeamExists(teamId);
      if (await repo.remove(teamId)) await deps.onChange();
    },

    /** Every route as it applies now: the default, and every team (own routing or the default's). */
    async overview(): Promise<{ default: ResolvedRouting; teams: ResolvedRouting[]; teamNames: Map<string, string> }> {
      const [rows, endpoints, teamNames] = await Promise.all([repo.list(), deps.endpoints.list(), deps.teams.names()]);
      const own = new Map(rows.map((row) => [row.teamId, row]));
      const fallback = resolvedDefault(endpoints, own.get(DEFAULT_ROUTE_KEY));
      const teams = [...teamNames.keys()].map((teamId): ResolvedRouting => {
        const row = own.get(teamId);
        return row ? { teamId, strategy: row.strategy, endpointIds: row.endpointIds, custom: true, updatedAt: row.updatedAt } : { ...fallback, teamId, custom: false, updatedAt: null };
      });
      return { default: fallback, teams, teamNames };
    },

    /**
     * The routes listing an endpoint, for refusing its deletion: team ids of existing teams, and
     * '' when the default routing lists it. (A deleted team's leftover row does not count.)
     */
    async teamsUsing(endpointId: string): Promise<string[]> {
      const [routes, names] = await Promise.all([repo.routesUsing(endpointId), deps.teams.names()]);
      return routes.filter((teamId) => teamId === DEFAULT_ROUTE_KEY || names.has(teamId));
    },
  };
}

export type TeamRoutingService = ReturnType<typeof createTeamRoutingService>;
