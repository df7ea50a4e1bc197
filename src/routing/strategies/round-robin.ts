/** `round_robin`: each request of a route starts one further along its available endpoints. */
import type { Rotation, Strategy } from './types.js';

export const roundRobin: Strategy = (available, context) => {
  if (available.length === 0) return [];
  const start = context.rotation.next(context.routeKey) % available.length;
  return [...available.slice(start), ...available.slice(0, start)];
};

/**
 * The per-route counters. Routes are teams (bounded by the admin), so the map stays small; the
 * counter wraps well before losing integer precision.
 */
export class RouteRotation implements Rotation {
  private readonly turns = new Map<string, number>();

  next(routeKey: string): number {
    const turn = this.turns.get(routeKey) ?? 0;
    this.turns.set(routeKey, (turn + 1) % Number.MAX_SAFE_INTEGER);
    return turn;
  }
}
