/**
 * Stage 6, dispatch: send the request to the first candidate endpoint; when it is throttled,
 * overloaded, failing or unreachable before anything reached the client, tell routing (which
 * cools the endpoint down) and try the next candidate, within a total deadline. The reply that
 * comes back is either a good one or the last failure, which the client then gets as it is.
 * Failover never happens after the first byte: relay owns the reply from here.
 */
import { ApiError } from '../../errors.js';
import type { EndpointAttempt, FailoverReason, RoutedEndpoint } from '../../routing/router.js';
import type { UpstreamReply } from '../../upstreams/types.js';

export interface Dispatched {
  readonly endpoint: RoutedEndpoint;
  readonly reply: UpstreamReply;
  /** Routing's record of this call: told how it ends once relay is done. */
  readonly attempt: EndpointAttempt;
}

export interface DispatchOptions {
  readonly signal: AbortSignal;
  /** `performance.now()` after which no further endpoint is tried. */
  readonly deadline: number;
  readonly onFailover: (from: RoutedEndpoint, to: RoutedEndpoint, reason: FailoverReason) => void;
}

/** Why an answer may be retried on another endpoint; null when it is the request's own fault or a success. */
export function failoverReasonOf(status: number): FailoverReason | null {
  if (status === 429) return 'throttled';
  if (status === 529 || status === 503) return 'overloaded';
  if (status >= 500) return 'server_error';
  return null;
}

/** An error reply is small: read it to the end so its connection goes back to the pool. */
async function discard(reply: UpstreamReply): Promise<void> {
  try {
    for await (const _chunk of reply.body) {
      // draining
    }
  } catch {
    // The reply is dropped either way.
  }
}

export async function dispatch(
  candidates: readonly RoutedEndpoint[],
  send: (endpoint: RoutedEndpoint) => Promise<UpstreamReply>,
  options: DispatchOptions,
): Promise<Dispatched> {
  for (let index = 0; ; index += 1) {
    const endpoint = candidates[index]!;
    const next = candidates[index + 1];
    const canFailOver = () => next !== undefined && !options.signal.aborted && performance.now() < options.deadline;
    const attempt = endpoint.begin();
    let reply: UpstreamReply;
    try {
      reply = await send(endpoint);
    } catch (error) {
      // Only an unreachable upstream is the endpoint's fault; the rest (bad model, client gone) is not.
      if (!(error instanceof ApiError && error.code === 'upstream_unreachable')) {
        attempt.abandoned();
        throw error;
      }
      attempt.failed('unreachable');
      if (!canFailOver()) throw error;
      options.onFailover(endpoint, next!, 'unreachable');
      continue;
    }
    const reason = failoverReasonOf(reply.status);
    if (reason === null) return { endpoint, reply, attempt };
    if (reason === 'throttled' || reason === 'overloaded') attempt.throttled(reply.headers, reason);
    else attempt.failed(reason);
    if (!canFailOver()) return { endpoint, reply, attempt };
    await discard(reply);
    options.onFailover(endpoint, next!, reason);
  }
}
