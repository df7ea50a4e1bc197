import { describe, expect, it } from 'vitest';
import { jsonWithClientModel, sseWithClientModel } from '../../../src/upstreams/anthropic/reply-model.js';

const CLIENT = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const START = `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":3}}}\n\n`;
const REST = `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\nevent: ping\ndata: {"type": "ping"}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n`;

function source(parts: string[], log: string[] = []): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        async next() {
          const part = parts[i++];
          log.push(part === undefined ? 'done' : 'read');
          return part === undefined ? { done: true, value: undefined } : { done: false, value: Buffer.from(part) };
        },
        async return() {
          log.push('return');
          return { done: true, value: undefined };
        },
      };
    },
  };
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of body) out.push(Buffer.from(chunk).toString('utf8'));
  return out;
}

describe('sseWithClientModel', () => {
  it('renames message_start and passes every later byte through as it came', async () => {
    const chunks = await collect(sseWithClientModel(source([START, REST]), CLIENT));
    expect(chunks[1]).toBe(REST);
    expect(chunks[0]).toBe(START.replace('"model":"claude-sonnet-4-5-20250929"', `"model":"${CLIENT}"`));
  });

  it('holds split chunks only until message_start is complete', async () => {
    const cut = START.length - 10;
    const parts = [START.slice(0, 20), START.slice(20, cut), START.slice(cut) + REST.slice(0, 30), REST.slice(30)];
    const chunks = await collect(sseWithClientModel(source(parts), CLIENT));
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toContain(`"model":"${CLIENT}"`);
    expect(chunks[0]!.endsWith(REST.slice(0, 30))).toBe(true);
    expect(chunks[1]).toBe(REST.slice(30));
  });

  it('leaves a stream whose first event is not message_start alone', async () => {
    const error = `event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`;
    expect((await collect(sseWithClientModel(source([error, START]), CLIENT))).join('')).toBe(error + START);
  });

  it('releases an unfinished head at the end, and the upstream when the reader stops', async () => {
    expect(await collect(sseWithClientModel(source(['event: message_start\ndata: {']), CLIENT))).toEqual(['event: message_start\ndata: {']);
    const log: string[] = [];
    const iterator = sseWithClientModel(source([START, REST], log), CLIENT)[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    expect(log).toEqual(['read', 'return']);
  });
});

describe('jsonWithClientModel', () => {
  it('renames the model of a Messages body', async () => {
    const body = { id: 'msg_1', type: 'message', model: 'claude-sonnet-4-5-20250929', content: [] };
    const [out] = await collect(jsonWithClientModel(source([JSON.stringify(body).slice(0, 10), JSON.stringify(body).slice(10)]), CLIENT));
    expect(JSON.parse(out!)).toEqual({ ...body, model: CLIENT });
  });

  it('leaves bodies without a model as they are', async () => {
    expect(await collect(jsonWithClientModel(source(['{"input_tokens":', '12}']), CLIENT))).toEqual(['{"input_tokens":12}']);
    expect(await collect(jsonWithClientModel(source(['not json']), CLIENT))).toEqual(['not json']);
  });
});
