/**
 * Stage 2, authenticate: the caller's credential (x-api-key or Bearer) becomes a principal, or a
 * 401. Routes that take a body run it as an onRequest hook, on the headers alone, so a caller
 * without a valid credential is refused before the gateway reads (or waits for) its body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Authenticator, Principal } from '../../identity/authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller of a data-plane route that authenticates on headers (null before the hook ran). */
    ccagPrincipal: Principal | null;
  }
}

export async function authenticate(authenticator: Authenticator, request: FastifyRequest): Promise<Principal> {
  return authenticator.authenticate(request.headers);
}

/** Declares the request field the hook fills (once per plugin, so every request has the same shape). */
export function declarePrincipal(app: FastifyInstance): void {
  app.decorateRequest('ccagPrincipal', null);
}

/** The onRequest hook: callback style, so a key resolved from memory costs no promise. */
export function authenticateOnHeaders(authenticator: Authenticator) {
  return function authenticateOnHeaders(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    let resolved: Principal | Promise<Principal>;
    try {
      resolved = authenticator.authenticate(request.headers);
    } catch (error) {
      return done(error as Error);
    }
    if (!(resolved instanceof Promise)) {
      request.ccagPrincipal = resolved;
      return done();
    }
    resolved.then((principal) => {
      request.ccagPrincipal = principal;
      done();
    }, done);
  };
}

/** The principal the hook found; only routes that declare the hook call this. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.ccagPrincipal === null) throw new Error('authenticateOnHeaders did not run for this route');
  return request.ccagPrincipal;
}
