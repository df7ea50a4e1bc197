/** Stage 2, authenticate: the caller's credential (x-api-key or Bearer) becomes a principal, or a 401. */
import type { FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from '../../identity/authenticator.js';

export async function authenticate(authenticator: Authenticator, request: FastifyRequest): Promise<Principal> {
  return authenticator.authenticate(request.headers);
}
