/**
 * Where replicas' shared configuration changes: every successful write on the control plane (the
 * admin API and portal, SCIM provisioning and deprovisioning, sign-in, device-flow grants and
 * revocations). One hook after the response, rather than a call in each service, so a new route
 * cannot forget to announce; by then its writes have committed, so a replica refreshing at once
 * reads them. The data plane never announces (its writes are spend, not configuration).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { ChangeBus } from './change-bus.js';

const CONTROL_PLANE = ['/admin/', '/scim/', '/auth/', '/oauth/'];
/** A GET that writes: the OIDC callback creates the user, or updates their role from group claims. */
const WRITING_GETS = new Set(['/auth/oidc/callback']);

/** Whether a successful request on this route may have changed what replicas mirror. */
export function mayChangeSharedState(method: string, route: string | undefined): boolean {
  if (route === undefined) return false;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return WRITING_GETS.has(route);
  // A loop, not `.some(...)`: the data plane's POSTs reach this line, and a closure per request would be garbage.
  for (const prefix of CONTROL_PLANE) if (route.startsWith(prefix)) return true;
  return false;
}

/** Adds the hook to the root instance: call before registering the plugins it must cover. */
export function announceWrites(fastify: FastifyInstance, bus: Pick<ChangeBus, 'announce'>): void {
  // A callback hook, not an async one: it runs after every data-plane request too, and allocates nothing there.
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (reply.statusCode < 400 && mayChangeSharedState(request.method, request.routeOptions.url)) bus.announce();
    done();
  });
}
