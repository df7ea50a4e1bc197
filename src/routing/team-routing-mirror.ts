/**
 * Team routing in memory, so picking a request's route never reads the database. Writes through
 * this replica refresh it at once; other replicas' writes are picked up by polling the table's
 * version (count and sum of updated_at, see team-routing.repo.ts) and reloading the few rows when
 * it moved. The version, not TableMirror's updated_at watermark, because clearing a team's
 * routing deletes its row, which a watermark cannot see.
 */
import { VersionedMirror } from '../store/versioned-mirror.js';
import type { RoutingStrategy } from './strategies/index.js';
import { DEFAULT_ROUTE_KEY, type TeamRoutingRecord, type TeamRoutingRepo } from './team-routing.repo.js';
import { DEFAULT_STRATEGY } from './team-routing.service.js';

export interface Route {
  readonly strategy: RoutingStrategy;
  /** In order. Empty means every enabled endpoint, the default one first (see `defaultFirst`). */
  readonly endpointIds: readonly string[];
}

const FALLBACK: Route = { strategy: DEFAULT_STRATEGY, endpointIds: [] };

export class TeamRoutingMirror extends VersionedMirror<string> {
  private routes = new Map<string, Route>();

  constructor(private readonly repo: Pick<TeamRoutingRepo, 'list' | 'version'>) {
    super();
  }

  /** A team's own routing, else the default routing, else priority over every enabled endpoint. */
  routeFor(teamId: string | null): Route {
    return (teamId !== null && this.routes.get(teamId)) || this.routes.get(DEFAULT_ROUTE_KEY) || FALLBACK;
  }

  protected version(): Promise<string> {
    return this.repo.version();
  }

  protected async reload(): Promise<void> {
    const rows: TeamRoutingRecord[] = await this.repo.list();
    this.routes = new Map(rows.map((row) => [row.teamId, { strategy: row.strategy, endpointIds: row.endpointIds }]));
  }
}
