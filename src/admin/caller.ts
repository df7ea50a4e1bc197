/** Who is calling a route, for the access policy, and the option that opens a route to members. */
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../identity/access-policy.js';

/** Route options of the routes members may use (see src/identity/access-policy.ts). */
export const selfService = { config: { access: 'member' } } as const;

/** The caller as the access policy sees it (set by the admin plugin's auth hook). */
export const callerOf = (request: FastifyRequest): Caller => {
  const user = request.adminUser!;
  return { userId: user.userId, email: user.email, role: user.role };
};
