/**
 * The wire format a client speaks. The pipeline works in one vocabulary, the Anthropic Messages
 * API: a format reads its client's request into a Messages call, and presents the Anthropic-shaped
 * upstream reply (and the gateway's own errors) back in the client's format. `/v1/messages` is the
 * identity format; Bedrock's `/model/{id}/invoke…` is another (src/gateway/formats/bedrock/).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { MessagesBody, UpstreamReply } from '../../upstreams/types.js';

/** A client's request, read into the Messages API. */
export interface ClientCall {
  /** Messages API body bytes, as the Anthropic upstream should receive them. */
  readonly raw: Buffer;
  /** The parsed Messages body; `model` and `stream` are set. */
  readonly body: MessagesBody;
  /** The model name the client asked for (replies and the ledger carry it). */
  readonly model: string;
  readonly streaming: boolean;
  /** Headers as an Anthropic client would have sent them (lower-case names), e.g. `anthropic-beta`. */
  readonly headers: IncomingHttpHeaders;
  /** Query string for the upstream, including the `?`, or ''. */
  readonly search: string;
}

/** How one reply is written to the client: status, headers, and a per-request body encoder. */
export interface ClientReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Client bytes for one upstream chunk (Anthropic SSE or JSON); may be empty while it buffers. */
  encode(chunk: Uint8Array): Uint8Array;
  /** Bytes still owed at the end of the upstream body (a buffered tail), possibly empty. */
  end(): Uint8Array;
}

export interface ClientFormat {
  readonly name: 'anthropic' | 'bedrock';
  /** Reads the request (body already a Buffer). Throws ApiError for input the gateway refuses. */
  parse(request: FastifyRequest): ClientCall;
  /** Presents an upstream reply (Anthropic SSE, Anthropic JSON, or an Anthropic error body). */
  present(reply: UpstreamReply, call: ClientCall): ClientReply;
  /**
   * A gateway-made error (before any byte was sent) in this client's shape; `status` when the
   * format answers it with another status than the gateway's (e.g. Bedrock's for an exception).
   */
  error(status: number, type: string, message: string): { status?: number; headers: Record<string, string>; body: string };
  /**
   * A failure after the first byte of a streamed reply: the bytes that tell the client (an SSE
   * `error` event, an event-stream exception frame), or null when the connection must be dropped.
   */
  streamError(type: string, message: string, reply: ClientReply): Uint8Array | null;
}
