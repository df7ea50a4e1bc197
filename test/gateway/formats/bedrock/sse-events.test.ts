import { describe, expect, it } from 'vitest';
import { SseEventSplitter } from '../../../../src/gateway/formats/bedrock/sse-events.js';

const events = (splitter: SseEventSplitter, ...chunks: string[]) => chunks.flatMap((chunk) => splitter.push(Buffer.from(chunk))).map((e) => ({ name: e.name, data: e.data.toString('utf8') }));

describe('SseEventSplitter', () => {
  it('yields several events from one chunk and holds a partial one', () => {
    const splitter = new SseEventSplitter();
    expect(events(splitter, 'event: a\ndata: {"n":1}\n\nevent: b\ndata: {"n":2}\n\nevent: c\ndata: {"n"')).toEqual([
      { name: 'a', data: '{"n":1}' },
      { name: 'b', data: '{"n":2}' },
    ]);
    expect(events(splitter, ':3}\n', '\n')).toEqual([{ name: 'c', data: '{"n":3}' }]);
  });

  it('reads CRLF line ends, data without the space, comments and multi-line data', () => {
    const splitter = new SseEventSplitter();
    expect(events(splitter, ': keep-alive\r\nevent:x\r\ndata:{"a":\r\ndata: 1}\r\n\r\n')).toEqual([{ name: 'x', data: '{"a":\n1}' }]);
  });

  it('does not let a later chunk overwrite held bytes', () => {
    const splitter = new SseEventSplitter();
    const reused = Buffer.from('data: {"v":"first"');
    splitter.push(reused);
    reused.fill(0x20);
    expect(events(splitter, '}\n\n')).toEqual([{ name: '', data: '{"v":"first"}' }]);
  });

  it('returns an event the stream ended without its blank line', () => {
    const splitter = new SseEventSplitter();
    expect(events(splitter, 'event: message_stop\ndata: {"type":"message_stop"}')).toEqual([]);
    expect(splitter.end()?.data.toString()).toBe('{"type":"message_stop"}');
    expect(splitter.end()).toBeUndefined();
  });
});
