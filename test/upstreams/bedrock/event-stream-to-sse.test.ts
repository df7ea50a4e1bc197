import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkToSse, PING_FRAME, rewriteMessageBody } from '../../../src/upstreams/bedrock/event-stream-to-sse.js';
import { UpstreamStreamError } from '../../../src/upstreams/types.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('chunkToSse', () => {
  it('turns the golden Bedrock chunks into the golden SSE stream', () => {
    const chunks = fixture('bedrock-chunks.jsonl').split('\n').filter(Boolean);
    const sse = chunks.map((chunk) => text(chunkToSse(bytes(chunk), 'claude-sonnet-4-5'))).join('');
    expect(sse).toBe(fixture('expected.sse'));
  });

  it('passes events that need no change byte for byte', () => {
    // Spacing no serializer would produce proves the bytes were not re-encoded.
    const raw = '{"type":"content_block_delta", "index":0,  "delta":{"type":"text_delta","text":"a\\u00e9"}}';
    expect(text(chunkToSse(bytes(raw), 'm'))).toBe(`event: content_block_delta\ndata: ${raw}\n\n`);
  });

  it('removes the invocation metrics wherever they ride', () => {
    const raw = '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"amazon-bedrock-invocationMetrics":{"inputTokenCount":1},"usage":{"output_tokens":2}}';
    expect(text(chunkToSse(bytes(raw), 'm'))).toBe('event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\n\n');
  });

  it('reads the type of events that do not lead with it', () => {
    expect(text(chunkToSse(bytes('{"index":1,"type":"content_block_stop"}'), 'm'))).toBe('event: content_block_stop\ndata: {"index":1,"type":"content_block_stop"}\n\n');
  });

  it('keeps each event on one data line even if Bedrock pretty-prints', () => {
    expect(text(chunkToSse(bytes('{\n  "type": "message_stop"\n}'), 'm'))).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
  });

  it('regression: an event whose JSON whitespace is a lone CR is re-serialised, not passed through to split its data line', () => {
    // SSE parsers end a line at a lone CR too: passed through, this data line would read `{`.
    expect(text(chunkToSse(bytes('{"type":"content_block_stop",\r"index":1}'), 'm'))).toBe('event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n');
  });

  it('rejects bytes that are not a JSON object', () => {
    expect(() => chunkToSse(bytes('not json'), 'm')).toThrow(UpstreamStreamError);
  });

  it('pings in the Anthropic API format', () => {
    expect(text(PING_FRAME)).toBe('event: ping\ndata: {"type": "ping"}\n\n');
  });
});

describe('rewriteMessageBody', () => {
  it('answers with the client model name', () => {
    const body = '{"id":"msg_1","type":"message","model":"claude-sonnet-4-5-20250929","content":[]}';
    expect(text(rewriteMessageBody(bytes(body), 'claude-sonnet-4-5[1m]'))).toBe('{"id":"msg_1","type":"message","model":"claude-sonnet-4-5[1m]","content":[]}');
  });

  it('leaves unreadable bodies alone', () => {
    expect(text(rewriteMessageBody(bytes('oops'), 'm'))).toBe('oops');
  });
});
