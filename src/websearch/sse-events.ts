/**
 * Anthropic SSE in and out for the streaming loop: the upstream's events one by one as objects,
 * and objects back to frames. Only requests that search pay for this parsing; every other stream
 * passes through the gateway untouched.
 */
import { eventInterests, SseScanner } from '../spend/sse-scanner.js';

type Json = Record<string, unknown>;

const EVENTS = eventInterests({
  message_start: 'parse',
  content_block_start: 'parse',
  content_block_delta: 'parse',
  content_block_stop: 'parse',
  message_delta: 'parse',
  message_stop: 'parse',
  ping: 'parse',
  error: 'parse',
});

const encoder = new TextEncoder();

export async function* sseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<Json> {
  const pending: Json[] = [];
  const scanner = new SseScanner(EVENTS, {
    onEvent: (data) => {
      try {
        const event: unknown = JSON.parse(data.toString('utf8'));
        if (typeof event === 'object' && event !== null && !Array.isArray(event)) pending.push(event as Json);
      } catch {
        // Not an event the loop can act on; the upstream adapters never send such data.
      }
    },
    onCount: () => {},
  });
  for await (const chunk of body) {
    scanner.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    while (pending.length > 0) yield pending.shift()!;
  }
  scanner.end();
  while (pending.length > 0) yield pending.shift()!;
}

export function frame(event: Json): Uint8Array {
  return encoder.encode(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
}
