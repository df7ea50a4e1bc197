/**
 * Meters a response from the exact bytes sent to the client, so one meter serves every upstream
 * and bills what the client actually received, including streams cut short.
 */
import type { TokenUsage } from './pricing.js';
import { eventInterests, SseScanner } from './sse-scanner.js';
import { UsageTally } from './usage-tally.js';

export interface MeteredUsage extends TokenUsage {
  stopReason: string | null;
  /** Client tool calls in order, one entry per call. */
  toolNames: string[];
  webSearches: number;
  /** Output tokens were estimated from streamed content: the stream ended before its final usage. */
  estimated: boolean;
  sawUsage: boolean;
  errorType: string | null;
  errorMessage: string | null;
}

/** Events worth parsing; text deltas are only measured. */
const INTERESTS = eventInterests({
  message_start: 'parse',
  message_delta: 'parse',
  content_block_start: 'parse',
  error: 'parse',
  content_block_delta: 'count',
});

/**
 * A delta line is this envelope around the streamed string, so its length minus the envelope is
 * the string's size without decoding it (JSON escapes and other delta types make it a slight
 * overestimate, which suits a bill for output we could not see counted).
 */
const DELTA_ENVELOPE_BYTES = Buffer.byteLength('data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}}');
/** Rough size of a token for text the model streamed. */
const BYTES_PER_TOKEN = 4;

export class UsageMeter {
  private readonly tally = new UsageTally();
  private readonly scanner: SseScanner | undefined;
  private readonly body: Buffer[] = [];

  constructor(private readonly streaming: boolean) {
    if (streaming) {
      this.scanner = new SseScanner(INTERESTS, {
        onEvent: (data) => {
          const event = parseObject(data);
          if (event) this.tally.event(event);
        },
        onCount: (lineBytes) => {
          this.tally.streamedBytes += Math.max(0, lineBytes - DELTA_ENVELOPE_BYTES);
        },
      });
    }
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.scanner) this.scanner.push(bytes);
    // Non-streaming bodies are read once at the end; the caller owns the chunk, so copy it.
    else this.body.push(Buffer.from(bytes));
  }

  finish(): MeteredUsage {
    const tally = this.tally;
    if (this.scanner) this.scanner.end();
    else {
      const body = parseObject(Buffer.concat(this.body));
      if (body) tally.message(body);
    }
    let outputTokens = tally.outputTokens;
    const estimated = this.streaming && !tally.sawFinal && (tally.sawStart || tally.streamedBytes > 0);
    if (estimated) outputTokens = Math.max(outputTokens, Math.ceil(tally.streamedBytes / BYTES_PER_TOKEN));
    return {
      inputTokens: tally.inputTokens,
      outputTokens,
      cacheReadTokens: tally.cacheReadTokens,
      cacheWrite5mTokens: tally.cacheWrite5mTokens,
      cacheWrite1hTokens: tally.cacheWrite1hTokens,
      stopReason: tally.stopReason,
      toolNames: tally.toolNames,
      webSearches: tally.webSearches,
      estimated,
      sawUsage: tally.sawStart || tally.sawFinal,
      errorType: tally.errorType,
      errorMessage: tally.errorMessage,
    };
  }
}

function parseObject(data: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
