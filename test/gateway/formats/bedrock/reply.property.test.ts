/**
 * The Bedrock front door's reply side and path over arbitrary input: any upstream error body
 * becomes an AWS error whose message is the Anthropic one (or a stated fallback), any CountTokens
 * body an `{"inputTokens":N}`, and any request path a target or an ApiError, never another failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/errors.js';
import { presentReply } from '../../../../src/gateway/formats/bedrock/reply.js';
import { bedrockTarget } from '../../../../src/gateway/formats/bedrock/target.js';
import type { UpstreamReply } from '../../../../src/upstreams/types.js';
import { runs } from '../../../support/property.js';
import { cuts, splitAt } from '../../../support/sse-arbitraries.js';

const upstream = (status: number, contentType = 'application/json'): UpstreamReply => ({ status, headers: { 'content-type': contentType }, body: (async function* () {})(), upstreamModel: 'm' });

/** Runs a body through a presented reply in the given chunks and returns what the client gets. */
function present(reply: ReturnType<typeof presentReply>, chunks: readonly Uint8Array[]): Buffer {
  const out = [...chunks.map((chunk) => reply.encode(chunk)), reply.end()];
  return Buffer.concat(out.map((part) => Buffer.from(part)));
}

const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? '')),
  fc.record({ type: fc.constant('error'), error: fc.record({ type: fc.string({ maxLength: 20 }), message: fc.string({ maxLength: 60 }) }) }).map((value) => Buffer.from(JSON.stringify(value))),
);

describe('Bedrock replies, property-based', () => {
  it('an upstream error of any status and body is an AWS error carrying the Anthropic message, however the body is cut', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), anyBody, cuts, (status, body, positions) => {
        const reply = presentReply(upstream(status), { operation: 'invoke', requestId: 'req_1', startedAt: 0 });
        expect(reply.status).toBeGreaterThanOrEqual(400);
        const { message } = JSON.parse(present(reply, splitAt(body, positions)).toString('utf8')) as { message: unknown };
        const parsed = (() => {
          try {
            return JSON.parse(body.toString('utf8')) as { error?: { message?: unknown } };
          } catch {
            return undefined;
          }
        })();
        const sent = typeof parsed === 'object' && parsed !== null ? parsed.error?.message : undefined;
        expect(message).toBe(typeof sent === 'string' ? sent : `The upstream answered with status ${status}.`);
      }),
      runs(200),
    );
  });

  it('a CountTokens answer of any body is {"inputTokens": N}, N the upstream count or 0', () => {
    fc.assert(
      fc.property(fc.oneof(anyBody, fc.nat().map((n) => Buffer.from(JSON.stringify({ input_tokens: n })))), cuts, (body, positions) => {
        const reply = presentReply(upstream(200), { operation: 'count-tokens', requestId: undefined, startedAt: 0 });
        const answer = JSON.parse(present(reply, splitAt(body, positions)).toString('utf8')) as Record<string, unknown>;
        expect(Object.keys(answer)).toEqual(['inputTokens']);
        expect(typeof answer.inputTokens).toBe('number');
      }),
      runs(200),
    );
  });

  it('an InvokeModel answer passes through byte for byte, however it is cut', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), cuts, (body, positions) => {
        const reply = presentReply(upstream(200), { operation: 'invoke', requestId: 'req_1', startedAt: 0 });
        expect(present(reply, splitAt(body, positions)).equals(Buffer.from(body))).toBe(true);
      }),
      runs(100),
    );
  });
});

describe('Bedrock request paths, property-based', () => {
  it('any path is a target whose model id round-trips its encoding, or an ApiError', () => {
    const segment = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }).map(encodeURIComponent), fc.constantFrom('us.anthropic.claude-sonnet-4-5-20250929-v1%3A0', '%E0%A4%A', '%', '%2F', ''));
    const operation = fc.constantFrom('invoke', 'invoke-with-response-stream', 'count-tokens', 'converse', '');
    fc.assert(
      fc.property(segment, operation, fc.constantFrom('', '/', '?a=b'), (model, op, tail) => {
        const url = `/model/${model}/${op}${tail}`;
        try {
          const target = bedrockTarget(url);
          expect(encodeURIComponent(target.modelId)).toBe(encodeURIComponent(decodeURIComponent(model)));
          expect(target.modelId.trim()).not.toBe('');
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError);
          expect((error as ApiError).status).toBeLessThan(500);
        }
      }),
      runs(300),
    );
  });
});
