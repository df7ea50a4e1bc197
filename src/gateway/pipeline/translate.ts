/**
 * Stage 5, translate: the client's call (already in the Messages vocabulary) becomes the request
 * an upstream adapter takes. Each adapter then speaks its own wire format: the Anthropic API gets
 * the client's bytes verbatim, Bedrock a translated body with the model id for its region.
 */
import type { InboundRequest } from '../../upstreams/types.js';
import type { ClientCall } from './client-format.js';

export function upstreamRequest(call: ClientCall, requestId: string, signal: AbortSignal): InboundRequest {
  return { requestId, rawBody: call.raw, body: call.body, headers: call.headers, search: call.search, signal };
}
