import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { inbound, readAll, startHarness, userTurn, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const invocations = () => h.mock.requests.filter((r) => r.operation === 'invoke' || r.operation === 'invoke-stream');

describe('Bedrock upstream, non-streaming', () => {
  it('answers the Messages body with the client model name', async () => {
    const reply = await h.upstream.messages(inbound(userTurn('[[text Plain answer]] [[usage in=7 out=3]]', { stream: false, tags: { team: 'x' } })));
    expect(reply.status).toBe(200);
    expect(reply.headers).toEqual({ 'content-type': 'application/json' });
    expect(reply.upstreamModel).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const body = JSON.parse(await readAll(reply));
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Plain answer' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 7, output_tokens: 3 },
    });
    const [sent] = invocations();
    expect(sent?.operation).toBe('invoke');
    expect(sent?.body).toEqual({ max_tokens: 1024, messages: [{ role: 'user', content: '[[text Plain answer]] [[usage in=7 out=3]]' }], anthropic_version: 'bedrock-2023-05-31' });
    expect(reply.upstreamRequestId).toBe(sent?.replyRequestId);
  });

  it('never mutates the inbound body', async () => {
    const body = userTurn('hi', { stream: true, tags: ['a'] });
    const copy = structuredClone(body);
    await readAll(await h.upstream.messages(inbound(body, { headers: { 'anthropic-beta': 'request-tags-2026-08-21' } })));
    expect(body).toEqual(copy);
  });
});

describe('Bedrock upstream, errors before the first byte', () => {
  it.each([
    ['[[bedrock-error ThrottlingException Too many requests, please wait before trying again.]]', 429, 'rate_limit_error', 'Too many requests, please wait before trying again.'],
    ['[[error 529 overloaded_error Overloaded]]', 529, 'overloaded_error', 'Overloaded'],
    ['[[bedrock-error ServiceUnavailableException Bedrock is unable to process your request.]]', 529, 'overloaded_error', 'Bedrock is unable to process your request.'],
    ['[[bedrock-error ModelNotReadyException Model is not ready.]]', 529, 'overloaded_error', 'Model is not ready.'],
    ['[[bedrock-error ValidationException Input is too long.]]', 400, 'invalid_request_error', 'Input is too long.'],
    ['[[bedrock-error ValidationException prompt is too long: 210000 tokens > 200000 maximum]]', 400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'],
    ['[[bedrock-error ModelTimeoutException Model has timed out in processing the request.]]', 504, 'api_error', 'Model has timed out in processing the request.'],
    ['[[bedrock-error InternalServerException Internal server error]]', 500, 'api_error', 'Internal server error'],
  ])('%s → %i %s', async (text, status, type, message) => {
    for (const stream of [true, false]) {
      const reply = await h.upstream.messages(inbound(userTurn(text, { stream })));
      expect(reply.status).toBe(status);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(JSON.parse(await readAll(reply))).toEqual({ type: 'error', error: { type, message } });
    }
    expect(h.warnings).toEqual([]);
  });

  it('withholds messages that expose the account and logs them for the operator', async () => {
    const secret = 'User: arn:aws:sts::123456789012:assumed-role/BedrockAccess/ccag is not authorized to perform: bedrock:InvokeModel';
    const reply = await h.upstream.messages(inbound(userTurn(`[[bedrock-error AccessDeniedException ${secret}]]`, { stream: true })));
    expect(reply.status).toBe(502);
    expect(JSON.parse(await readAll(reply))).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'Amazon Bedrock returned AccessDeniedException; the details were logged for the gateway operator.' },
    });
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]?.obj).toMatchObject({ bedrockError: 'AccessDeniedException', httpStatus: 403, bedrockMessage: secret });
  });

  it('answers 502 api_error when Bedrock cannot be reached', async () => {
    await h.mock.close();
    const reply = await h.upstream.messages(inbound(userTurn('hi', { stream: true, model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' })));
    expect(reply.status).toBe(502);
    expect(JSON.parse(await readAll(reply)).error).toEqual({ type: 'api_error', message: 'The gateway could not reach Amazon Bedrock; the details were logged for the gateway operator.' });
    expect(h.warnings.some((w) => w.msg === 'Bedrock error detail withheld from the client')).toBe(true);
  });

  it('rejects an unknown model with model_not_found naming it, without calling Bedrock', async () => {
    const error = await h.upstream.messages(inbound(userTurn('hi', { model: 'claude-opus-4-9' }))).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'model_not_found', status: 404, type: 'not_found_error', message: 'model: claude-opus-4-9' });
    expect(invocations()).toHaveLength(0);
  });

  it('rejects a request without a model', async () => {
    await expect(h.upstream.messages(inbound({ max_tokens: 5, messages: [] }))).rejects.toMatchObject({ status: 400, type: 'invalid_request_error' });
  });
});
