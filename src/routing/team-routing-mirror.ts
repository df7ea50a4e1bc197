/**
 * Team routing in memory, so picking a request's route never reads the database. Writes through
 * this replica refresh it at once; other replicas' writes are picked up by polling the table's
 * version (count and sum of updated_at, see team-routing.repo.ts) and reloading the few rows when
 * it moved. The version, not TableMirror's updated_at watermark, because clearing a team's
 * routing deletes its row, which a watermark cannot see.
 */
import type { RoutingStrategy } from './strategies/index.js';
import { DEFAULT_ROUTE_KEY, type TeamRoutingRecord, type TeamRoutingRepo } from './team-routing.repo.js';
import { DEFAULT_STRATEGY } from './team-routing.service.js';

export interface Route {
  readonly strategy: RoutingStrategy;
  /** In order. Empty means every enabled endpoint, the default one first (see `defaultFirst`). */
  readonly endpointIds: readonly string[];
}

const FALLBACK: Route = { strategy: DEFAULT_STRATEGY, endpointIds: [] };

export class TeamRoutingMirror {
  private routes = new Map<string, Route>();
  private loadedVersion = '';
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly repo: Pick<TeamRoutingRepo, 'list' | 'version'>) {}

  /** A team's own routing, else the default routing, else priority over every enabled endpoint. */
  routeFor(teamId: string | null): Route {
    return (teamId !== null && this.routes.get(teamId)) || this.routes.get(DEFAULT_ROUTE_KEY) || FALLBACK;
  }

  /** Reloads when the table changed (here or on another replica); one refresh at a time. */
  refresh(): Promise<void> {
    const next = this.refreshing.then(() => this.refreshNow());
    this.refreshing = next.catch(() => {});
    return next;
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async refreshNow(): Promise<void> {
    const version = await this.repo.version();
    if (version === this.loadedVersion) return;
    const rows: TeamRoutingRecord[] = await this.repo.list();
    this.routes = new Map(rows.map((row) => [row.teamId, { strategy: row.strategy, endpointIds: row.endpointIds }]));
    this.loadedVersion = version;
  }
}
