/** `least_utilized`: most headroom first; equal headroom keeps the routing's own order. */
import type { Strategy } from './types.js';

export const leastUtilized: Strategy = (available, context) => {
  const headroom = new Map<string, number>();
  for (const candidate of available) headroom.set(candidate.id, context.health(candidate.id).headroom(context.now));
  // Array.prototype.sort is stable, so ties stay in the given order.
  return [...available].sort((a, b) => headroom.get(b.id)! - headroom.get(a.id)!);
};
