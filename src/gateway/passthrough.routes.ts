/**
 * The data-plane calls that are not billed: count_tokens (the upstream's real count) and the
 * model list of the caller's endpoint.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { UsageMeter } from '../spend/usage-meter.js';
import type { ModelInfo } from '../upstreams/types.js';
import type { GatewayDeps } from './deps.js';
import { CLIENT_CLOSED, relay } from './relay.js';
import { inboundRequest, parseMessagesBody } from './request-body.js';
import { trackClient } from './client-connection.js';
import { failureOfThrow } from './upstream-failure.js';

const MODEL_LIST_TTL_MS = 60_000;
const ignoreChunks = { push() {} };

export function countTokensHandler(deps: GatewayDeps) {
  return async function countTokens(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const principal = await deps.authenticator.authenticate(request.headers);
    const parsed = parseMessagesBody(request.body);
    const endpoint = deps.pool.select({ principal, model: parsed.model });
    const client = trackClient(reply.raw, deps.inFlight);
    // Not billed, so never in the ledger: its upstream failures are reported from here alone.
    const facts = { requestId: null, endpointId: endpoint.id, endpointName: endpoint.name, model: parsed.model, settled: false };
    try {
      const upstream = await endpoint.upstream.countTokens(inboundRequest(request, parsed, '', client.signal));
      reply.hijack();
      // Only an error body is read, for its type and message (the meter knows the error shape).
      const errorBody = upstream.status >= 400 ? new UsageMeter(false) : undefined;
      const outcome = await relay(upstream, reply.raw, errorBody ?? ignoreChunks, { startedAt, headers: {}, clientGone: client.gone });
      const error = errorBody?.finish();
      const errorType = outcome.errorType ?? error?.errorType ?? null;
      if (errorType !== null && outcome.status !== CLIENT_CLOSED) {
        deps.onUpstreamFailure?.({ ...facts, status: outcome.status, errorType, message: error?.errorMessage ?? null });
      }
    } catch (error) {
      const failure = client.signal.aborted ? undefined : failureOfThrow(error);
      if (failure) deps.onUpstreamFailure?.({ ...facts, ...failure });
      throw error;
    } finally {
      client.release();
    }
  };
}

export function modelsHandler(deps: GatewayDeps) {
  const cache = new Map<string, { at: number; models: ModelInfo[] }>();
  return async function listModels(request: FastifyRequest) {
    const principal = await deps.authenticator.authenticate(request.headers);
    const endpoint = deps.pool.select({ principal, model: '' });
    let entry = cache.get(endpoint.id);
    if (!entry || Date.now() - entry.at > MODEL_LIST_TTL_MS) {
      try {
        entry = { at: Date.now(), models: await endpoint.upstream.listModels(AbortSignal.timeout(15_000)) };
      } catch (error) {
        const failure = new ApiError('upstream_unreachable', 'The model list could not be read from the upstream.');
        // The operator's log gets the cause; the client only the fact.
        deps.onUpstreamFailure?.({
          requestId: null,
          endpointId: endpoint.id,
          endpointName: endpoint.name,
          model: null,
          status: failure.status,
          errorType: failure.code,
          message: (error as Error).message,
          settled: false,
        });
        throw failure;
      }
      cache.set(endpoint.id, entry);
    }
    const data = entry.models;
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  };
}
