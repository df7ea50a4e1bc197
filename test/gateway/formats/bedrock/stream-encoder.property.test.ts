/**
 * AWS event-stream encoding of Anthropic SSE, decoded the way the AWS SDK decodes it (its chunk
 * reassembly and codec): any event payload round-trips, any chunking on either side gives the
 * same events, and a corrupted or truncated frame is rejected, never decoded into something else.
 */
import { getChunkedStream } from '@smithy/core/event-streams';
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkFrame, exceptionFrame, type StreamExceptionMember } from '../../../../src/gateway/formats/bedrock/frames.js';
import { EventStreamEncoder } from '../../../../src/gateway/formats/bedrock/stream-encoder.js';
import { streamEvents, type MockTurn } from '../../../support/mock-script.js';
import { runs } from '../../../support/property.js';
import { cuts, lineText, sseGarbage, splitAt } from '../../../support/sse-arbitraries.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

async function decode(chunks: readonly Uint8Array[]): Promise<Message[]> {
  const source = (async function* () {
    yield* chunks;
  })();
  const messages: Message[] = [];
  for await (const message of getChunkedStream(source)) messages.push(codec.decode(message));
  return messages;
}

const header = (message: Message, name: string) => message.headers[name]?.value;

/** A chunk message's Anthropic event: its JSON body's `bytes`, base64-decoded. */
function chunkPayload(message: Message): Buffer {
  expect(header(message, ':message-type')).toBe('event');
  expect(header(message, ':event-type')).toBe('chunk');
  const { bytes } = JSON.parse(toUtf8(message.body)) as { bytes: string };
  return Buffer.from(bytes, 'base64');
}

const tokens = fc.nat({ max: 1_000_000 });
const turn: fc.Arbitrary<MockTurn> = fc.record({
  text: lineText(80),
  usage: fc.record({ input_tokens: tokens, output_tokens: tokens, cache_read_input_tokens: tokens, cache_creation_input_tokens: fc.constant(0), cache_creation: fc.constant({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }) }),
  stopReason: fc.constant('end_turn' as const),
  midstreamError: fc.constant(false),
  pauseMs: fc.constant(0),
  delayMs: fc.constant(0),
  chunks: fc.integer({ min: 1, max: 6 }),
});

function sseOf(generated: MockTurn): { events: Record<string, unknown>[]; bytes: Buffer } {
  const events = streamEvents(generated, 'claude-sonnet-4-5', 'msg_prop');
  return { events: events.map((event) => event.data), bytes: Buffer.from(events.map((event) => `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`).join('')) };
}

function encode(sseChunks: readonly Uint8Array[]): Uint8Array[] {
  const encoder = new EventStreamEncoder(performance.now());
  return [...sseChunks.map((chunk) => encoder.encode(chunk)), encoder.end()].filter((frame) => frame.length > 0);
}

/** Where each frame of a valid stream begins: every frame opens with its total length. */
function frameStarts(stream: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 0; at < stream.length; at += stream.readUInt32BE(at)) starts.push(at);
  return starts;
}

describe('Bedrock event-stream frames, property-based', () => {
  it('a chunk frame carries any payload bytes unchanged, and decodes whole or cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2_000 }), cuts, async (payload, positions) => {
        const frame = chunkFrame(payload);
        const [message, ...rest] = await decode(splitAt(frame, positions));
        expect(rest).toEqual([]);
        expect(chunkPayload(message!).equals(Buffer.from(payload))).toBe(true);
      }),
      runs(200),
    );
  });

  it('an exception frame names its member and carries any message', async () => {
    const members: StreamExceptionMember[] = ['internalServerException', 'modelStreamErrorException', 'validationException', 'throttlingException', 'modelTimeoutException', 'serviceUnavailableException'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...members), fc.string({ unit: 'grapheme', maxLength: 200 }), async (member, text) => {
        const [message] = await decode([exceptionFrame(member, text)]);
        expect(header(message!, ':message-type')).toBe('exception');
        expect(header(message!, ':exception-type')).toBe(member);
        expect(JSON.parse(toUtf8(message!.body))).toEqual({ message: text });
      }),
      runs(200),
    );
  });

  it('every SSE event arrives as one chunk, in order, however the SSE and the frames are cut', async () => {
    await fc.assert(
      fc.asyncProperty(turn, cuts, cuts, async (generated, sseCuts, frameCuts) => {
        const { events, bytes } = sseOf(generated);
        const frames = Buffer.concat(encode(splitAt(bytes, sseCuts)));
        const decoded = (await decode(splitAt(frames, frameCuts))).map((message) => JSON.parse(chunkPayload(message).toString('utf8')) as Record<string, unknown>);
        const metrics = decoded.at(-1)?.['amazon-bedrock-invocationMetrics'] as Record<string, unknown> | undefined;
        expect(decoded.map(({ 'amazon-bedrock-invocationMetrics': _metrics, ...event }) => event)).toEqual(events);
        // The closing metrics are Bedrock's accounting of the same usage.
        expect(metrics).toMatchObject({ inputTokenCount: generated.usage.input_tokens, outputTokenCount: generated.usage.output_tokens, cacheReadInputTokenCount: generated.usage.cache_read_input_tokens });
      }),
      runs(150),
    );
  });

  it('whatever SSE the upstream sends, the encoder never throws and emits only well-formed frames, the same for any cut', async () => {
    const withoutMetrics = (message: Message) => {
      if (header(message, ':message-type') === 'exception') return toUtf8(message.body);
      const text = chunkPayload(message).toString('latin1');
      return text.replace(/,"amazon-bedrock-invocationMetrics":\{[^}]*\}/, '');
    };
    await fc.assert(
      fc.asyncProperty(fc.oneof(sseGarbage, fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))), cuts, async (garbage, sseCuts) => {
        const whole = await decode(encode([garbage]));
        const cut = await decode(encode(splitAt(garbage, sseCuts)));
        expect(cut.map(withoutMetrics)).toEqual(whole.map(withoutMetrics));
      }),
      runs(200),
    );
  });

  it('a corrupted byte anywhere past a frame length is rejected by its checksum, never decoded', async () => {
    // The high bytes of a frame's total length are left alone: the SDK would allocate what they
    // claim (up to 4 GiB) before any checksum is read. Every other byte is covered by a CRC.
    await fc.assert(
      fc.asyncProperty(turn, fc.nat(), fc.integer({ min: 1, max: 255 }), cuts, async (generated, at, flip, frameCuts) => {
        const stream = Buffer.concat(encode([sseOf(generated).bytes]));
        const starts = frameStarts(stream);
        const position = at % stream.length;
        fc.pre(!starts.some((start) => position === start || position === start + 1));
        stream[position]! ^= flip;
        await expect(decode(splitAt(stream, frameCuts))).rejects.toThrow(Error);
      }),
      runs(200),
    );
  });

  it('a stream cut short inside a frame is rejected as truncated', async () => {
    // Cut within a frame's 4-byte length the SDK sees a clean end (it only knows a frame has begun
    // once the length is whole), so the cut falls past it.
    await fc.assert(
      fc.asyncProperty(turn, fc.nat(), async (generated, at) => {
        const stream = Buffer.concat(encode([sseOf(generated).bytes]));
        const starts = frameStarts(stream);
        const length = at % stream.length;
        fc.pre(!starts.some((start) => length >= start && length < start + 4));
        await expect(decode([stream.subarray(0, length)])).rejects.toThrow(/truncated/i);
      }),
      runs(150),
    );
  });
});
