import {
  AccessDeniedException,
  CountTokensCommand,
  InternalServerException,
  InvokeModelCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicErrorBody } from '../../../../src/errors.js';
import { bedrockError } from '../../../../src/gateway/formats/bedrock/index.js';
import { presentReply, type ReplyContext } from '../../../../src/gateway/formats/bedrock/reply.js';
import type { UpstreamReply } from '../../../../src/upstreams/types.js';
import { startSdkHarness, type SdkHarness } from './aws-sdk-harness.js';

const INVOKE: ReplyContext = { operation: 'invoke', requestId: 'req_ccag_2', startedAt: 0 };
const COUNT: ReplyContext = { operation: 'count-tokens', requestId: 'req_ccag_3', startedAt: 0 };
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

function upstream(status: number, headers: Record<string, string> = {}): UpstreamReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: (async function* () {})(), upstreamModel: 'm' };
}

/** The client bytes for an upstream body delivered in two pieces. */
function present(reply: UpstreamReply, body: string, context: ReplyContext) {
  const client = presentReply(reply, context);
  const half = Math.floor(body.length / 2);
  const chunks = [client.encode(Buffer.from(body.slice(0, half))), client.encode(Buffer.from(body.slice(half))), client.end()].filter((c) => c.length > 0);
  return { status: client.status, headers: client.headers, chunks };
}

let sdk: SdkHarness;
beforeAll(async () => {
  sdk = await startSdkHarness();
});
afterAll(() => sdk.close());

async function invokeError(answer: { status: number; headers: Record<string, string>; chunks: Uint8Array[] }): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  sdk.answer(answer);
  try {
    await sdk.runtime.send(new InvokeModelCommand({ modelId: MODEL, body: '{}' }));
  } catch (error) {
    return error as Error;
  }
  throw new Error('the SDK accepted an error reply');
}

describe('InvokeModel and CountTokens replies', () => {
  it('passes the Messages JSON through as the InvokeModel body', async () => {
    const message = JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hé' }], usage: { input_tokens: 3, output_tokens: 1 } });
    const answer = present(upstream(200), message, INVOKE);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'x-amzn-requestid': 'req_ccag_2' });
    sdk.answer(answer);
    const output = await sdk.runtime.send(new InvokeModelCommand({ modelId: MODEL, body: '{}' }));
    expect(Buffer.from(output.body).toString('utf8')).toBe(message);
    expect(output.$metadata.requestId).toBe('req_ccag_2');
  });

  it('answers CountTokens in its own field name', async () => {
    const body = '{"input_tokens":1234}';
    sdk.answer(present(upstream(200), body, COUNT));
    const output = await sdk.runtime.send(new CountTokensCommand({ modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', input: { invokeModel: { body: Buffer.from('{}') } } }));
    expect(output.inputTokens).toBe(1234);
  });
});

describe('upstream Anthropic errors as Bedrock exceptions', () => {
  const cases: [number, string, new (...args: never[]) => Error, number][] = [
    [429, 'rate_limit_error', ThrottlingException, 429],
    [529, 'overloaded_error', ServiceUnavailableException, 503],
    [400, 'invalid_request_error', ValidationException, 400],
    [404, 'not_found_error', ResourceNotFoundException, 404],
    [403, 'permission_error', AccessDeniedException, 403],
    [500, 'api_error', InternalServerException, 500],
  ];
  for (const [status, type, exception, bedrockStatus] of cases) {
    it(`${status} ${type} → ${exception.name} ${bedrockStatus}`, async () => {
      const body = anthropicErrorBody(type, `upstream says ${type}`);
      const answer = present(upstream(status), body, INVOKE);
      expect(answer.status).toBe(bedrockStatus);
      const error = await invokeError(answer);
      expect(error).toBeInstanceOf(exception);
      expect(error.message).toBe(`upstream says ${type}`);
      expect(error.$metadata?.httpStatusCode).toBe(bedrockStatus);
    });
  }

  it('keeps a context-length message verbatim', async () => {
    const message = 'prompt is too long: 215000 tokens > 200000 maximum';
    const body = anthropicErrorBody('invalid_request_error', message);
    const error = await invokeError(present(upstream(400), body, INVOKE));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe(message);
  });

  it('keeps the retry headers a client acts on and drops the upstream account’s', () => {
    const body = anthropicErrorBody('rate_limit_error', 'slow down');
    const answer = present(upstream(429, { 'retry-after': '7', 'x-should-retry': 'true', 'anthropic-ratelimit-requests-remaining': '0' }), body, INVOKE);
    expect(answer.headers).toMatchObject({ 'retry-after': '7', 'x-should-retry': 'true', 'x-amzn-errortype': 'ThrottlingException' });
    expect(answer.headers['anthropic-ratelimit-requests-remaining']).toBeUndefined();
  });

  it('still answers when the error body is not Anthropic JSON', async () => {
    const error = await invokeError(present(upstream(502), '<html>bad gateway</html>', INVOKE));
    expect(error).toBeInstanceOf(InternalServerException);
    expect(error.message).toBe('The upstream answered with status 502.');
  });
});

describe('gateway-made errors as Bedrock exceptions', () => {
  const cases: [number, string, string, number][] = [
    [429, 'rate_limit_error', 'ThrottlingException', 429],
    [429, 'billing_error', 'ServiceQuotaExceededException', 429],
    [401, 'authentication_error', 'UnrecognizedClientException', 401],
    [403, 'permission_error', 'AccessDeniedException', 403],
    [404, 'not_found_error', 'ResourceNotFoundException', 404],
    [413, 'request_too_large', 'ValidationException', 413],
    [501, 'not_supported', 'ValidationException', 400],
    [502, 'api_error', 'InternalServerException', 502],
    [503, 'overloaded_error', 'ServiceUnavailableException', 503],
  ];
  for (const [status, type, name, bedrockStatus] of cases) {
    it(`${status} ${type} → ${name} ${bedrockStatus}`, async () => {
      const rendered = bedrockError(status, type, `gateway says ${type}`);
      expect(rendered.status).toBe(bedrockStatus);
      const error = await invokeError({ status: rendered.status, headers: rendered.headers, chunks: [Buffer.from(rendered.body)] });
      expect(error.name).toBe(name);
      expect(error.message).toBe(`gateway says ${type}`);
    });
  }

  it('gives a spent budget an exception class AWS SDK users can catch', async () => {
    const rendered = bedrockError(429, 'billing_error', 'The monthly budget of team Platform is used up.');
    const error = await invokeError({ status: rendered.status, headers: rendered.headers, chunks: [Buffer.from(rendered.body)] });
    expect(error).toBeInstanceOf(ServiceQuotaExceededException);
  });
});
