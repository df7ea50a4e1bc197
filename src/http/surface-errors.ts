/**
 * Errors raised before any plugin's error handler can see them, in the shape of the surface the
 * request was for: Fastify's framework errors (a URL that does not decode, a path segment over
 * the length limit) and the HTTP parser's (headers over the size limit, a request not received in
 * time). The surface is read from the path: /admin answers in the admin shape, /scim in SCIM's,
 * Bedrock's routes as AWS errors, everything else in the Anthropic envelope (docs/errors.md).
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, anthropicErrorBody } from '../errors.js';
import { bedrockError } from '../gateway/formats/bedrock/index.js';
import { SCIM_CONTENT_TYPE, ScimError } from '../identity/scim/scim-errors.js';
import { fromFrameworkError } from './error-mapping.js';

export type Surface = 'anthropic' | 'bedrock' | 'admin' | 'scim';

function under(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === '/' || path[prefix.length] === '?');
}

export function surfaceOf(path: string): Surface {
  if (under(path, '/admin')) return 'admin';
  if (under(path, '/scim')) return 'scim';
  if (path.startsWith('/model/') || under(path, '/inference-profiles')) return 'bedrock';
  return 'anthropic';
}

/** The admin API's error body, `{"error":{"code","message"}}`. */
export function adminErrorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export interface ShapedError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function shapeError(surface: Surface, error: ApiError): ShapedError {
  if (surface === 'admin') {
    return { status: error.status, headers: { ...error.headers, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(adminErrorBody(error.code, error.message)) };
  }
  if (surface === 'scim') {
    return { status: error.status, headers: { ...error.headers, 'content-type': SCIM_CONTENT_TYPE }, body: JSON.stringify(new ScimError(error.status, error.message).toBody()) };
  }
  if (surface === 'bedrock') {
    const shaped = bedrockError(error.status, error.type, error.message);
    return { status: shaped.status, headers: { ...error.headers, ...shaped.headers }, body: shaped.body };
  }
  return { status: error.status, headers: { ...error.headers, 'content-type': 'application/json' }, body: anthropicErrorBody(error.type, error.message) };
}

/**
 * An error answered while the client may still be sending a body no one has read (a refused
 * credential, a drain) closes the connection: otherwise Node would keep reading and discarding
 * whatever the client sends, for as long as it sends it.
 */
export function closeIfBodyUnread(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  if (raw.headers['transfer-encoding'] !== undefined || (raw.headers['content-length'] ?? '0') !== '0') void reply.header('connection', 'close');
}

/** Fastify's `frameworkErrors`: a URL it could not route, answered in its surface's shape. */
export function renderFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = fromFrameworkError(error) ?? new ApiError('internal', 'Internal error.');
  if (apiError.status >= 500) request.log.error({ err: error }, 'request failed before routing');
  const shaped = shapeError(surfaceOf(request.url), apiError);
  closeIfBodyUnread(request, reply);
  void reply.code(shaped.status).headers(shaped.headers).send(shaped.body);
}

/** What the HTTP parser's error means for the client (Node's `clientError` codes). */
function parserApiError(code: string | undefined, limits: ParserLimits): ApiError {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new ApiError('headers_too_large', `The request headers exceed ${limits.maxHeaderBytes} bytes (CCAG_MAX_HEADER_BYTES).`);
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new ApiError('request_timeout', `The request was not received within ${limits.requestTimeoutMs} ms (CCAG_REQUEST_BODY_TIMEOUT_MS); send the whole request promptly.`);
  }
  return new ApiError('invalid_request', 'The HTTP request is malformed.');
}

export interface ParserLimits {
  readonly maxHeaderBytes: number;
  readonly requestTimeoutMs: number;
}

/** Node's own fields: the response in progress on a socket, and its request. */
interface HttpSocket extends Socket {
  _httpMessage?: { _headerSent?: boolean; req?: { url?: string } };
}

const REQUEST_LINE = /^[A-Z]+ (\/\S*)/;

/**
 * Fastify's `clientErrorHandler`: the parser refused a request (headers too large, malformed) or
 * Node's request timeout fired. Written on the raw socket, like Node's own answer, but in the
 * surface's shape, and only when no response has started on it (anything else would corrupt it).
 */
export function parserErrorHandler(limits: ParserLimits) {
  return function parserErrorHandler(error: ConnectionError, socket: Socket): void {
    const http = socket as HttpSocket;
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (!socket.writable || http._httpMessage?._headerSent) {
      socket.destroy();
      return;
    }
    // Node hands the bytes it failed on as a Buffer (Fastify's type says otherwise).
    const packet: unknown = error.rawPacket;
    const requestLine = Buffer.isBuffer(packet) ? packet.toString('latin1', 0, 2048) : '';
    const path = http._httpMessage?.req?.url ?? REQUEST_LINE.exec(requestLine)?.[1] ?? '/';
    const shaped = shapeError(surfaceOf(path), parserApiError(error.code, limits));
    let head = `HTTP/1.1 ${shaped.status} ${STATUS_CODES[shaped.status] ?? 'Error'}\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(shaped.body)}\r\n`;
    for (const [name, value] of Object.entries(shaped.headers)) head += `${name}: ${value}\r\n`;
    // end(), not destroy(): the answer is flushed before the connection closes.
    socket.end(`${head}\r\n${shaped.body}`, () => socket.destroy());
  };
}
