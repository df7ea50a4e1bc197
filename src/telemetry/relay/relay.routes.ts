/**
 * `POST /v1/metrics`, `/v1/logs`, `/v1/traces`: OTLP/HTTP from Claude Code, with the same
 * credential it uses for inference (spec §13). The answer is OTLP success — an empty export
 * response in the request's encoding — whether the batch was queued or dropped, because a client
 * that saw an error would retry into a relay that chose not to forward. Only what the client can
 * fix is refused: a credential (401, Anthropic envelope like the rest of the data plane), a media
 * type or encoding (415), a body that is not an OTLP request (400) or too large (413).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { renderAnthropicError } from '../../gateway/error-renderer.js';
import type { Authenticator, Principal } from '../../identity/authenticator.js';
import { compressionOf } from './payload.js';
import { CONTENT_TYPES, encodingOf, SIGNALS, type Encoding, type Signal } from './signals.js';
import type { TelemetryRelay } from './telemetry-relay.js';

export interface TelemetryRelayRouteDeps {
  readonly authenticator: Authenticator;
  readonly relay: TelemetryRelay;
}

/** ExportServiceResponse with no partial_success: zero bytes in protobuf, `{}` in JSON. */
const SUCCESS: Record<Encoding, Buffer> = { protobuf: Buffer.alloc(0), json: Buffer.from('{}') };

function unsupported(message: string): ApiError {
  return new ApiError('invalid_request', message, { status: 415 });
}

export async function telemetryRelayRoutes(app: FastifyInstance, deps: TelemetryRelayRouteDeps): Promise<void> {
  app.setErrorHandler(renderAnthropicError);
  // Raw bytes of any type: the handler names the supported ones in its 415, and enrichment reads them itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.relay.maxBatchBytes }, (_request, body, done) => done(null, body));

  // Authenticated before the body is read, so an unauthenticated client cannot make the gateway buffer it.
  const principals = new WeakMap<FastifyRequest, Principal>();
  app.addHook('onRequest', async (request) => {
    principals.set(request, await deps.authenticator.authenticate(request.headers));
  });

  const handler = (signal: Signal) => async (request: FastifyRequest<{ Body: Buffer | undefined }>, reply: FastifyReply) => {
    const encoding = encodingOf(request.headers['content-type']);
    if (!encoding) throw unsupported(`OTLP/HTTP ${signal} must be ${CONTENT_TYPES.protobuf} or ${CONTENT_TYPES.json}.`);
    const compression = compressionOf(request.headers['content-encoding']);
    if (!compression) throw unsupported('Content-Encoding must be gzip or absent.');
    const outcome = await deps.relay.relay({ signal, encoding, compression, body: request.body ?? Buffer.alloc(0) }, principals.get(request)!);
    if ('refused' in outcome) throw new ApiError(outcome.refused === 'too_large' ? 'request_too_large' : 'invalid_request', outcome.message);
    return reply.type(CONTENT_TYPES[encoding]).send(SUCCESS[encoding]);
  };
  for (const signal of SIGNALS) app.post<{ Body: Buffer | undefined }>(`/v1/${signal}`, handler(signal));
}
