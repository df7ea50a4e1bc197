import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requestedBetas, translateRequest } from '../../../src/upstreams/bedrock/request-translation.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('translateRequest', () => {
  it('turns a Claude Code request into the golden Bedrock body', () => {
    const { headers, body } = fixture('claude-code-request.json');
    const before = structuredClone(body);
    const out = translateRequest(headers, body, { longContext: true });
    expect(out.body).toEqual(fixture('claude-code-request.bedrock.json'));
    // Key order matters for byte-exact golden files too: the client's fields first, in order.
    expect(JSON.stringify(out.body)).toBe(JSON.stringify(fixture('claude-code-request.bedrock.json')));
    expect(out.betas).toEqual(fixture('claude-code-request.bedrock.json').anthropic_beta);
    expect(body).toEqual(before);
  });

  it('removes model, stream and tags and sets the Bedrock anthropic_version', () => {
    const out = translateRequest({}, { model: 'claude-haiku-4-5', stream: false, tags: ['a'], max_tokens: 5, messages: [], anthropic_version: '2023-06-01' }, { longContext: false });
    expect(out.body).toEqual({ max_tokens: 5, messages: [], anthropic_version: 'bedrock-2023-05-31' });
    expect(out.betas).toEqual([]);
  });

  it('passes unknown body fields through untouched', () => {
    const out = translateRequest({}, { model: 'm', max_tokens: 1, messages: [], future_field: { nested: [1, 2] }, service_tier: 'auto' }, { longContext: false });
    expect(out.body.future_field).toEqual({ nested: [1, 2] });
    expect(out.body.service_tier).toBe('auto');
  });

  it('merges repeated anthropic-beta headers with body betas, deduplicated, in order', () => {
    const headers = { 'anthropic-beta': ['b1, b2', 'b2,b3'] } as unknown as Record<string, string>;
    const out = translateRequest(headers, { model: 'm', max_tokens: 1, anthropic_beta: ['b3', 'b4'] }, { longContext: false });
    expect(out.body.anthropic_beta).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('withholds learned betas and the request-tags beta, dropping the field when none remain', () => {
    const out = translateRequest({ 'anthropic-beta': 'request-tags-2026-08-21,bad-beta' }, { model: 'm', max_tokens: 1 }, { longContext: false, withheldBetas: new Set(['bad-beta']) });
    expect(out.body).not.toHaveProperty('anthropic_beta');
    expect(out.betas).toEqual([]);
  });

  it('adds the 1M context beta once for the [1m] suffix', () => {
    const out = translateRequest({ 'anthropic-beta': 'context-1m-2025-08-07' }, { model: 'x[1m]', max_tokens: 1 }, { longContext: true });
    expect(out.body.anthropic_beta).toEqual(['context-1m-2025-08-07']);
  });

  it('adds max_tokens for count_tokens bodies only when missing', () => {
    expect(translateRequest({}, { model: 'm', messages: [] }, { longContext: false, ensureMaxTokens: true }).body.max_tokens).toBe(1);
    expect(translateRequest({}, { model: 'm', max_tokens: 99 }, { longContext: false, ensureMaxTokens: true }).body.max_tokens).toBe(99);
    expect(translateRequest({}, { model: 'm' }, { longContext: false }).body).not.toHaveProperty('max_tokens');
  });
});

describe('requestedBetas', () => {
  it('ignores non-string body betas', () => {
    expect(requestedBetas({}, { anthropic_beta: ['a', 3, null] })).toEqual(['a']);
  });
});
