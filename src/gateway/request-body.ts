/**
 * Reading a Messages API body: parsed once for the fields the gateway needs, while the raw bytes
 * are kept so the Anthropic passthrough forwards exactly what the client sent.
 */
import { ApiError } from '../errors.js';
import type { FastifyRequest } from 'fastify';
import type { InboundRequest, MessagesBody } from '../upstreams/types.js';

export interface ParsedBody {
  readonly raw: Buffer;
  readonly body: MessagesBody;
  readonly model: string;
  readonly streaming: boolean;
}

export function parseMessagesBody(raw: unknown): ParsedBody {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  if (bytes.length === 0) throw new ApiError('invalid_json', 'The request body is empty; send a JSON object.');
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ApiError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('invalid_request', 'The request body must be a JSON object.');
  }
  const messages = body as MessagesBody;
  if (typeof messages.model !== 'string' || messages.model.length === 0) {
    throw new ApiError('invalid_request', 'model: Field required');
  }
  assertMaxTokens(messages);
  return { raw: bytes, body: messages, model: messages.model, streaming: messages.stream === true };
}

/**
 * `max_tokens` prices a budget's worst case, in BigInt past 2^53: a value JSON reads as Infinity
 * (`1e309`), a fraction or a non-number would fail there as a 500, so it is refused here as the
 * 400 the upstream would answer. Absent is allowed (the upstream decides; budgets assume a default).
 */
export function assertMaxTokens(body: { readonly max_tokens?: unknown }): void {
  const value = body.max_tokens;
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ApiError('invalid_request', 'max_tokens: Input should be a positive integer no larger than 9007199254740991.');
  }
}

/** What an upstream receives: the parsed body, the raw bytes, headers and the query as sent. */
export function inboundRequest(request: FastifyRequest, parsed: ParsedBody, requestId: string, signal: AbortSignal): InboundRequest {
  const queryStart = request.url.indexOf('?');
  return {
    requestId,
    rawBody: parsed.raw,
    body: parsed.body,
    headers: request.headers,
    // `?beta=true` and any other query go upstream as the client sent them.
    search: queryStart === -1 ? '' : request.url.slice(queryStart),
    signal,
  };
}
