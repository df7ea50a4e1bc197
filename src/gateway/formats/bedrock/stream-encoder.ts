/**
 * An Anthropic SSE reply as Bedrock's response stream. Each event becomes one `chunk` frame of its
 * data bytes, untouched; only three kinds are read: message_start and message_delta for the usage
 * that Bedrock's closing metrics report, and message_stop, which carries those metrics. An SSE
 * `error` event becomes an exception frame, since a Bedrock client only treats exceptions as
 * failures. Pings (the gateway's heartbeat) travel as chunks like any other event.
 */
import { chunkFrame, exceptionFrame } from './frames.js';
import { streamExceptionFor } from './exceptions.js';
import { METRICS_KEY, UsageTally } from './invocation-metrics.js';
import { SseEventSplitter, type SseEvent } from './sse-events.js';

const EMPTY = new Uint8Array(0);
const READ_TYPES = new Set(['message_start', 'message_delta', 'message_stop', 'error']);
// Anthropic serialises `type` first; the name on the `event:` line is the fallback.
const LEADING_TYPE = /^\s*\{\s*"type"\s*:\s*"([A-Za-z0-9_.-]+)"/;

function typeOf(event: SseEvent): string {
  return LEADING_TYPE.exec(event.data.toString('latin1', 0, Math.min(event.data.length, 64)))?.[1] ?? event.name;
}

function parse(data: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function concat(frames: Uint8Array[]): Uint8Array {
  if (frames.length === 0) return EMPTY;
  if (frames.length === 1) return frames[0] as Uint8Array;
  return Buffer.concat(frames);
}

export class EventStreamEncoder {
  private readonly splitter = new SseEventSplitter();
  private readonly usage = new UsageTally();
  private firstByteAt: number | undefined;
  private failed = false;

  /** @param startedAt `performance.now()` when the request arrived, for the latency metrics. */
  constructor(private readonly startedAt: number) {}

  encode(chunk: Uint8Array): Uint8Array {
    this.firstByteAt ??= performance.now();
    return concat(this.splitter.push(chunk).flatMap((event) => this.frames(event)));
  }

  end(): Uint8Array {
    const last = this.splitter.end();
    return last ? concat(this.frames(last)) : EMPTY;
  }

  private frames(event: SseEvent): Uint8Array[] {
    // Nothing may follow an exception: the client has already ended the stream.
    if (this.failed || event.data.length === 0) return [];
    const type = typeOf(event);
    if (!READ_TYPES.has(type)) return [chunkFrame(event.data)];
    const parsed = parse(event.data);
    if (!parsed) return [chunkFrame(event.data)];
    if (type === 'error') {
      this.failed = true;
      const error = (parsed.error ?? {}) as { type?: unknown; message?: unknown };
      return [exceptionFrame(streamExceptionFor(String(error.type ?? 'api_error')), typeof error.message === 'string' ? error.message : 'The stream failed.')];
    }
    if (type !== 'message_stop') {
      this.usage.observe(parsed);
      return [chunkFrame(event.data)];
    }
    const now = performance.now();
    parsed[METRICS_KEY] = this.usage.metrics(now - this.startedAt, (this.firstByteAt ?? now) - this.startedAt);
    return [chunkFrame(Buffer.from(JSON.stringify(parsed)))];
  }
}
