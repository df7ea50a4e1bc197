/**
 * Decoded Bedrock chunks → Anthropic SSE over arbitrary events and serialisations: each chunk is
 * exactly one SSE frame whose one data line parses to the event (metrics removed, the client's
 * model name on message_start), and bytes that are not a JSON object fail as a stream error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkToSse, METRICS_KEY, rewriteMessageBody } from '../../../src/upstreams/bedrock/event-stream-to-sse.js';
import { UpstreamStreamError } from '../../../src/upstreams/types.js';
import { runs } from '../../support/property.js';

const TYPES = ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop', 'ping'];
const wireJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const fields = fc
  .dictionary(fc.string({ minLength: 1, maxLength: 10 }).filter((key) => key !== 'type' && key !== METRICS_KEY && key !== '__proto__' && key !== 'message'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map(wireJson);

const event = fc.record({
  type: fc.constantFrom(...TYPES),
  typeFirst: fc.boolean(),
  rest: fields,
  message: fc.option(fields.map((message) => ({ ...message, model: 'claude-sonnet-4-5-20250929' })), { nil: undefined }),
  metrics: fc.option(fc.record({ inputTokenCount: fc.nat(), outputTokenCount: fc.nat() }), { nil: undefined }),
}).map(({ type, typeFirst, rest, message, metrics }) => {
  const body = { ...rest, ...(message && { message }), ...(metrics && { [METRICS_KEY]: metrics }) };
  return typeFirst ? { type, ...body } : { ...body, type };
});

/** How an upstream might serialise it: compact, or pretty with any JSON whitespace (CR included). */
const serialise = fc.constantFrom(
  (value: unknown) => JSON.stringify(value),
  (value: unknown) => JSON.stringify(value, null, 2),
  (value: unknown) => JSON.stringify(value, null, '\t'),
  (value: unknown) => JSON.stringify(value, null, 1).replaceAll('\n', '\r\n'),
  (value: unknown) => JSON.stringify(value, null, 1).replaceAll('\n', '\r'),
  (value: unknown) => ` ${JSON.stringify(value)}\r`,
);

describe('chunkToSse, property-based', () => {
  it('one chunk is one SSE frame with one data line: the event, metrics removed, the client model on message_start', () => {
    fc.assert(
      fc.property(event, serialise, (value, write) => {
        const frame = Buffer.from(chunkToSse(Buffer.from(write(value)), 'claude-sonnet-4-5[1m]')).toString('utf8');
        const match = /^event: ([^\r\n]*)\ndata: ([^\r\n]*)\n\n$/.exec(frame);
        expect(match, JSON.stringify(frame)).not.toBeNull();
        const { [METRICS_KEY]: _metrics, ...expected } = value as Record<string, unknown>;
        if (value.type === 'message_start' && expected.message) expected.message = { ...(expected.message as object), model: 'claude-sonnet-4-5[1m]' };
        expect(match![1]).toBe(value.type);
        expect(JSON.parse(match![2]!)).toEqual(expected);
      }),
      runs(200),
    );
  });

  it('bytes that are not a JSON object fail as an UpstreamStreamError, nothing else', () => {
    const notAnObject = fc.oneof(
      fc.uint8Array({ maxLength: 100 }),
      fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => Buffer.from(JSON.stringify(value))),
    );
    fc.assert(
      fc.property(notAnObject, (bytes) => {
        try {
          chunkToSse(bytes, 'm');
        } catch (error) {
          expect(error).toBeInstanceOf(UpstreamStreamError);
        }
      }),
      runs(200),
    );
  });
});

describe('rewriteMessageBody, property-based', () => {
  it('answers with the client model name and leaves every other field as it was; anything else passes untouched', () => {
    fc.assert(
      fc.property(fields, fc.boolean(), (body, withModel) => {
        const sent = withModel ? { ...body, model: 'claude-opus-4-6' } : body;
        const bytes = Buffer.from(JSON.stringify(sent));
        const rewritten = Buffer.from(rewriteMessageBody(bytes, 'claude-opus-4-6[1m]'));
        if (withModel) expect(JSON.parse(rewritten.toString('utf8'))).toEqual({ ...sent, model: 'claude-opus-4-6[1m]' });
        else expect(rewritten.equals(bytes)).toBe(true);
      }),
      runs(200),
    );
  });
});
