/**
 * `sticky_user`: each user's endpoints in the order of their rendezvous scores. A user keeps
 * landing on the same endpoint, so its prompt cache keeps hitting; when that endpoint is
 * unavailable the index moves it behind the others and the user's next-highest takes over, and
 * once it recovers it is first again.
 */
import { hashUser, rendezvousScore } from './rendezvous-hash.js';
import type { Strategy } from './types.js';

export const stickyUser: Strategy = (available, context) => {
  const user = hashUser(context.userKey);
  const scores = new Map<string, number>();
  for (const candidate of available) scores.set(candidate.id, rendezvousScore(user, candidate.id));
  // Equal scores (practically impossible at 53 bits) fall back to the id, so the order is total.
  return [...available].sort((a, b) => scores.get(b.id)! - scores.get(a.id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
};
