/**
 * Bedrock's runtime API as a client format: `POST /model/{modelId}/invoke`,
 * `/invoke-with-response-stream` and `/count-tokens`, for Claude Code in `CLAUDE_CODE_USE_BEDROCK=1`
 * mode (and AWS SDKs) pointed at the gateway. Requests become Messages calls; replies, whichever
 * upstream served them, go back in Bedrock's wire format.
 */
import type { FastifyRequest } from 'fastify';
// The request's `ccagRequestId` is declared there: importing it keeps that declaration in this
// file's own graph (a clean `tsc` once type-checked this file without it).
import type {} from '../../pipeline/request-id.js';
import type { ClientCall, ClientFormat, ClientReply } from '../../pipeline/client-format.js';
import { exceptionBody, exceptionFor, exceptionHeaders, streamExceptionFor } from './exceptions.js';
import { exceptionFrame } from './frames.js';
import { presentReply, type ReplyContext } from './reply.js';
import { countTokensCall, invokeCall } from './request.js';
import { bedrockTarget, type BedrockOperation } from './target.js';

/** A Messages call that remembers which Bedrock operation asked for it. */
export interface BedrockCall extends ClientCall {
  readonly operation: BedrockOperation;
  readonly requestId: string | undefined;
  readonly startedAt: number;
}

/**
 * A gateway-made error as an AWS JSON error. `status` is the status Bedrock would use for that
 * exception (a 529 becomes 503, `not_supported` 400): the pipeline should write it rather than the
 * Anthropic status it passed in.
 */
export function bedrockError(status: number, type: string, message: string): { status: number; headers: Record<string, string>; body: string } {
  const exception = exceptionFor(type, status);
  return { status: exception.status, headers: exceptionHeaders(exception, undefined), body: exceptionBody(message) };
}

function isBedrockCall(call: ClientCall): call is BedrockCall {
  return typeof (call as Partial<BedrockCall>).operation === 'string';
}

function contextOf(call: ClientCall): ReplyContext {
  if (isBedrockCall(call)) return call;
  // A call the pipeline rebuilt without our fields: its streaming flag still says which operation.
  return { operation: call.streaming ? 'invoke-stream' : 'invoke', requestId: undefined, startedAt: performance.now() };
}

export const bedrockFormat: ClientFormat = {
  name: 'bedrock',

  parse(request: FastifyRequest): BedrockCall {
    const startedAt = performance.now();
    const target = bedrockTarget(request.url);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const call = target.operation === 'count-tokens' ? countTokensCall(raw, target, request.headers) : invokeCall(raw, target, request.headers);
    // Bedrock clients read the request id from `x-amzn-requestid`: the gateway's own.
    return { ...call, operation: target.operation, requestId: request.ccagRequestId || undefined, startedAt };
  },

  present(reply, call): ClientReply {
    return presentReply(reply, contextOf(call));
  },

  error: bedrockError,

  streamError(type, message) {
    return exceptionFrame(streamExceptionFor(type), message);
  },
};
