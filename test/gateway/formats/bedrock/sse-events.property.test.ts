/** The Bedrock encoder's SSE splitter over generated streams cut at arbitrary bytes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseEventSplitter } from '../../../../src/gateway/formats/bedrock/sse-events.js';
import { runs } from '../../../support/property.js';
import { cuts, sseEvent, sseGarbage, sseStream, splitAt } from '../../../support/sse-arbitraries.js';

const NAMES = ['message_start', 'content_block_delta', 'message_delta', 'message_stop', 'ping', 'error'];

function split(chunks: readonly Uint8Array[]): Array<{ name: string; data: string }> {
  const splitter = new SseEventSplitter();
  const events = chunks.flatMap((chunk) => splitter.push(chunk));
  const last = splitter.end();
  if (last) events.push(last);
  return events.map((event) => ({ name: event.name, data: event.data.toString('latin1') }));
}

describe('SseEventSplitter, property-based', () => {
  it('yields exactly the events with data a valid stream is made of, named as sent', () => {
    fc.assert(
      fc.property(sseStream(sseEvent(NAMES)), (stream) => {
        const expected = stream.events
          .filter((event) => event.data.length > 0)
          .map((event) => ({ name: event.name ?? '', data: Buffer.from(event.data.join('\n')).toString('latin1') }));
        expect(split([stream.bytes])).toEqual(expected);
      }),
      runs(150),
    );
  });

  it('yields the same events however a valid stream is cut, even into empty chunks', () => {
    fc.assert(
      fc.property(sseStream(sseEvent(NAMES)), cuts, (stream, positions) => {
        expect(split(splitAt(stream.bytes, positions))).toEqual(split([stream.bytes]));
      }),
      runs(200),
    );
  });

  it('never throws on garbage, and cuts change nothing there either', () => {
    fc.assert(
      fc.property(fc.oneof(sseGarbage, fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))), cuts, (garbage, positions) => {
        expect(split(splitAt(garbage, positions))).toEqual(split([garbage]));
      }),
      runs(200),
    );
  });
});
