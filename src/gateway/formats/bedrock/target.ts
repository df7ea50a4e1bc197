/**
 * Which Bedrock runtime operation a request path names, and for which model. The model id is
 * URL-encoded in the path (`us.anthropic.claude-…-v1%3A0`, ARNs with `%2F`), so it is read from the
 * raw URL and decoded once here rather than trusting a router's own decoding of `/`.
 */
import { ApiError } from '../../../errors.js';

export type BedrockOperation = 'invoke' | 'invoke-stream' | 'count-tokens';

export interface BedrockTarget {
  readonly modelId: string;
  readonly operation: BedrockOperation;
}

const OPERATIONS: Readonly<Record<string, BedrockOperation>> = {
  invoke: 'invoke',
  'invoke-with-response-stream': 'invoke-stream',
  'count-tokens': 'count-tokens',
};

const PATH = /^\/model\/([^/?]+)\/(invoke|invoke-with-response-stream|count-tokens)\/?(?:\?|$)/;

export function bedrockTarget(url: string): BedrockTarget {
  const match = PATH.exec(url);
  const operation = OPERATIONS[match?.[2] ?? ''];
  if (!match || !operation) throw new ApiError('not_found', `Not found: ${url.split('?')[0] ?? url}`);
  let modelId: string;
  try {
    modelId = decodeURIComponent(match[1] ?? '');
  } catch {
    throw new ApiError('invalid_request', 'The model identifier in the path is not valid URL encoding.');
  }
  if (modelId.trim().length === 0) throw new ApiError('invalid_request', 'The model identifier in the path is empty.');
  return { modelId, operation };
}
