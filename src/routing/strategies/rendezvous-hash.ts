/**
 * Rendezvous (highest random weight) scores for sticky routing: score(user, endpoint) is a 53-bit
 * hash of the two ids, and a user goes to the endpoint with the highest score. Every replica
 * computes the same scores with no shared state, and adding an endpoint only takes the users for
 * whom the new one scores highest (≈ 1/N of them); removing one only moves its own users.
 *
 * The hash is cyrb53 (two 32-bit multiply-xor lanes with a strong final mix): pure integer
 * arithmetic, identical in every Node process, and streamable, so the user's part is absorbed once
 * per request and each candidate only costs its own id's characters, with no allocation. It runs
 * on every request; see docs/routing.md for its cost next to node:crypto.
 */
const SEED_1 = 0xdeadbeef;
const SEED_2 = 0x41c6ce57;
/** Between the user and the endpoint id, so ("ab", "c") and ("a", "bc") hash differently. */
const SEPARATOR = 0x1f;

/** The hash state after absorbing a user key: computed once per request. */
export interface UserHash {
  readonly h1: number;
  readonly h2: number;
}

export function hashUser(userKey: string): UserHash {
  let h1 = SEED_1;
  let h2 = SEED_2;
  for (let i = 0; i < userKey.length; i++) {
    const ch = userKey.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ SEPARATOR, 2654435761);
  h2 = Math.imul(h2 ^ SEPARATOR, 1597334677);
  return { h1, h2 };
}

/** The user's score for one endpoint, 0 ≤ score < 2^53. */
export function rendezvousScore(user: UserHash, endpointId: string): number {
  let h1 = user.h1;
  let h2 = user.h2;
  for (let i = 0; i < endpointId.length; i++) {
    const ch = endpointId.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
