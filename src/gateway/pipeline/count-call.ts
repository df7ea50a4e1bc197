/**
 * `count_tokens` (Anthropic `/v1/messages/count_tokens`, Bedrock `/model/{id}/count-tokens`): the
 * upstream's real count, never billed, so it skips admission and settlement:
 *
 *   request id → authenticate → check policy → select endpoint → translate → dispatch → relay
 *
 * Not being in the ledger, its upstream failures are reported from here alone.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UsageMeter } from '../../spend/usage-meter.js';
import { trackClient } from '../client-connection.js';
import type { GatewayDeps } from '../deps.js';
import { failureOfThrow } from '../upstream-failure.js';
import { principalOf } from './authenticate.js';
import { checkPolicy } from './check-policy.js';
import type { ClientFormat } from './client-format.js';
import { dispatch } from './dispatch.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { CLIENT_CLOSED, relay } from './relay.js';
import { selectEndpoints } from './select-endpoint.js';
import { upstreamRequest } from './translate.js';

const ignoreChunks = { push() {} };

export function countCall(deps: GatewayDeps, format: ClientFormat) {
  return async function handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const requestId = request.ccagRequestId;
    const principal = principalOf(request);
    const call = format.parse(request);
    // Counting is not a session's turn: only the allowlist applies.
    checkPolicy(deps.policy, principal, call.model, { id: null, headers: request.headers, now: Date.now() });
    const candidates = await selectEndpoints(deps.router, principal, call);
    const client = trackClient(reply.raw, deps.inFlight);
    let servedBy = candidates[0]!;
    const facts = () => ({ requestId: null, endpointId: servedBy.id, endpointName: servedBy.name, model: call.model, settled: false });
    try {
      const { reply: upstream, attempt } = await dispatch(candidates, (endpoint) => ((servedBy = endpoint), endpoint.upstream.countTokens(upstreamRequest(call, requestId, client.signal))), {
        signal: client.signal,
        deadline: startedAt + deps.failoverDeadlineMs,
        onFailover: (from, to, reason) => deps.router.failedOver(from, to, reason),
      });
      reply.hijack();
      // Only an error body is read, for its type and message (the meter knows the error shape).
      const errorBody = upstream.status >= 400 ? new UsageMeter(false) : undefined;
      const outcome = await relay(upstream, reply.raw, errorBody ?? ignoreChunks, { format, call, startedAt, headers: { [REQUEST_ID_HEADER]: requestId }, clientGone: client.gone, stallTimeoutMs: deps.clientStallTimeoutMs });
      if (outcome.status === CLIENT_CLOSED) attempt.abandoned();
      else attempt.succeeded(upstream.headers);
      const error = errorBody?.finish();
      const errorType = outcome.errorType ?? error?.errorType ?? null;
      if (errorType !== null && outcome.status !== CLIENT_CLOSED) {
        deps.onUpstreamFailure?.({ ...facts(), status: outcome.status, errorType, message: error?.errorMessage ?? null });
      }
    } catch (error) {
      const failure = client.signal.aborted ? undefined : failureOfThrow(error);
      if (failure) deps.onUpstreamFailure?.({ ...facts(), ...failure });
      throw error;
    } finally {
      client.release();
    }
  };
}
