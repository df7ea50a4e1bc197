/** Any failure on the data plane as the gateway's own error (Fastify's included), for a client format to shape. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, anthropicErrorBody } from '../errors.js';
import { fromFrameworkError } from '../http/error-mapping.js';
import { closeIfBodyUnread } from '../http/surface-errors.js';

export function toApiError(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return new ApiError('invalid_request', error.message);
  }
  return fromFrameworkError(error) ?? new ApiError('internal', 'Internal gateway error.');
}

/** For data-plane routes outside the gateway plugin (e.g. /api/oauth/usage): the Anthropic envelope. */
export function renderAnthropicError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
  closeIfBodyUnread(request, reply);
  void reply.code(apiError.status).headers(apiError.headers).type('application/json').send(anthropicErrorBody(apiError.type, apiError.message));
}
