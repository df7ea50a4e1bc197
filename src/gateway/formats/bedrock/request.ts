/**
 * A Bedrock request body read into a Messages API call. Bedrock's Anthropic body is the Messages
 * body minus `model` and `stream` (the path and the operation carry them), plus
 * `anthropic_version: "bedrock-2023-05-31"` and the betas as `anthropic_beta: [...]`. Pure.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../../../errors.js';
import type { ClientCall } from '../../pipeline/client-format.js';
import { assertMaxTokens } from '../../request-body.js';
import type { MessagesBody } from '../../../upstreams/types.js';
import type { BedrockTarget } from './target.js';

/** What the Anthropic API needs and a Bedrock client never sends. */
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Fields count_tokens refuses ("Extra inputs are not permitted") that Bedrock's CountTokens
 * accepts because its body is a whole InvokeModel body. None of them changes the count.
 */
const NOT_COUNTED = ['max_tokens', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'metadata', 'service_tier'];

function parseObject(bytes: Buffer, what: string): Record<string, unknown> {
  if (bytes.length === 0) throw new ApiError('invalid_json', `The ${what} is empty; send a JSON object.`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ApiError('invalid_json', `The ${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiError('invalid_request', `The ${what} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function betasOf(body: Record<string, unknown>): string[] {
  const betas = body.anthropic_beta;
  if (betas === undefined) return [];
  if (!Array.isArray(betas) || betas.some((beta) => typeof beta !== 'string')) {
    throw new ApiError('invalid_request', 'anthropic_beta must be an array of strings.');
  }
  return betas as string[];
}

/** The client's `anthropic-beta` header and the body's betas, once each, in the order sent. */
function mergedBetas(header: string | string[] | undefined, bodyBetas: readonly string[]): string {
  const fromHeader = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return [...new Set([...fromHeader, ...bodyBetas].map((beta) => beta.trim()).filter((beta) => beta.length > 0))].join(',');
}

function callOf(bedrockBody: Record<string, unknown>, target: BedrockTarget, clientHeaders: IncomingHttpHeaders, counting: boolean): ClientCall {
  const betas = betasOf(bedrockBody);
  assertMaxTokens(bedrockBody);
  const streaming = target.operation === 'invoke-stream';
  // `model` first, as Anthropic clients send it; the route, not the body, decides streaming.
  const { anthropic_version: _version, anthropic_beta: _betas, model: _model, stream: _stream, ...rest } = bedrockBody;
  const body: MessagesBody = { model: target.modelId, ...rest, ...(streaming ? { stream: true } : {}) };
  if (counting) for (const field of NOT_COUNTED) delete body[field];
  const headers: IncomingHttpHeaders = { ...clientHeaders, 'anthropic-version': clientHeaders['anthropic-version'] ?? ANTHROPIC_VERSION };
  const beta = mergedBetas(clientHeaders['anthropic-beta'], betas);
  if (beta.length > 0) headers['anthropic-beta'] = beta;
  else delete headers['anthropic-beta'];
  return { raw: Buffer.from(JSON.stringify(body)), body, model: target.modelId, streaming, headers, search: '' };
}

/** InvokeModel / InvokeModelWithResponseStream: the body is the Bedrock Anthropic body. */
export function invokeCall(raw: Buffer, target: BedrockTarget, headers: IncomingHttpHeaders): ClientCall {
  return callOf(parseObject(raw, 'request body'), target, headers, false);
}

/**
 * CountTokens: `{"input":{"invokeModel":{"body":"<base64 of an InvokeModel body>"}}}`. The
 * `converse` input would need the Converse API translated into Messages first, which the gateway
 * does not do (Claude Code never sends it).
 */
export function countTokensCall(raw: Buffer, target: BedrockTarget, headers: IncomingHttpHeaders): ClientCall {
  const input = parseObject(raw, 'request body').input as Record<string, unknown> | undefined;
  if (input && typeof input === 'object' && 'converse' in input) {
    throw new ApiError('invalid_request', 'CountTokens with a converse input is not supported by this gateway; send input.invokeModel.body.');
  }
  const encoded = (input?.invokeModel as { body?: unknown } | undefined)?.body;
  if (typeof encoded !== 'string' || encoded.length === 0) {
    throw new ApiError('invalid_request', 'CountTokens needs input.invokeModel.body: the base64-encoded InvokeModel body.');
  }
  return callOf(parseObject(Buffer.from(encoded, 'base64'), 'input.invokeModel.body'), target, headers, true);
}
