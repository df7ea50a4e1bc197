/** `priority`: the endpoints in the order the routing lists them; the first available serves. */
import type { Strategy } from './types.js';

export const priority: Strategy = (available) => [...available];
