/**
 * Anthropic ⇄ Bedrock request translation over arbitrary bodies: a Messages body sent to Bedrock
 * and read back by the gateway's Bedrock front door is the same call, a Bedrock body read as a
 * Messages call and translated again is the same Bedrock body, and no input makes the front door
 * fail with anything but an ApiError (a 4xx in the Anthropic shape).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/errors.js';
import { countTokensCall, invokeCall } from '../../../../src/gateway/formats/bedrock/request.js';
import type { BedrockTarget } from '../../../../src/gateway/formats/bedrock/target.js';
import { BEDROCK_ANTHROPIC_VERSION, REQUEST_TAGS_BETA, translateRequest } from '../../../../src/upstreams/bedrock/request-translation.js';
import { runs } from '../../../support/property.js';

/**
 * Body fields the translation passes through untouched: any name but the ones it owns, any JSON
 * value as it arrives off the wire (so -0 is already 0).
 */
const OWNED = new Set(['model', 'stream', 'tags', 'anthropic_beta', 'anthropic_version', '__proto__']);
const passThrough = fc
  .dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !OWNED.has(key)), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
  .map((fields) => JSON.parse(JSON.stringify(fields)) as Record<string, unknown>);
const beta = fc.oneof(fc.constantFrom('context-1m-2025-08-07', 'interleaved-thinking-2025-05-14', REQUEST_TAGS_BETA, ' padded-beta ', ''), fc.stringMatching(/^[a-z0-9-]{1,20}$/));
const model = fc.constantFrom('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-opus-4-6-v1', 'global.anthropic.claude-haiku-4-5-20251001-v1:0');

const messagesBody = fc.record(
  {
    fields: passThrough,
    messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), content: fc.string({ maxLength: 30 }) }), { maxLength: 3 }),
    max_tokens: fc.integer({ min: 1, max: 64_000 }),
    stream: fc.boolean(),
    tags: fc.option(fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 }), { nil: undefined }),
    bodyBetas: fc.option(fc.array(beta, { maxLength: 4 }), { nil: undefined }),
    headerBetas: fc.array(beta, { maxLength: 4 }),
  },
  { requiredKeys: ['fields', 'messages', 'max_tokens', 'stream', 'headerBetas'] },
);

/** The betas a Bedrock body carries: trimmed, non-empty, once each, never the request-tags beta. */
const carried = (betas: readonly string[]) => [...new Set(betas.map((b) => b.trim()).filter((b) => b !== '' && b !== REQUEST_TAGS_BETA))];

describe('Anthropic ⇄ Bedrock request translation, property-based', () => {
  it('a Messages body sent to Bedrock reads back, through the Bedrock front door, as the same call', () => {
    fc.assert(
      fc.property(messagesBody, model, (generated, modelId) => {
        const body = { ...generated.fields, model: modelId, messages: generated.messages, max_tokens: generated.max_tokens, stream: generated.stream, ...(generated.tags && { tags: generated.tags }), ...(generated.bodyBetas && { anthropic_beta: generated.bodyBetas }) };
        const headers = generated.headerBetas.length > 0 ? { 'anthropic-beta': generated.headerBetas.join(',') } : {};
        const bedrock = translateRequest(headers, body, { longContext: false });
        expect(bedrock.body.anthropic_version).toBe(BEDROCK_ANTHROPIC_VERSION);
        for (const field of ['model', 'stream', 'tags']) expect(bedrock.body).not.toHaveProperty(field);

        const target: BedrockTarget = { modelId, operation: generated.stream ? 'invoke-stream' : 'invoke' };
        const call = invokeCall(Buffer.from(JSON.stringify(bedrock.body)), target, {});
        const { tags: _tags, anthropic_beta: _betas, stream: _stream, ...kept } = body;
        expect(call.body).toEqual({ ...kept, ...(generated.stream ? { stream: true } : {}) });
        expect(call.model).toBe(modelId);
        expect(call.streaming).toBe(generated.stream);
        expect(JSON.parse(call.raw.toString('utf8'))).toEqual(call.body);
        const betas = carried([...generated.headerBetas.join(',').split(','), ...(generated.bodyBetas ?? [])]);
        expect(call.headers['anthropic-beta']).toBe(betas.length > 0 ? betas.join(',') : undefined);
      }),
      runs(200),
    );
  });

  it('a Bedrock body read as a Messages call and translated again is the same Bedrock body', () => {
    fc.assert(
      fc.property(passThrough, fc.option(fc.array(beta, { maxLength: 4 }), { nil: undefined }), model, fc.boolean(), (fields, betas, modelId, streaming) => {
        const bedrockBody = { ...fields, anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...(betas && { anthropic_beta: betas }) };
        const call = invokeCall(Buffer.from(JSON.stringify(bedrockBody)), { modelId, operation: streaming ? 'invoke-stream' : 'invoke' }, {});
        const again = translateRequest(call.headers, call.body, { longContext: false });
        const expectedBetas = carried(betas ?? []);
        expect(again.body).toEqual({ ...fields, anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...(expectedBetas.length > 0 && { anthropic_beta: expectedBetas }) });
      }),
      runs(200),
    );
  });

  it('the Bedrock front door answers any bytes with a call or an ApiError, never another failure', () => {
    const anyBody = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value) ?? '')),
      fc.record({ input: fc.record({ invokeModel: fc.record({ body: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.base64String({ maxLength: 60 }), fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64'))) }) }) }).map((value) => Buffer.from(JSON.stringify(value))),
    );
    fc.assert(
      fc.property(anyBody, fc.constantFrom<BedrockTarget['operation']>('invoke', 'invoke-stream', 'count-tokens'), (raw, operation) => {
        const read = operation === 'count-tokens' ? countTokensCall : invokeCall;
        try {
          const call = read(raw, { modelId: 'anthropic.claude-opus-4-6-v1', operation }, {});
          expect(call.model).toBe('anthropic.claude-opus-4-6-v1');
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError);
          expect((error as ApiError).status).toBeGreaterThanOrEqual(400);
          expect((error as ApiError).status).toBeLessThan(500);
        }
      }),
      runs(200),
    );
  });
});
