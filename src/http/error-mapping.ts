/**
 * Failures that are not the gateway's own ApiError, as one: Fastify's framework errors (body
 * parsing, URL decoding, parameter length) and a database that cannot be reached. Each surface
 * then renders the ApiError in its documented shape (docs/errors.md).
 */
import type { FastifyError } from 'fastify';
import { ApiError } from '../errors.js';
import { classifyLedgerError } from '../spend/ledger-errors.js';

/** A Fastify error with a client status (4xx) as an ApiError; undefined for anything else. */
export function fromFrameworkError(error: FastifyError | Error): ApiError | undefined {
  const { code, statusCode } = error as Partial<FastifyError>;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new ApiError('invalid_json', error.message);
  if (code === 'FST_ERR_BAD_URL') return new ApiError('invalid_request', 'The URL is not valid: a path segment is not valid percent-encoding.');
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return new ApiError('uri_too_long', 'A path segment of the URL is too long.');
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return new ApiError('invalid_request', error.message, { status: statusCode });
  return undefined;
}

/**
 * A query that failed because the database is down (refused, reset, timed out, a closed SQLite
 * handle) as a 503 the caller can retry; undefined for any other failure (a bug stays a 500).
 */
export function fromDatabaseOutage(error: unknown): ApiError | undefined {
  if (error instanceof ApiError || classifyLedgerError(error) !== 'unavailable') return undefined;
  return new ApiError('database_unavailable', 'The database cannot be reached right now; retry shortly.');
}
