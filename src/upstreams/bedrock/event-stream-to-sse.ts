/**
 * Decoded Bedrock stream chunks → Anthropic SSE frames. Pure. A chunk's bytes are already the
 * Anthropic event JSON, so they pass through untouched; only two events are parsed and rewritten:
 * message_start (the client must see the model name it asked for) and the event carrying
 * `amazon-bedrock-invocationMetrics` (Bedrock's own accounting, not part of the Anthropic API).
 */
import { UpstreamStreamError } from '../types.js';

export const METRICS_KEY = 'amazon-bedrock-invocationMetrics';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const METRICS_BYTES = Buffer.from(METRICS_KEY);
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
// Bedrock serialises events compactly with `type` first; the fallback parse covers anything else.
const LEADING_TYPE = /^\s*\{\s*"type"\s*:\s*"([A-Za-z0-9_.-]+)"/;

export const PING_FRAME: Uint8Array = encoder.encode('event: ping\ndata: {"type": "ping"}\n\n');

export function sseFrame(event: string, data: Uint8Array): Uint8Array {
  const head = encoder.encode(`event: ${event}\ndata: `);
  const frame = new Uint8Array(head.length + data.length + 2);
  frame.set(head, 0);
  frame.set(data, head.length);
  frame.set([NEWLINE, NEWLINE], head.length + data.length);
  return frame;
}

function parseObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // the caller decides what unreadable bytes mean
  }
  return undefined;
}

/** One Bedrock chunk as one SSE frame, named by its `type`, with the client's model name. */
export function chunkToSse(bytes: Uint8Array, clientModel: string): Uint8Array {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const leading = LEADING_TYPE.exec(view.toString('latin1', 0, Math.min(view.length, 80)))?.[1];
  // A CR alone ends a line for SSE parsers (the Anthropic SDK's among them) just as LF does, so
  // JSON whitespace of either kind must not reach the data line.
  const mustEdit =
    leading === undefined || leading === 'message_start' || view.includes(METRICS_BYTES) || view.includes(NEWLINE) || view.includes(CARRIAGE_RETURN);
  if (!mustEdit) return sseFrame(leading, bytes);

  const event = parseObject(bytes);
  if (!event) throw new UpstreamStreamError('api_error', 'Amazon Bedrock sent a stream event that is not valid JSON.');
  const type = typeof event.type === 'string' ? event.type : 'unknown';
  delete event[METRICS_KEY];
  if (type === 'message_start' && typeof event.message === 'object' && event.message !== null) {
    event.message = { ...(event.message as Record<string, unknown>), model: clientModel };
  }
  return sseFrame(type, encoder.encode(JSON.stringify(event)));
}

/** A non-streaming Messages body with the client's model name. */
export function rewriteMessageBody(bytes: Uint8Array, clientModel: string): Uint8Array {
  const body = parseObject(bytes);
  if (!body || !('model' in body)) return bytes;
  body.model = clientModel;
  return encoder.encode(JSON.stringify(body));
}
