/**
 * Bedrock failures → Anthropic error vocabulary. Pure. Claude Code's retry logic keys on the
 * status and type (429 and 529 retry with backoff, 400 does not) and its auto-compaction keys on
 * the context-length message text, so those messages pass verbatim; anything naming the AWS
 * account (ids, ARNs, roles, access keys) stays in the operator's log.
 */
import type { AnthropicErrorType } from '../../errors.js';

/** The facts of one failure, read off an SDK error by `describeFailure`. */
export interface BedrockFailure {
  /** Exception name (`ThrottlingException`, stream member `throttlingException`, `TimeoutError`...). */
  name: string;
  message: string;
  /** HTTP status Bedrock answered, when it answered. */
  httpStatus?: number;
  /** Why no HTTP answer came: network or credentials. */
  cause?: 'network' | 'credentials';
  retryAfter?: string;
  /** Bedrock's request id, for the operator's log. */
  requestId?: string;
}

export interface TranslatedFailure {
  status: number;
  type: AnthropicErrorType;
  /** Safe for the client. */
  message: string;
  /** The original message was withheld from the client and must be logged. */
  redacted: boolean;
  retryAfter?: string;
}

const CONTEXT_LENGTH = [
  /prompt is too long/i,
  /input is too long/i,
  /too many total text bytes/i,
  /max_tokens.*exceed.*context/i,
  /exceed(s|ed)? (the )?context (limit|window)/i,
  /context (length|window) (of \d+ tokens )?(is )?exceeded/i,
];

const SENSITIVE = [
  /\b\d{12}\b/, // account id
  /arn:aws/i,
  /\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/, // access key, role and user ids
  /assumed-role\//i,
  /:(role|user)\//i,
  /\b(role|user)\/[\w+=,.@-]+/i,
];

export function isContextLengthMessage(message: string): boolean {
  return CONTEXT_LENGTH.some((re) => re.test(message));
}

export function exposesAccount(message: string): boolean {
  return SENSITIVE.some((re) => re.test(message));
}

const key = (name: string) => name.toLowerCase();

function statusAndType(failure: BedrockFailure): { status: number; type: AnthropicErrorType } {
  const name = key(failure.name);
  if (failure.cause) return { status: 502, type: 'api_error' };
  if (/overloaded|too many connections/i.test(failure.message)) return { status: 529, type: 'overloaded_error' };
  switch (name) {
    case 'throttlingexception':
    case 'servicequotaexceededexception':
      return { status: 429, type: 'rate_limit_error' };
    case 'serviceunavailableexception':
    case 'modelnotreadyexception':
      return { status: 529, type: 'overloaded_error' };
    case 'validationexception':
      return { status: 400, type: 'invalid_request_error' };
    case 'modeltimeoutexception':
      return { status: 504, type: 'api_error' };
    case 'internalserverexception':
      return { status: 500, type: 'api_error' };
    default:
      return { status: 502, type: 'api_error' };
  }
}

function genericMessage(failure: BedrockFailure): string {
  if (failure.cause === 'credentials') return 'The gateway could not obtain AWS credentials for its Bedrock endpoint; the details were logged for the gateway operator.';
  if (failure.cause === 'network') return 'The gateway could not reach Amazon Bedrock; the details were logged for the gateway operator.';
  const name = /^[A-Za-z]+$/.test(failure.name) ? failure.name.charAt(0).toUpperCase() + failure.name.slice(1) : 'an error';
  return `Amazon Bedrock returned ${name}; the details were logged for the gateway operator.`;
}

export function translateFailure(failure: BedrockFailure): TranslatedFailure {
  const { status, type } = statusAndType(failure);
  const retryAfter = status === 429 && failure.retryAfter ? { retryAfter: failure.retryAfter } : {};
  if (isContextLengthMessage(failure.message) && !failure.cause) {
    return { status, type, message: failure.message, redacted: false, ...retryAfter };
  }
  const hide = failure.cause !== undefined || exposesAccount(failure.message) || failure.message.trim() === '';
  return { status, type, message: hide ? genericMessage(failure) : failure.message, redacted: hide, ...retryAfter };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { headers?: Record<string, string | undefined> };
}

/** Reads an AWS SDK (or Node network) error. Pure: inspects properties only. */
export function describeFailure(err: unknown): BedrockFailure {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  let message = typeof e.message === 'string' ? e.message : '';
  // Unmodelled stream exceptions arrive with the raw JSON payload as their message.
  if (message.startsWith('{')) {
    try {
      const parsed = JSON.parse(message) as { message?: unknown; Message?: unknown };
      const inner = parsed.message ?? parsed.Message;
      if (typeof inner === 'string') message = inner;
    } catch {
      // not JSON after all: keep it as it is
    }
  }
  const httpStatus = e.$metadata?.httpStatusCode;
  const retryAfter = e.$response?.headers?.['retry-after'];
  const failure: BedrockFailure = { name, message };
  if (httpStatus !== undefined) failure.httpStatus = httpStatus;
  if (retryAfter) failure.retryAfter = retryAfter;
  if (e.$metadata?.requestId) failure.requestId = e.$metadata.requestId;
  if (httpStatus === undefined) {
    if (name === 'CredentialsProviderError' || /credential/i.test(name)) failure.cause = 'credentials';
    else if ((typeof e.code === 'string' && NETWORK_CODES.has(e.code)) || name === 'TimeoutError' || /socket hang up/i.test(message)) failure.cause = 'network';
  }
  return failure;
}
