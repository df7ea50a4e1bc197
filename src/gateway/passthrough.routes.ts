/**
 * The data-plane calls that are not billed: count_tokens (the upstream's real count) and the
 * model list of the caller's endpoint.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { ModelInfo } from '../upstreams/types.js';
import type { GatewayDeps } from './deps.js';
import { relay } from './relay.js';
import { inboundRequest, parseMessagesBody } from './request-body.js';
import { trackClient } from './client-connection.js';

const MODEL_LIST_TTL_MS = 60_000;
const ignoreChunks = { push() {} };

export function countTokensHandler(deps: GatewayDeps) {
  return async function countTokens(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const principal = await deps.authenticator.authenticate(request.headers);
    const parsed = parseMessagesBody(request.body);
    const endpoint = deps.pool.select({ principal, model: parsed.model });
    const client = trackClient(reply.raw, deps.inFlight);
    try {
      const upstream = await endpoint.upstream.countTokens(inboundRequest(request, parsed, '', client.signal));
      reply.hijack();
      await relay(upstream, reply.raw, ignoreChunks, { startedAt, headers: {}, clientGone: client.gone });
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
        request.log.warn({ err: error, endpoint: endpoint.name }, 'upstream error');
        throw new ApiError('upstream_unreachable', 'The model list could not be read from the upstream.');
      }
      cache.set(endpoint.id, entry);
    }
    const data = entry.models;
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  };
}
