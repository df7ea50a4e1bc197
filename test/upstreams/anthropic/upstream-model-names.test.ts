/** The Anthropic upstream's model names end to end, against the mock Anthropic API. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnthropicUpstream } from '../../../src/upstreams/anthropic/index.js';
import type { InboundRequest, MessagesBody, Upstream, UpstreamReply } from '../../../src/upstreams/types.js';
import { startMockAnthropic, type MockAnthropic } from '../../support/mock-anthropic.js';
import { loopbackOutbound } from '../../support/outbound.js';

let mock: MockAnthropic | undefined;
let upstream: Upstream | undefined;
afterEach(async () => {
  await upstream?.close();
  await mock?.close();
  upstream = undefined;
  mock = undefined;
});

async function start(): Promise<{ mock: MockAnthropic; upstream: Upstream }> {
  mock = await startMockAnthropic();
  upstream = createAnthropicUpstream({ kind: 'anthropic', baseUrl: mock.url }, { apiKey: mock.apiKey }, { timeoutMs: 10_000, outbound: loopbackOutbound });
  return { mock, upstream };
}

function inbound(body: MessagesBody, raw = JSON.stringify(body), headers: Record<string, string> = {}): InboundRequest {
  return { requestId: 'req_test', rawBody: Buffer.from(raw), body, headers, search: '', signal: new AbortController().signal };
}

const turn = (model: string, extra: MessagesBody = {}): MessagesBody => ({ model, max_tokens: 64, messages: [{ role: 'user', content: '[[text Hi]]' }], ...extra });

async function text(reply: UpstreamReply): Promise<string> {
  let out = '';
  for await (const chunk of reply.body) out += Buffer.from(chunk).toString('utf8');
  return out;
}

const posts = () => mock!.requests.filter((r) => r.method === 'POST');

describe('Anthropic upstream, model names', () => {
  it('forwards an Anthropic id byte for byte and answers as the API did', async () => {
    const { upstream } = await start();
    const body = turn('claude-sonnet-4-5');
    const raw = `{ "model" : "claude-sonnet-4-5",\n "max_tokens": 64, "messages": [{"role":"user","content":"[[text Hi]]"}] }`;
    const reply = await upstream.messages(inbound(body, raw));
    expect(reply.upstreamModel).toBe('claude-sonnet-4-5');
    expect(JSON.parse(await text(reply)).model).toBe('claude-sonnet-4-5');
    expect(posts()[0]?.rawBody.toString('utf8')).toBe(raw);
  });

  it.each([true, false])('sends a Bedrock profile id as the Anthropic id and answers with the client’s name (stream %s)', async (stream) => {
    const { upstream } = await start();
    const clientModel = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const reply = await upstream.messages(inbound(turn(clientModel, { stream, metadata: { user_id: 'u' } })));
    expect(reply.status).toBe(200);
    expect(reply.upstreamModel).toBe('claude-sonnet-4-5-20250929');
    expect(posts()[0]?.body).toEqual(turn('claude-sonnet-4-5-20250929', { stream, metadata: { user_id: 'u' } }));
    const out = await text(reply);
    if (stream) {
      expect(out).toContain(`"model":"${clientModel}"`);
      expect(out).not.toContain('"model":"claude-sonnet-4-5-20250929"');
      expect(out).toContain('event: message_stop');
    } else {
      expect(JSON.parse(out)).toMatchObject({ model: clientModel, content: [{ type: 'text', text: 'Hi' }] });
    }
  });

  it('turns the [1m] suffix into the 1M-context beta', async () => {
    const { upstream } = await start();
    const reply = await upstream.messages(inbound(turn('claude-sonnet-4-5[1m]'), undefined, { 'anthropic-beta': 'interleaved-thinking-2025-05-14' }));
    expect(JSON.parse(await text(reply)).model).toBe('claude-sonnet-4-5[1m]');
    expect(posts()[0]?.body?.model).toBe('claude-sonnet-4-5');
    expect(posts()[0]?.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,context-1m-2025-08-07');
  });

  it('passes error bodies through unmodified under a renamed model', async () => {
    const { upstream } = await start();
    const reply = await upstream.messages(inbound(turn('global.anthropic.claude-opus-4-6-v1', { messages: [{ role: 'user', content: '[[error 529 overloaded_error Overloaded]]' }] })));
    expect(reply.status).toBe(529);
    expect(JSON.parse(await text(reply))).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(posts()[0]?.body?.model).toBe('claude-opus-4-6');
  });

  it('counts tokens under the Anthropic id', async () => {
    const { upstream } = await start();
    const reply = await upstream.countTokens(inbound({ model: 'anthropic.claude-haiku-4-5-20251001-v1:0', messages: [{ role: 'user', content: 'count' }] }));
    expect(reply.status).toBe(200);
    expect(reply.upstreamModel).toBe('claude-haiku-4-5-20251001');
    expect(JSON.parse(await text(reply))).toHaveProperty('input_tokens');
    expect(posts()[0]?.body?.model).toBe('claude-haiku-4-5-20251001');
  });

  it('refuses an application inference profile ARN without calling the API', async () => {
    const { upstream } = await start();
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3';
    await expect(upstream.messages(inbound(turn(arn)))).rejects.toMatchObject({ code: 'model_not_found', status: 404 });
    expect(posts()).toHaveLength(0);
  });
});

describe('Anthropic upstream, serves()', () => {
  it('serves every Claude model name, listed or not, and nothing else, without a call', async () => {
    const { mock, upstream } = await start();
    // The API takes aliases it does not list: the list must not decide.
    mock.models.splice(0, mock.models.length, { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' });
    for (const name of ['claude-opus-4-6', 'claude-sonnet-4-5', 'claude-3-5-haiku-latest', 'claude-sonnet-4-5[1m]', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0']) {
      expect(upstream.serves(name), name).toBe(true);
    }
    for (const name of ['gpt-4o', 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123', '']) {
      expect(upstream.serves(name), name).toBe(false);
    }
    expect(mock.requests).toHaveLength(0);
  });
});
