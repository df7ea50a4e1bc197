/**
 * Anthropic error types → the exceptions Bedrock clients know. The AWS SDK reads the exception
 * name from the `x-amzn-errortype` header (then the body's `code` / `__type`) and the message from
 * the body's `message`; Claude Code's Bedrock client (Anthropic's bedrock-sdk) reads the status,
 * `x-should-retry` and `retry-after`, and shows the body's `message`.
 */
import type { StreamExceptionMember } from './frames.js';

export interface BedrockException {
  readonly name: string;
  readonly status: number;
}

const BY_TYPE: Readonly<Record<string, BedrockException>> = {
  rate_limit_error: { name: 'ThrottlingException', status: 429 },
  overloaded_error: { name: 'ServiceUnavailableException', status: 503 },
  invalid_request_error: { name: 'ValidationException', status: 400 },
  not_found_error: { name: 'ResourceNotFoundException', status: 404 },
  permission_error: { name: 'AccessDeniedException', status: 403 },
  // AWS answers a credential it does not know with 403 UnrecognizedClientException; 401 is kept
  // because Claude Code re-runs its apiKeyHelper only after a 401, and the name is the one AWS
  // clients already associate with a bad credential.
  authentication_error: { name: 'UnrecognizedClientException', status: 401 },
  // A spent budget: 429 so Claude Code shows "Request rejected (429) · <message>", while the
  // gateway's `x-should-retry: false` stops its retries; the name tells AWS SDK users it is a
  // quota, not a transient throttle.
  billing_error: { name: 'ServiceQuotaExceededException', status: 429 },
  request_too_large: { name: 'ValidationException', status: 413 },
  // What Bedrock itself answers for a model CountTokens cannot count; a 501 would read to AWS
  // SDKs as a server fault.
  not_supported: { name: 'ValidationException', status: 400 },
  api_error: { name: 'InternalServerException', status: 500 },
};

/** The exception for an Anthropic error type; an unknown type is named by its status. */
export function exceptionFor(type: string, status: number): BedrockException {
  const known = BY_TYPE[type];
  if (known) {
    // Server faults keep the gateway's own status (502 unreachable, 503 no endpoint).
    return known.name === 'InternalServerException' && status >= 500 && status !== 529 ? { ...known, status } : known;
  }
  return exceptionForStatus(status);
}

/** The exception for an upstream error status, before its body has been read. */
export function exceptionForStatus(status: number): BedrockException {
  if (status === 400) return { name: 'ValidationException', status };
  if (status === 401) return BY_TYPE.authentication_error as BedrockException;
  if (status === 403) return { name: 'AccessDeniedException', status };
  if (status === 404) return { name: 'ResourceNotFoundException', status };
  if (status === 408) return { name: 'ModelTimeoutException', status };
  if (status === 413) return { name: 'ValidationException', status };
  if (status === 429) return { name: 'ThrottlingException', status };
  if (status === 529 || status === 503) return { name: 'ServiceUnavailableException', status: 503 };
  if (status >= 400 && status < 500) return { name: 'ValidationException', status };
  return { name: 'InternalServerException', status };
}

/** The AWS JSON error body. */
export function exceptionBody(message: string): string {
  return JSON.stringify({ message });
}

export function exceptionHeaders(exception: BedrockException, requestId: string | undefined): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-amzn-errortype': exception.name,
    ...(requestId ? { 'x-amzn-requestid': requestId } : {}),
  };
}

/** The ResponseStream member for a failure after the stream began. */
export function streamExceptionFor(type: string): StreamExceptionMember {
  if (type === 'rate_limit_error') return 'throttlingException';
  if (type === 'overloaded_error') return 'serviceUnavailableException';
  if (type === 'invalid_request_error' || type === 'request_too_large') return 'validationException';
  if (type === 'timeout_error') return 'modelTimeoutException';
  if (type === 'api_error') return 'internalServerException';
  // Anything else went wrong in the model's stream itself.
  return 'modelStreamErrorException';
}
