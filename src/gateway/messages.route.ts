/**
 * POST /v1/messages: authenticate → parse → route → dispatch → relay (metered) → settle in the
 * ledger. Every request that reached an upstream is recorded exactly once, however it ended.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UsageMeter } from '../spend/usage-meter.js';
import type { UpstreamReply } from '../upstreams/types.js';
import { trackClient } from './client-connection.js';
import { estimateInputTokens, worstCaseMicros } from '../limits/worst-case.js';
import type { GatewayDeps } from './deps.js';
import { CLIENT_CLOSED, relay, type RelayOutcome } from './relay.js';
import { inboundRequest, parseMessagesBody, sessionIdOf } from './request-body.js';
import { ledgerRowOf } from './settle.js';
import { failureOfThrow } from './upstream-failure.js';

/** A capped caller must see only the gateway's usage-limit headers, not the upstream account's (spec §13). */
function dropUpstreamRateLimitHeaders(headers: Record<string, string>): void {
  for (const name of Object.keys(headers)) if (name.startsWith('anthropic-ratelimit-')) delete headers[name];
}

export function messagesHandler(deps: GatewayDeps) {
  return async function messages(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const receivedAt = Date.now();
    const principal = await deps.authenticator.authenticate(request.headers);
    const parsed = parseMessagesBody(request.body);
    deps.onRequestBody?.(parsed.model, parsed.raw.length);
    const endpoint = deps.pool.select({ principal, model: parsed.model });
    const admission = await deps.governor.admit({
      principal,
      model: parsed.model,
      worstCaseMicros: () => worstCaseMicros(deps.pricing, parsed.model, parsed.body, parsed.raw.length),
      estimatedInputTokens: estimateInputTokens(parsed.raw.length),
      now: receivedAt,
    });
    const requestId = `req_ccag_${randomUUID().replaceAll('-', '')}`;
    const client = trackClient(reply.raw, deps.inFlight);
    // Who an upstream failure of this request concerns; the outcome adds how it failed.
    const facts = { requestId, endpointId: endpoint.id, endpointName: endpoint.name, model: parsed.model };

    const settle = (outcome: RelayOutcome, upstream: UpstreamReply | null, meter: UsageMeter | null) => {
      const usage = meter?.finish() ?? null;
      const row = ledgerRowOf({
        requestId,
        receivedAt,
        durationMs: performance.now() - startedAt,
        principal,
        endpointId: endpoint.id,
        model: parsed.model,
        streaming: parsed.streaming,
        sessionId: sessionIdOf(request.headers, parsed.body),
        requestBody: parsed.body,
        upstream,
        usage,
        outcome,
        pricing: deps.pricing,
      });
      deps.ledger.record(row);
      admission.settle({ costMicros: row.cost_micros, tokens: row.input_tokens + row.output_tokens });
      deps.onSettled?.(row);
      if (row.error_type !== null) {
        deps.onUpstreamFailure?.({ ...facts, status: row.status, errorType: row.error_type, message: usage?.errorMessage ?? null, settled: true });
      }
    };

    try {
      const upstream = await endpoint.upstream.messages(inboundRequest(request, parsed, requestId, client.signal));
      deps.onUpstreamReply?.(endpoint.id, upstream.headers);
      if (admission.capped) dropUpstreamRateLimitHeaders(upstream.headers);
      reply.hijack();
      const meter = new UsageMeter((upstream.headers['content-type'] ?? '').startsWith('text/event-stream'));
      const outcome = await relay(upstream, reply.raw, meter, { startedAt, headers: { ...admission.headers, 'x-ccag-request-id': requestId }, clientGone: client.gone });
      settle(outcome, upstream, meter);
    } catch (error) {
      // The upstream refused before answering (unknown model, unreachable): nothing was served,
      // unless the client left first, in which case the upstream may have started work.
      if (!client.signal.aborted) {
        admission.release();
        const failure = failureOfThrow(error);
        if (failure) deps.onUpstreamFailure?.({ ...facts, ...failure, settled: false });
        throw error;
      }
      settle({ status: CLIENT_CLOSED, firstByteMs: null, errorType: null }, null, null);
    } finally {
      client.release();
    }
  };
}
