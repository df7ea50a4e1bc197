/**
 * A billed data-plane call (`POST /v1/messages`, Bedrock's invoke and invoke-with-response-stream)
 * as its declared stages, top to bottom:
 *
 *   request id → authenticate → check policy → admit → select endpoint → translate → dispatch → relay → meter and settle
 *
 * Each stage is a function in its own file; this one only runs them in order. An explicit
 * composition rather than Fastify hooks, because dispatch loops back over select's candidates
 * (failover) and settlement must see every way the later stages end — a hook chain expresses
 * neither. A request refused by a stage never reaches the next one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { attributionOf } from '../attribution.js';
import { trackClient } from '../client-connection.js';
import { failureOfThrow } from '../upstream-failure.js';
import type { GatewayDeps } from '../deps.js';
import { admit } from './admit.js';
import { principalOf } from './authenticate.js';
import { checkPolicy } from './check-policy.js';
import type { ClientFormat } from './client-format.js';
import { dispatch } from './dispatch.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { CLIENT_CLOSED, relay, type RelayOutcome } from './relay.js';
import { selectEndpoints } from './select-endpoint.js';
import { upstreamRequest } from './translate.js';
import type { EndpointAttempt, RoutedEndpoint } from '../../routing/router.js';
import type { UpstreamReply } from '../../upstreams/types.js';

/**
 * A capped caller must see only the gateway's usage-limit headers, not the upstream account's
 * (spec §13). A copy: routing still reads the upstream's own headers for the endpoint's headroom.
 */
function withoutUpstreamRateLimits(upstream: UpstreamReply): UpstreamReply {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(upstream.headers)) if (!name.startsWith('anthropic-ratelimit-')) headers[name] = value;
  return { ...upstream, headers };
}

/** What the relay's ending says about the endpoint that served it. */
function reportEnding(attempt: EndpointAttempt, outcome: RelayOutcome, headers: Readonly<Record<string, string>>): void {
  if (outcome.status === CLIENT_CLOSED) attempt.abandoned();
  else if (outcome.errorType === 'rate_limit_error') attempt.throttled(headers, 'throttled');
  else if (outcome.errorType === 'overloaded_error') attempt.throttled(headers, 'overloaded');
  else if (outcome.errorType !== null) attempt.failed('server_error');
  else attempt.succeeded(headers);
}

export function billedCall(deps: GatewayDeps, format: ClientFormat) {
  return async function handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const receivedAt = Date.now();
    const requestId = request.ccagRequestId;
    const principal = principalOf(request);
    const call = format.parse(request);
    deps.onRequestBody?.(call.model, call.raw.length);
    const attribution = attributionOf(request.headers, call.body, deps.billingGroupTagKey);
    checkPolicy(deps.policy, principal, call.model, { id: attribution.sessionId, headers: request.headers, now: receivedAt });
    const admission = await admit(deps.governor, deps.pricing, principal, call, receivedAt);
    const settlement = deps.settler.begin(
      { requestId, receivedAt, startedAt, principal, model: call.model, streaming: call.streaming, attribution, body: call.body },
      admission,
    );
    let candidates;
    try {
      candidates = await selectEndpoints(deps.router, principal, call);
    } catch (error) {
      settlement.notServed();
      throw error;
    }
    const client = trackClient(reply.raw, deps.inFlight);
    let servedBy = candidates[0]!;
    try {
      const send = (endpoint: RoutedEndpoint) => {
        servedBy = endpoint;
        const upstreamCall = upstreamRequest(call, requestId, client.signal);
        // Web search wraps the endpoint's call: it decides per request (Bedrock + web_search tool) whether to loop.
        return deps.webSearch ? deps.webSearch.messages(endpoint.upstream, upstreamCall, principal) : endpoint.upstream.messages(upstreamCall);
      };
      const dispatched = await dispatch(candidates, send, {
        signal: client.signal,
        deadline: startedAt + deps.failoverDeadlineMs,
        onFailover: (from, to, reason) => deps.router.failedOver(from, to, reason),
      });
      const upstream = dispatched.reply;
      deps.onUpstreamReply?.(dispatched.endpoint.id, upstream.headers);
      const toClient = admission.capped ? withoutUpstreamRateLimits(upstream) : upstream;
      reply.hijack();
      const outcome = await relay(toClient, reply.raw, settlement.meterFor(upstream), {
        format,
        call,
        startedAt,
        headers: { ...admission.headers, [REQUEST_ID_HEADER]: requestId },
        clientGone: client.gone,
        // The row is recorded (and in the write-ahead journal) before the client sees the end.
        beforeEnd: (ending) => settlement.served(dispatched.endpoint, ending, upstream),
        stallTimeoutMs: deps.clientStallTimeoutMs,
      });
      reportEnding(dispatched.attempt, outcome, upstream.headers);
      // A client that left is billed here: served() is a no-op when beforeEnd already ran.
      settlement.served(dispatched.endpoint, outcome, upstream);
    } catch (error) {
      // No endpoint answered (unreachable, unknown model): nothing was served, unless the client
      // left first, in which case the upstream may have started work and the request is billed.
      if (!client.signal.aborted) {
        settlement.notServed();
        const failure = failureOfThrow(error);
        if (failure) deps.onUpstreamFailure?.({ requestId, endpointId: servedBy.id, endpointName: servedBy.name, model: call.model, ...failure, settled: false });
        throw error;
      }
      settlement.served(servedBy, { status: CLIENT_CLOSED, firstByteMs: null, errorType: null }, null);
    } finally {
      client.release();
    }
  };
}
