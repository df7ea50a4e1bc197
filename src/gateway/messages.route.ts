/**
 * POST /v1/messages: authenticate → parse → route → dispatch → relay (metered) → settle in the
 * ledger. Every request that reached an upstream is recorded exactly once, however it ended.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UsageMeter } from '../spend/usage-meter.js';
import type { UpstreamReply } from '../upstreams/types.js';
import { trackClient } from './client-connection.js';
import type { GatewayDeps } from './deps.js';
import { CLIENT_CLOSED, relay, type RelayOutcome } from './relay.js';
import { inboundRequest, parseMessagesBody, sessionIdOf } from './request-body.js';
import { ledgerRowOf } from './settle.js';

export function messagesHandler(deps: GatewayDeps) {
  return async function messages(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const receivedAt = Date.now();
    const principal = await deps.authenticator.authenticate(request.headers);
    const parsed = parseMessagesBody(request.body);
    const endpoint = deps.pool.select({ principal, model: parsed.model });
    const requestId = `req_ccag_${randomUUID().replaceAll('-', '')}`;
    const client = trackClient(reply.raw, deps.inFlight);

    const settle = (outcome: RelayOutcome, upstream: UpstreamReply | null, meter: UsageMeter | null) => {
      const row = ledgerRowOf({
        requestId,
        receivedAt,
        durationMs: performance.now() - startedAt,
        principal,
        endpointId: endpoint.id,
        model: parsed.model,
        streaming: parsed.streaming,
        sessionId: sessionIdOf(request.headers, parsed.body),
        upstream,
        usage: meter?.finish() ?? null,
        outcome,
        pricing: deps.pricing,
      });
      deps.ledger.record(row);
      deps.onSettled?.(row);
    };

    try {
      const upstream = await endpoint.upstream.messages(inboundRequest(request, parsed, requestId, client.signal));
      reply.hijack();
      const meter = new UsageMeter((upstream.headers['content-type'] ?? '').startsWith('text/event-stream'));
      const outcome = await relay(upstream, reply.raw, meter, { startedAt, headers: { 'x-ccag-request-id': requestId }, clientGone: client.gone });
      settle(outcome, upstream, meter);
    } catch (error) {
      // The upstream refused before answering (unknown model, unreachable): nothing was served,
      // unless the client left first, in which case the upstream may have started work.
      if (!client.signal.aborted) throw error;
      settle({ status: CLIENT_CLOSED, firstByteMs: null, errorType: null }, null, null);
    } finally {
      client.release();
    }
  };
}
