/**
 * The Anthropic Messages API as a client format: the identity. The body is parsed once for the
 * fields the gateway reads and forwarded as the client's own bytes; replies pass through as sent.
 */
import type { FastifyRequest } from 'fastify';
import { anthropicErrorBody } from '../../errors.js';
import type { UpstreamReply } from '../../upstreams/types.js';
import type { ClientCall, ClientFormat, ClientReply } from '../pipeline/client-format.js';
import { parseMessagesBody } from '../request-body.js';

const NOTHING = new Uint8Array(0);
const identity = (chunk: Uint8Array) => chunk;
const encoder = new TextEncoder();

export const anthropicFormat: ClientFormat = {
  name: 'anthropic',

  parse(request: FastifyRequest): ClientCall {
    const parsed = parseMessagesBody(request.body);
    const queryStart = request.url.indexOf('?');
    return {
      raw: parsed.raw,
      body: parsed.body,
      model: parsed.model,
      streaming: parsed.streaming,
      headers: request.headers,
      // `?beta=true` and any other query go upstream as the client sent them.
      search: queryStart === -1 ? '' : request.url.slice(queryStart),
    };
  },

  present(reply: UpstreamReply): ClientReply {
    return { status: reply.status, headers: reply.headers, encode: identity, end: () => NOTHING };
  },

  error(_status, type, message) {
    return { headers: { 'content-type': 'application/json' }, body: anthropicErrorBody(type, message) };
  },

  streamError(type, message, reply) {
    // A JSON body cut short must not look complete: the connection is dropped instead.
    if (!(reply.headers['content-type'] ?? '').startsWith('text/event-stream')) return null;
    return encoder.encode(`event: error\ndata: ${anthropicErrorBody(type, message)}\n\n`);
  },
};
