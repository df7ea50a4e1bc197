import { describe, expect, it } from 'vitest';
import { anthropicIdOf, isBedrockName, parseArn, splitLongContext, stripDate, stripGeoPrefix } from '../../src/upstreams/model-names.js';

describe('anthropicIdOf', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]', 'claude-sonnet-4-5-20250929'],
    ['global.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['anthropic.claude-sonnet-4-6', 'claude-sonnet-4-6'],
    ['us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet-20250219'],
    ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5-20251001'],
    ['arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1-20250805'],
    // Names whose model cannot be read from them.
    ['arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3', undefined],
    ['arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc', undefined],
  ])('%s → %s', (name, expected) => {
    expect(anthropicIdOf(name)).toBe(expected);
  });
});

describe('name grammar', () => {
  it('tells Bedrock names from Anthropic ones', () => {
    expect(isBedrockName('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(true);
    expect(isBedrockName('anthropic.claude-sonnet-4-6')).toBe(true);
    expect(isBedrockName('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3')).toBe(true);
    expect(isBedrockName('claude-sonnet-4-5')).toBe(false);
    expect(isBedrockName('claude-anthropic.x')).toBe(false);
  });

  it('reads an ARN', () => {
    expect(parseArn('arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/a1b2c3')).toEqual({
      region: 'us-gov-west-1',
      account: '123456789012',
      resource: 'application-inference-profile',
      id: 'a1b2c3',
    });
    expect(parseArn('arn:aws:s3:::bucket/key')).toBeUndefined();
    expect(parseArn('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBeUndefined();
  });

  it('strips dates, geo prefixes and the long context suffix, and nothing else', () => {
    expect(stripDate('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(stripDate('claude-opus-4-6')).toBe('claude-opus-4-6');
    expect(stripDate('claude-sonnet-4-5-2025092')).toBe('claude-sonnet-4-5-2025092');
    expect(stripGeoPrefix('apac.anthropic.claude-sonnet-4-20250514-v1:0')).toBe('anthropic.claude-sonnet-4-20250514-v1:0');
    expect(stripGeoPrefix('us.amazon.nova-pro-v1:0')).toBe('us.amazon.nova-pro-v1:0');
    expect(splitLongContext('claude-sonnet-4-5[1M]')).toEqual({ name: 'claude-sonnet-4-5', longContext: true });
    expect(splitLongContext('claude-sonnet-4-5')).toEqual({ name: 'claude-sonnet-4-5', longContext: false });
  });

  it('regression: a [1m] suffix followed by spaces still asks for the long context, and is not left in the name', () => {
    expect(splitLongContext('claude-opus-4-6[1m] ')).toEqual({ name: 'claude-opus-4-6', longContext: true });
    expect(anthropicIdOf('us.anthropic.claude-opus-4-6-v1[1m]\t')).toBe('claude-opus-4-6');
  });
});
