/**
 * The Bedrock upstream reading event streams it did not write: Bedrock's frames, cut at any byte
 * by the network, reach the client as the same SSE events; a frame with a corrupted byte or a
 * stream cut inside a frame ends the reply with an UpstreamStreamError (or an error status when
 * nothing was sent yet), never with another error, a hang, or events that were not sent.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkFrame } from '../../../src/gateway/formats/bedrock/frames.js';
import { loopbackOutbound } from '../../support/outbound.js';
import { createBedrockUpstream } from '../../../src/upstreams/bedrock/index.js';
import { UpstreamStreamError, type Upstream } from '../../../src/upstreams/types.js';
import { startSdkHarness, type CannedReply, type SdkHarness } from '../../gateway/formats/bedrock/aws-sdk-harness.js';
import { streamEvents, type MockTurn } from '../../support/mock-script.js';
import { runs } from '../../support/property.js';
import { cuts, lineText, splitAt } from '../../support/sse-arbitraries.js';
import { inbound, parseSse, STATIC_SECRETS, userTurn } from './harness.js';

const turn: fc.Arbitrary<MockTurn> = fc.record({
  text: lineText(60),
  usage: fc.record({ input_tokens: fc.nat(5_000), output_tokens: fc.nat(5_000), cache_read_input_tokens: fc.constant(0), cache_creation_input_tokens: fc.constant(0), cache_creation: fc.constant({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }) }),
  stopReason: fc.constant('end_turn' as const),
  midstreamError: fc.constant(false),
  pauseMs: fc.constant(0),
  delayMs: fc.constant(0),
  chunks: fc.integer({ min: 1, max: 4 }),
});

/** What Bedrock sends for a turn: one chunk frame per Anthropic event, and those events. */
function bedrockStream(generated: MockTurn): { events: Record<string, unknown>[]; bytes: Buffer } {
  const events = streamEvents(generated, 'claude-sonnet-4-5-20250929', 'msg_bedrock').map((event) => event.data);
  return { events, bytes: Buffer.concat(events.map((event) => chunkFrame(Buffer.from(JSON.stringify(event))))) };
}

const EVENT_STREAM = { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-content-type': 'application/json' };

let sdk: SdkHarness;
let upstream: Upstream;

beforeAll(async () => {
  sdk = await startSdkHarness();
  upstream = createBedrockUpstream({ kind: 'bedrock', region: 'us-east-1', auth: 'static', endpointUrl: sdk.url }, STATIC_SECRETS, { streamPingMs: 5_000, timeoutMs: 60_000, log: { warn: () => {} }, outbound: loopbackOutbound });
});

afterAll(async () => {
  await upstream?.close();
  await sdk?.close();
});

/** Serves `chunks` to the next stream call; other calls (discovery) find no profiles. */
function serve(chunks: Uint8Array[]): void {
  sdk.answer((path): CannedReply =>
    path.includes('/invoke-with-response-stream')
      ? { status: 200, headers: EVENT_STREAM, chunks }
      : { status: 200, headers: { 'content-type': 'application/json' }, chunks: [Buffer.from('{"inferenceProfileSummaries":[]}')] },
  );
}

type Outcome = { kind: 'events'; events: Record<string, unknown>[] } | { kind: 'status'; status: number } | { kind: 'stream-error'; received: string };

async function call(): Promise<Outcome> {
  const reply = await upstream.messages(inbound(userTurn('hi', { stream: true })));
  if (reply.status !== 200) return { kind: 'status', status: reply.status };
  let received = '';
  try {
    for await (const chunk of reply.body) received += Buffer.from(chunk).toString('utf8');
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamStreamError);
    return { kind: 'stream-error', received };
  }
  return { kind: 'events', events: parseSse(received).map((event) => event.data) };
}

/** The events as the client sees them: the client's model name on message_start. */
const asClientSees = (events: Record<string, unknown>[]) =>
  events.map((event) => (event.type === 'message_start' ? { ...event, message: { ...(event.message as object), model: 'claude-sonnet-4-5' } } : event));

describe('Bedrock upstream stream decoding, property-based', () => {
  it('frames cut at any byte reach the client as the same events', async () => {
    await fc.assert(
      fc.asyncProperty(turn, cuts, async (generated, positions) => {
        const { events, bytes } = bedrockStream(generated);
        serve(splitAt(bytes, positions));
        expect(await call()).toEqual({ kind: 'events', events: asClientSees(events) });
      }),
      runs(25),
    );
  });

  it('a corrupted byte or a cut inside a frame fails the reply cleanly, never passing the damaged event on', async () => {
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), flip: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), flip: fc.constant(0) }),
    );
    await fc.assert(
      fc.asyncProperty(turn, damage, cuts, async (generated, { kind, at, flip }, positions) => {
        const { events, bytes } = bedrockStream(generated);
        const starts: number[] = [];
        for (let offset = 0; offset < bytes.length; offset += bytes.readUInt32BE(offset)) starts.push(offset);
        const position = at % bytes.length;
        // A frame's length is left whole (the SDK would allocate what a damaged one claims, and a
        // cut within it looks like a clean end); every other byte is under a checksum.
        fc.pre(!starts.some((start) => position >= start && position < start + 4));
        const damaged = Buffer.from(bytes);
        if (kind === 'flip') damaged[position]! ^= flip;
        serve(splitAt(kind === 'flip' ? damaged : damaged.subarray(0, position), positions));
        const outcome = await call();
        expect(outcome.kind).not.toBe('events');
        if (outcome.kind === 'status') expect(outcome.status).toBeGreaterThanOrEqual(500);
        if (outcome.kind === 'stream-error') {
          // What did arrive is a prefix of what was sent, the damaged frame excluded.
          const arrived = parseSse(outcome.received).map((event) => event.data).filter((event) => event.type !== 'ping');
          expect(asClientSees(events).slice(0, arrived.length)).toEqual(arrived);
        }
      }),
      runs(40),
    );
  });
});
