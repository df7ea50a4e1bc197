/**
 * The one catalogue of errors CCAG itself produces. Every area throws `ApiError`; each Fastify
 * plugin renders it in its own shape (Anthropic envelope on the data plane, `{error:{code,...}}`
 * on the admin API). Codes are stable and documented in docs/errors.md.
 */

/** Anthropic error types, as clients (Claude Code's retry and auto-compaction logic) read them. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'billing_error'
  | 'api_error'
  | 'overloaded_error'
  | 'not_supported';

export const ERROR_CODES = {
  invalid_json: { status: 400, type: 'invalid_request_error' },
  invalid_request: { status: 400, type: 'invalid_request_error' },
  missing_credentials: { status: 401, type: 'authentication_error' },
  invalid_credentials: { status: 401, type: 'authentication_error' },
  forbidden: { status: 403, type: 'permission_error' },
  csrf_failed: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  model_not_found: { status: 404, type: 'not_found_error' },
  conflict: { status: 409, type: 'invalid_request_error' },
  request_too_large: { status: 413, type: 'request_too_large' },
  too_many_attempts: { status: 429, type: 'rate_limit_error' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
  budget_exceeded: { status: 429, type: 'billing_error' },
  budget_throttled: { status: 429, type: 'rate_limit_error' },
  internal: { status: 500, type: 'api_error' },
  no_endpoint: { status: 503, type: 'api_error' },
  upstream_unreachable: { status: 502, type: 'api_error' },
  not_supported: { status: 501, type: 'not_supported' },
  shutting_down: { status: 503, type: 'overloaded_error' },
  budgets_unavailable: { status: 503, type: 'overloaded_error' },
  request_timeout: { status: 408, type: 'invalid_request_error' },
  uri_too_long: { status: 414, type: 'invalid_request_error' },
  headers_too_large: { status: 431, type: 'invalid_request_error' },
  database_unavailable: { status: 503, type: 'overloaded_error' },
} as const satisfies Record<string, { status: number; type: AnthropicErrorType }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ApiError extends Error {
  readonly status: number;
  readonly type: AnthropicErrorType;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { headers?: Record<string, string>; status?: number; type?: AnthropicErrorType } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = options.status ?? ERROR_CODES[code].status;
    this.type = options.type ?? ERROR_CODES[code].type;
    // 501 means "this will never work here": clients must not retry it.
    this.headers = this.status === 501 ? { 'x-should-retry': 'false', ...options.headers } : { ...options.headers };
  }
}

/** Anthropic's error envelope: `{"type":"error","error":{"type":...,"message":...}}`. */
export function anthropicErrorBody(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

/** Maps an HTTP status to the Anthropic error type a client expects for it. */
export function anthropicTypeForStatus(status: number): AnthropicErrorType {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 501) return 'not_supported';
  if (status === 529 || status === 503) return 'overloaded_error';
  return 'api_error';
}
