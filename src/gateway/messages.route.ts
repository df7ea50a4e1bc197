/**
 * POST /v1/messages: authenticate → parse → route → dispatch → relay (metered) → settle in the
 * ledger. Every request that reached an upstream is recorded exactly once, however it ended.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, anthropicErrorBody } from '../errors.js';
import { UsageMeter } from '../spend/usage-meter.js';
import { UpstreamStreamError, type InboundRequest, type UpstreamReply } from '../upstreams/types.js';
import type { GatewayDeps } from './deps.js';
import { relay } from './relay.js';
import { parseMessagesBody, sessionIdOf } from './request-body.js';
import { ledgerRowOf } from './settle.js';

/** 499: the client closed the connection before the response ended (nginx's convention). */
const CLIENT_CLOSED = 499;

export function messagesHandler(deps: GatewayDeps) {
  return async function messages(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const receivedAt = Date.now();
    const principal = deps.authenticator.authenticate(request.headers);
    const parsed = parseMessagesBody(request.body);
    const endpoint = deps.pool.select({ principal, model: parsed.model });

    const requestId = `req_ccag_${randomUUID().replaceAll('-', '')}`;
    const controller = new AbortController();
    const res = reply.raw;
    const clientGone = () => res.destroyed && !res.writableFinished;
    const onClose = () => {
      if (!res.writableFinished) controller.abort(new Error('client disconnected'));
    };
    res.on('close', onClose);
    deps.inFlight.add(controller);

    const inbound: InboundRequest = {
      requestId,
      rawBody: parsed.raw,
      body: parsed.body,
      headers: request.headers,
      search: request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '',
      signal: controller.signal,
    };
    const settle = (fields: Parameters<typeof ledgerRowOf>[0]['outcome'], meter: UsageMeter | null, upstream: UpstreamReply | null) => {
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
        outcome: fields,
        pricing: deps.pricing,
      });
      deps.ledger.record(row);
      deps.onSettled?.(row);
    };

    let upstream: UpstreamReply | null = null;
    try {
      upstream = await endpoint.upstream.messages(inbound);
      reply.hijack();
      const meter = new UsageMeter((upstream.headers['content-type'] ?? '').startsWith('text/event-stream'));
      const outcome = await relay(upstream, res, meter, {
        startedAt,
        headers: { 'x-ccag-request-id': requestId },
        clientGone,
      }).catch((error: unknown) => {
        // Failed before the first byte: the client still gets a real status, in Anthropic shape.
        const status = error instanceof ApiError ? error.status : 502;
        const type = error instanceof UpstreamStreamError || error instanceof ApiError ? error.type : 'api_error';
        const message = error instanceof Error && (error instanceof ApiError || error instanceof UpstreamStreamError) ? error.message : 'The upstream failed before answering.';
        if (!res.headersSent && !clientGone()) {
          res.writeHead(status, { 'content-type': 'application/json', 'x-ccag-request-id': requestId });
          res.end(anthropicErrorBody(type, message));
        }
        return { firstByteMs: null, clientAborted: clientGone(), midStreamError: type, status };
      });
      const status = outcome.clientAborted ? CLIENT_CLOSED : 'status' in outcome ? outcome.status : upstream.status;
      settle({ status, ttftMs: outcome.firstByteMs, errorType: outcome.midStreamError }, meter, upstream);
    } catch (error) {
      if (controller.signal.aborted) {
        settle({ status: CLIENT_CLOSED, ttftMs: null, errorType: null }, null, upstream);
        return;
      }
      // The upstream refused before answering (unknown model, unreachable): nothing was served.
      throw error;
    } finally {
      res.off('close', onClose);
      deps.inFlight.delete(controller);
    }
  };
}
