/**
 * The vocabulary every routing strategy shares. Strategies are pure: they order the candidates
 * they are given from what the context says (health, the caller, the route), with no I/O.
 */
export const ROUTING_STRATEGIES = ['sticky_user', 'round_robin', 'priority', 'least_utilized'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** What a strategy may ask about one endpoint's health (src/routing/health/endpoint-health.ts). */
export interface HealthView {
  /** Whether a request may go there now (not cooling, not unhealthy, no probe already in flight). */
  available(now: number): boolean;
  /** When it becomes available again (epoch ms; `now` when it is; Infinity when only a health check can tell). */
  availableAt(now: number): number;
  /** 0 (none left) to 1 (idle, nothing used), see docs/routing.md. */
  headroom(now: number): number;
}

/** One counter per route, so round robin spreads each team's traffic evenly on its own. */
export interface Rotation {
  /** The route's next turn number (0, 1, 2, ...). */
  next(routeKey: string): number;
}

export interface StrategyContext {
  /** The route the request follows: its team id, or '' for the default routing. */
  readonly routeKey: string;
  /** Who is asking: the user id, else the key id. Sticky routing hashes it. */
  readonly userKey: string;
  readonly now: number;
  health(id: string): HealthView;
  /** Round robin's per-route counters, owned by the caller (one per pool). */
  readonly rotation: Rotation;
}

/** Orders the available candidates; the index appends the unavailable ones. */
export type Strategy = <T extends { id: string }>(available: readonly T[], context: StrategyContext) => T[];
