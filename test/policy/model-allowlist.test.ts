import { describe, expect, test } from 'vitest';
import { modelMatches } from '../../src/policy/model-allowlist.js';

describe('model allowlist patterns', () => {
  test.each([
    ['claude-sonnet-4-5', true],
    ['claude-sonnet-4-5-20250929', true],
    ['claude-sonnet-4-5[1m]', true],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', true],
    ['anthropic.claude-sonnet-4-20250514-v1:0', true],
    ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0', true],
    ['claude-opus-4-6', false],
    ['us.anthropic.claude-opus-4-6-v1', false],
    ['claude-3-5-sonnet-20241022', false],
  ])('claude-sonnet-4* against %s → %s', (model, allowed) => {
    expect(modelMatches(['claude-sonnet-4*'], model)).toBe(allowed);
  });

  test('a Bedrock-only pattern matches the raw name; patterns are literal apart from * and ignore case', () => {
    const profile = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    expect(modelMatches([profile], profile)).toBe(true);
    expect(modelMatches(['us.anthropic.*'], 'us.anthropic.claude-opus-4-6-v1')).toBe(true);
    expect(modelMatches(['us.anthropic.*'], 'claude-opus-4-6')).toBe(false);
    expect(modelMatches(['CLAUDE-HAIKU-4-5'], 'claude-haiku-4-5')).toBe(true);
    expect(modelMatches(['claude-haiku-4.5'], 'claude-haiku-4-5')).toBe(false);
  });
});
