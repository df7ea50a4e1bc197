/** Any failure on the data plane as the gateway's own error (Fastify's included), for a client format to shape. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, anthropicErrorBody } from '../errors.js';

export function toApiError(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return new ApiError('invalid_request', error.message);
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new ApiError('invalid_request', error.message, { status });
  return new ApiError('internal', 'Internal gateway error.');
}

/** For data-plane routes outside the gateway plugin (e.g. /api/oauth/usage): the Anthropic envelope. */
export function renderAnthropicError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.code(apiError.status).headers(apiError.headers).type('application/json').send(anthropicErrorBody(apiError.type, apiError.message));
}
