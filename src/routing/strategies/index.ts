/**
 * The full failover order of a request: the available candidates in the strategy's order, then
 * the unavailable ones (cooling, probing with a probe in flight, unhealthy) as a last resort,
 * soonest available first. The caller tries them in turn until one answers.
 */
import { leastUtilized } from './least-utilized.js';
import { priority } from './priority.js';
import { roundRobin } from './round-robin.js';
import { stickyUser } from './sticky-user.js';
import type { RoutingStrategy, Strategy, StrategyContext } from './types.js';

export { ROUTING_STRATEGIES, type HealthView, type Rotation, type RoutingStrategy, type StrategyContext } from './types.js';
export { RouteRotation } from './round-robin.js';

const STRATEGIES: Readonly<Record<RoutingStrategy, Strategy>> = {
  sticky_user: stickyUser,
  round_robin: roundRobin,
  priority,
  least_utilized: leastUtilized,
};

export function orderCandidates<T extends { id: string }>(strategy: RoutingStrategy, candidates: readonly T[], context: StrategyContext): T[] {
  const available: T[] = [];
  const waiting: { candidate: T; at: number }[] = [];
  for (const candidate of candidates) {
    const health = context.health(candidate.id);
    if (health.available(context.now)) available.push(candidate);
    else waiting.push({ candidate, at: health.availableAt(context.now) });
  }
  const ordered = STRATEGIES[strategy](available, context);
  // Stable: equal times (e.g. two unhealthy endpoints, both Infinity) keep the given order.
  waiting.sort((a, b) => (a.at === b.at ? 0 : a.at - b.at));
  for (const { candidate } of waiting) ordered.push(candidate);
  return ordered;
}
