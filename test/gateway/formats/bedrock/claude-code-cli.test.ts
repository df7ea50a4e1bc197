/**
 * The real Claude Code CLI, in Bedrock mode, reading replies made by the Bedrock format alone (a
 * bare node:http server presents canned Anthropic replies through it): the stream with heartbeat
 * pings, a spent budget, and a context-length error. The gateway-level runs are in test/e2e.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicErrorBody } from '../../../../src/errors.js';
import { bedrockError } from '../../../../src/gateway/formats/bedrock/index.js';
import { listInferenceProfiles } from '../../../../src/gateway/formats/bedrock/inference-profiles.js';
import { presentReply } from '../../../../src/gateway/formats/bedrock/reply.js';
import { NATIVE_CLAUDE_BIN, runClaudeCode } from '../../../support/claude-code.js';

const SSE_EVENTS = readFileSync(new URL('./fixtures/anthropic-stream.sse', import.meta.url), 'utf8')
  .split('\n\n')
  .filter((event) => event.trim().length > 0)
  .map((event) => `${event}\n\n`);
const PING = 'event: ping\ndata: {"type": "ping"}\n\n';
const MODELS = [{ id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', type: 'model' as const, created_at: '2025-09-29T00:00:00Z' }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Scenario = 'stream' | 'budget' | 'too-long';
let scenario: Scenario = 'stream';
const streamed: string[] = [];
let server: Server;
let url = '';

async function answerInvoke(res: ServerResponse, path: string): Promise<void> {
  streamed.push(path);
  if (scenario === 'budget') {
    const error = bedrockError(429, 'billing_error', 'The monthly budget of team Platform is used up; ask ops@example.com.');
    res.writeHead(error.status, { ...error.headers, 'x-should-retry': 'false' });
    res.end(error.body);
    return;
  }
  const upstream = scenario === 'too-long' ? { status: 400, type: 'application/json' } : { status: 200, type: 'text/event-stream' };
  const reply = presentReply({ status: upstream.status, headers: { 'content-type': upstream.type }, body: (async function* () {})(), upstreamModel: 'm' }, { operation: 'invoke-stream', requestId: 'req_ccag_cli', startedAt: performance.now() });
  res.writeHead(reply.status, reply.headers);
  if (scenario === 'too-long') {
    res.write(reply.encode(Buffer.from(anthropicErrorBody('invalid_request_error', 'prompt is too long: 215000 tokens > 200000 maximum'))));
  } else {
    for (const [index, event] of SSE_EVENTS.entries()) {
      res.write(reply.encode(Buffer.from(event)));
      // A silent upstream: the heartbeat's pings must keep the client reading, not confuse it.
      if (index === 1) for (let n = 0; n < 3; n += 1) {
        await sleep(150);
        res.write(reply.encode(Buffer.from(PING)));
      }
    }
  }
  res.end(Buffer.from(reply.end()));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      if (path.startsWith('/inference-profiles')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(listInferenceProfiles(MODELS, Object.fromEntries(new URL(path, 'http://x').searchParams), { region: 'us-east-1' })));
        return;
      }
      // 2.1.33x probes model tiers with non-streaming invokes; only the listed model answers.
      if (!path.includes('claude-sonnet-4-5')) {
        const error = bedrockError(404, 'not_found_error', 'The model is not available through this gateway.');
        res.writeHead(error.status, error.headers);
        res.end(error.body);
        return;
      }
      if (/\/invoke(\?|$)/.test(path)) {
        // A probe: the non-streaming reply passes through as the Messages JSON.
        const message = Buffer.from(JSON.stringify({ id: 'msg_probe', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } }));
        const reply = presentReply({ status: 200, headers: { 'content-type': 'application/json' }, body: (async function* () {})(), upstreamModel: 'm' }, { operation: 'invoke', requestId: 'req_ccag_probe', startedAt: 0 });
        res.writeHead(reply.status, reply.headers);
        res.end(Buffer.from(reply.encode(message)));
        return;
      }
      void answerInvoke(res, path);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const clients = [
  { label: 'pinned npm CLI', bin: undefined },
  ...(existsSync(NATIVE_CLAUDE_BIN) ? [{ label: 'native 2.1.33x', bin: NATIVE_CLAUDE_BIN }] : []),
];

describe.each(clients)('Claude Code ($label) reading the Bedrock format', ({ bin }) => {
  const run = (next: Scenario) => {
    scenario = next;
    streamed.length = 0;
    const env = { CLAUDE_CODE_USE_BEDROCK: '1', ANTHROPIC_BEDROCK_BASE_URL: url, AWS_REGION: 'us-east-1', AWS_BEARER_TOKEN_BEDROCK: 'sk-ccag-test', CLAUDE_CODE_MAX_RETRIES: '2' };
    return runClaudeCode('say hi', env, [], { bin });
  };

  it('prints the streamed text, pings and all', async () => {
    const result = await run('stream');
    expect(result.json?.result, result.stderr).toBe('Hello, wörld — second delta');
    expect(streamed[0]).toMatch(/^\/model\/us\.anthropic\.claude-sonnet-4-5-20250929-v1(:|%3A)0\/invoke-with-response-stream/);
  }, 90_000);

  it('shows a spent budget’s message and does not retry it', async () => {
    const result = await run('budget');
    expect(result.json?.result).toBe('API Error: Request rejected (429) · The monthly budget of team Platform is used up; ask ops@example.com.');
    // CLAUDE_CODE_MAX_RETRIES is 2 here: `x-should-retry: false` alone keeps it to one request.
    expect(streamed).toHaveLength(1);
  }, 90_000);

  it('recognises a context-length error as such', async () => {
    const result = await run('too-long');
    expect(String(result.json?.result)).toMatch(/^Prompt is too long/);
  }, 90_000);
});
