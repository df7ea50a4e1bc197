/**
 * Why a Price List call failed, as an admin error: what to fix, never a credential. Pure: reads
 * the AWS SDK error's name, HTTP status and message only.
 */
import { ApiError } from '../../errors.js';

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * AWS's own sentence, safe to show: its first line only (a signature mismatch goes on to echo
 * the canonical request, session token header included) with access key ids blanked.
 */
function awsSentence(message: string): string {
  const first = message.split('\n', 1)[0]!.trim().slice(0, 300);
  return first.replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1…');
}

export function priceListError(error: unknown, endpoint: string): ApiError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status = e.$metadata?.httpStatusCode;
  const say = (text: string) => new ApiError('upstream_unreachable', text);
  if (name === 'CredentialsProviderError' || (status === undefined && /credential/i.test(name))) {
    return say('No AWS credentials for the Price List API. Give the gateway credentials as for a Bedrock endpoint (environment, profile, instance or task role).');
  }
  if (name === 'AccessDeniedException' || status === 403) {
    return say('AWS denied pricing:GetProducts. Allow that action in the IAM policy of the gateway\'s credentials.');
  }
  if ((typeof e.code === 'string' && NETWORK_CODES.has(e.code)) || name === 'TimeoutError') {
    return say(`The AWS Price List API at ${endpoint} could not be reached (${typeof e.code === 'string' ? e.code : name}).`);
  }
  return say(`The AWS Price List API answered ${name}${status ? ` (HTTP ${status})` : ''}: ${awsSentence(message)}`);
}
