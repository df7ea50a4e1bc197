/**
 * UpstreamReply shapes shared by the Bedrock operations, and the one place a Bedrock failure
 * becomes what the client sees (and what the operator's log keeps).
 */
import { anthropicErrorBody } from '../../errors.js';
import { UpstreamStreamError, type UpstreamOptions, type UpstreamReply } from '../types.js';
import { describeFailure, translateFailure, type BedrockFailure, type TranslatedFailure } from './errors.js';

const encoder = new TextEncoder();

/** A stream failure that also knows the status to answer with while no byte has been sent. */
export class BedrockStreamError extends UpstreamStreamError {
  constructor(readonly failure: TranslatedFailure) {
    super(failure.type, failure.message);
  }
}

export function once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  return (async function* () {
    yield bytes;
  })();
}

export function jsonReply(status: number, bytes: Uint8Array, upstreamModel: string, upstreamRequestId: string | undefined): UpstreamReply {
  return { status, headers: { 'content-type': 'application/json' }, body: once(bytes), upstreamModel, ...(upstreamRequestId ? { upstreamRequestId } : {}) };
}

export function translated(failure: BedrockFailure, log: UpstreamOptions['log'], upstreamModel: string): TranslatedFailure {
  const result = translateFailure(failure);
  if (result.redacted) {
    log.warn({ bedrockError: failure.name, httpStatus: failure.httpStatus, bedrockMessage: failure.message, requestId: failure.requestId, upstreamModel }, 'Bedrock error detail withheld from the client');
  }
  return result;
}

export function failureReply(result: TranslatedFailure, upstreamModel: string, upstreamRequestId?: string): UpstreamReply {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (result.retryAfter) headers['retry-after'] = result.retryAfter;
  return {
    status: result.status,
    headers,
    body: once(encoder.encode(anthropicErrorBody(result.type, result.message))),
    upstreamModel,
    ...(upstreamRequestId ? { upstreamRequestId } : {}),
  };
}

/** An SDK error thrown before the first byte, as the error reply the client gets. */
export function errorReply(err: unknown, log: UpstreamOptions['log'], upstreamModel: string): UpstreamReply {
  const failure = describeFailure(err);
  return failureReply(translated(failure, log, upstreamModel), upstreamModel, failure.requestId);
}
