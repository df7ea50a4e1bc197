/**
 * Stage 1, request id: every data-plane request gets the id that names it everywhere (ledger row,
 * log lines, the upstream error report), sent back on every response as `x-ccag-request-id`,
 * including the 400/401/404/429 answers made before anything was forwarded.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-ccag-request-id';

declare module 'fastify' {
  interface FastifyRequest {
    /** The gateway's id for a data-plane request (`req_ccag_…`). */
    ccagRequestId: string;
  }
}

export function newRequestId(): string {
  return `req_ccag_${randomUUID().replaceAll('-', '')}`;
}

/** Gives each request of this plugin its id and the response header that carries it. */
export function assignRequestIds(app: FastifyInstance): void {
  app.decorateRequest('ccagRequestId', '');
  app.addHook('onRequest', async (request, reply) => {
    request.ccagRequestId = newRequestId();
    reply.header(REQUEST_ID_HEADER, request.ccagRequestId);
  });
}
