import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/errors.js';
import { bedrockFormat, type BedrockCall } from '../../../../src/gateway/formats/bedrock/index.js';

const PROFILE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';

const invokeBody = {
  anthropic_version: 'bedrock-2023-05-31',
  anthropic_beta: ['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07'],
  max_tokens: 32000,
  system: [{ type: 'text', text: 'You are Claude Code.' }],
  messages: [{ role: 'user', content: 'hi' }],
  tools: [],
  some_future_field: { kept: true },
};

function request(url: string, body: unknown, headers: Record<string, string> = {}): FastifyRequest {
  const raw = typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  return { url, body: raw, headers: { 'content-type': 'application/json', ...headers }, ccagRequestId: 'req_ccag_1' } as unknown as FastifyRequest;
}

const parse = (url: string, body: unknown, headers?: Record<string, string>) => bedrockFormat.parse(request(url, body, headers)) as BedrockCall;

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('Bedrock invoke requests as Messages calls', () => {
  it('takes the model from the URL-encoded path and streaming from the operation', () => {
    const call = parse(`/model/${encodeURIComponent(PROFILE)}/invoke-with-response-stream`, invokeBody);
    expect(call.model).toBe(PROFILE);
    expect(call.streaming).toBe(true);
    expect(call.operation).toBe('invoke-stream');
    expect(call.body).toMatchObject({ model: PROFILE, stream: true, max_tokens: 32000 });
    expect(call.body).not.toHaveProperty('anthropic_version');
    expect(call.body).not.toHaveProperty('anthropic_beta');
    expect(call.body.some_future_field).toEqual({ kept: true });
    expect(JSON.parse(call.raw.toString('utf8'))).toEqual(call.body);
    expect(call.search).toBe('');
  });

  it('decodes ARNs, slashes included', () => {
    const call = parse(`/model/${encodeURIComponent(ARN)}/invoke`, invokeBody);
    expect(call.model).toBe(ARN);
    expect(call.streaming).toBe(false);
    expect(call.body).not.toHaveProperty('stream');
  });

  it('moves the body betas into anthropic-beta, after those the client sent in the header, once each', () => {
    const call = parse(`/model/${PROFILE}/invoke`, invokeBody, { 'anthropic-beta': 'oauth-2025-04-20, context-1m-2025-08-07' });
    expect(call.headers['anthropic-beta']).toBe('oauth-2025-04-20,context-1m-2025-08-07,interleaved-thinking-2025-05-14');
  });

  it('adds the anthropic-version header the Anthropic API requires and Bedrock clients never send', () => {
    expect(parse(`/model/${PROFILE}/invoke`, invokeBody).headers['anthropic-version']).toBe('2023-06-01');
    expect(parse(`/model/${PROFILE}/invoke`, invokeBody, { 'anthropic-version': '2024-01-01' }).headers['anthropic-version']).toBe('2024-01-01');
  });

  it('keeps the credential headers for authentication', () => {
    const call = parse(`/model/${PROFILE}/invoke`, invokeBody, { 'x-api-key': 'sk-ccag-1', authorization: 'Bearer sk-ccag-1' });
    expect(call.headers['x-api-key']).toBe('sk-ccag-1');
    expect(call.headers.authorization).toBe('Bearer sk-ccag-1');
  });

  it('lets the path, not the body, name the model and the route decide streaming', () => {
    const call = parse(`/model/${PROFILE}/invoke`, { ...invokeBody, model: 'claude-opus-4-1', stream: true });
    expect(call.body.model).toBe(PROFILE);
    expect(call.body).not.toHaveProperty('stream');
  });

  it('refuses bodies that are not a JSON object, with a clear message', () => {
    expect(refusal(() => parse(`/model/${PROFILE}/invoke`, '')).message).toMatch(/empty/);
    expect(refusal(() => parse(`/model/${PROFILE}/invoke`, '{"messages":')).message).toMatch(/not valid JSON/);
    expect(refusal(() => parse(`/model/${PROFILE}/invoke`, '[1]')).message).toMatch(/JSON object/);
    expect(refusal(() => parse(`/model/${PROFILE}/invoke`, { ...invokeBody, anthropic_beta: 'x' })).message).toMatch(/anthropic_beta must be an array/);
  });

  it('refuses a malformed path', () => {
    expect(refusal(() => parse('/model/%E0%A4%A/invoke', invokeBody)).type).toBe('invalid_request_error');
    expect(refusal(() => parse('/model/x/converse', invokeBody)).status).toBe(404);
  });
});

describe('Bedrock CountTokens requests as count_tokens calls', () => {
  const countBody = (body: unknown) => ({ input: { invokeModel: { body: Buffer.from(JSON.stringify(body)).toString('base64') } } });

  it('decodes the base64 InvokeModel body and drops what count_tokens refuses', () => {
    const call = parse('/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens', countBody({ ...invokeBody, temperature: 1, thinking: { type: 'enabled', budget_tokens: 1024 } }));
    expect(call.operation).toBe('count-tokens');
    expect(call.streaming).toBe(false);
    expect(call.body).toEqual({
      model: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      system: invokeBody.system,
      messages: invokeBody.messages,
      tools: [],
      some_future_field: { kept: true },
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(call.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,context-1m-2025-08-07');
  });

  it('says plainly that converse input is not supported', () => {
    const error = refusal(() => parse(`/model/${PROFILE}/count-tokens`, { input: { converse: { messages: [] } } }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/converse input is not supported/);
  });

  it('refuses a missing or undecodable invokeModel body', () => {
    expect(refusal(() => parse(`/model/${PROFILE}/count-tokens`, { input: {} })).message).toMatch(/input\.invokeModel\.body/);
    expect(refusal(() => parse(`/model/${PROFILE}/count-tokens`, { input: { invokeModel: { body: 'bm90IGpzb24=' } } })).message).toMatch(/input\.invokeModel\.body is not valid JSON/);
  });
});
