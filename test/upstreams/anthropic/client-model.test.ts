import { describe, expect, it } from 'vitest';
import { renamedBody, renameFor, withLongContextBeta } from '../../../src/upstreams/anthropic/client-model.js';

describe('renameFor', () => {
  it.each(['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'claude-opus-4-6', 'gpt-4o', 'claude-fable-5-1'])('sends %s as it is', (model) => {
    expect(renameFor(model)).toBeUndefined();
  });

  it.each([
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929', false],
    ['global.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6', false],
    ['anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5-20251001', false],
    ['arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-6', 'claude-sonnet-4-6', false],
    ['arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929', false],
    ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5', true],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]', 'claude-sonnet-4-5-20250929', true],
  ])('sends %s as %s', (clientModel, upstreamModel, longContext) => {
    expect(renameFor(clientModel)).toEqual({ clientModel, upstreamModel, longContext });
  });

  it('refuses names whose model cannot be read', () => {
    expect(renameFor('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3')).toBeNull();
    expect(renameFor('arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc')).toBeNull();
  });
});

describe('request rewriting', () => {
  const rename = { clientModel: 'claude-sonnet-4-5[1m]', upstreamModel: 'claude-sonnet-4-5', longContext: true };

  it('adds the 1M beta once, keeping the client’s betas', () => {
    expect(withLongContextBeta({ 'anthropic-version': '2023-06-01' }, rename)).toEqual({ 'anthropic-version': '2023-06-01', 'anthropic-beta': 'context-1m-2025-08-07' });
    expect(withLongContextBeta({ 'anthropic-beta': 'a, b' }, rename)).toEqual({ 'anthropic-beta': 'a,b,context-1m-2025-08-07' });
    const already = { 'anthropic-beta': 'context-1m-2025-08-07' };
    expect(withLongContextBeta(already, rename)).toBe(already);
    const plain = { 'anthropic-beta': 'a' };
    expect(withLongContextBeta(plain, { ...rename, longContext: false })).toBe(plain);
  });

  it('replaces only the model and leaves the inbound body alone', () => {
    const body = { model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', max_tokens: 5, messages: [], unknown_field: { kept: true } };
    const sent = JSON.parse(renamedBody(body, { ...rename, upstreamModel: 'claude-sonnet-4-5-20250929' }).toString('utf8'));
    expect(sent).toEqual({ ...body, model: 'claude-sonnet-4-5-20250929' });
    expect(body.model).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });
});
