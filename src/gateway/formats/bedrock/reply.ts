/**
 * The Anthropic-shaped upstream reply presented as Bedrock's: InvokeModel returns the Messages JSON
 * as is, InvokeModelWithResponseStream an AWS event stream, CountTokens `{"inputTokens":N}`, and
 * an error status the AWS JSON error shape. Headers are decided before any body byte is read, so
 * an upstream error is named by its status; its message is read from the body at the end.
 */
import type { ClientReply } from '../../pipeline/client-format.js';
import type { UpstreamReply } from '../../../upstreams/types.js';
import { exceptionBody, exceptionForStatus, exceptionHeaders } from './exceptions.js';
import { EventStreamEncoder } from './stream-encoder.js';
import type { BedrockOperation } from './target.js';

const EMPTY = new Uint8Array(0);
/** What a Bedrock client may act on; the upstream's own rate-limit and id headers are not its business. */
const KEPT_HEADERS = ['retry-after', 'retry-after-ms', 'x-should-retry'];

export interface ReplyContext {
  readonly operation: BedrockOperation;
  readonly requestId: string | undefined;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
}

function kept(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) if (headers[name] !== undefined) out[name] = headers[name];
  return out;
}

/** Collects a small JSON body whole and rewrites it once at the end. */
function buffered(status: number, headers: Record<string, string>, rewrite: (body: Buffer) => string): ClientReply {
  const parts: Buffer[] = [];
  return {
    status,
    headers,
    encode(chunk) {
      parts.push(Buffer.from(chunk));
      return EMPTY;
    },
    end: () => Buffer.from(rewrite(Buffer.concat(parts))),
  };
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The message of an Anthropic error body; context-length messages must reach the client verbatim. */
export function anthropicErrorMessage(body: Buffer, status: number): string {
  const error = parseJson(body)?.error as { message?: unknown } | undefined;
  return typeof error?.message === 'string' ? error.message : `The upstream answered with status ${status}.`;
}

function countTokens(body: Buffer): string {
  const inputTokens = parseJson(body)?.input_tokens;
  return JSON.stringify({ inputTokens: typeof inputTokens === 'number' ? inputTokens : 0 });
}

export function presentReply(upstream: UpstreamReply, context: ReplyContext): ClientReply {
  const base = { ...kept(upstream.headers), ...(context.requestId ? { 'x-amzn-requestid': context.requestId } : {}) };
  if (upstream.status >= 400) {
    const exception = exceptionForStatus(upstream.status);
    return buffered(exception.status, { ...base, ...exceptionHeaders(exception, context.requestId) }, (body) => exceptionBody(anthropicErrorMessage(body, upstream.status)));
  }
  if (context.operation === 'count-tokens') {
    return buffered(upstream.status, { ...base, 'content-type': 'application/json' }, countTokens);
  }
  if ((upstream.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    const encoder = new EventStreamEncoder(context.startedAt);
    return {
      status: upstream.status,
      headers: { ...base, 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-content-type': 'application/json' },
      encode: (chunk) => encoder.encode(chunk),
      end: () => encoder.end(),
    };
  }
  // InvokeModel answers with the very Messages JSON the Anthropic API returns.
  return {
    status: upstream.status,
    headers: { ...base, 'content-type': 'application/json' },
    encode: (chunk) => chunk,
    end: () => EMPTY,
  };
}
