import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { expiryParser, normalizeGatewayUrl, parsePort, parseUsdPerMTok } from '../../src/cli/arguments.js';
import { bedrockBody } from '../../src/cli/commands/endpoints.js';
import { UsageError } from '../../src/cli/errors.js';

describe('normalizeGatewayUrl', () => {
  it('drops trailing slashes, query and fragment, and lower-cases the host', () => {
    expect(normalizeGatewayUrl('http://LOCALHOST:8080/')).toBe('http://localhost:8080');
    expect(normalizeGatewayUrl('https://gw.example.com/ccag//?x=1#y')).toBe('https://gw.example.com/ccag');
  });
  it('refuses non-HTTP URLs, garbage and embedded credentials', () => {
    expect(() => normalizeGatewayUrl('ftp://x')).toThrow(InvalidArgumentError);
    expect(() => normalizeGatewayUrl('localhost:8080')).toThrow(/http/);
    expect(() => normalizeGatewayUrl('not a url')).toThrow(/not a URL/);
    expect(() => normalizeGatewayUrl('http://admin:pw@x')).toThrow(/credentials/);
  });
});

describe('number options', () => {
  it('parses ports', () => {
    expect(parsePort('8080')).toBe(8080);
    for (const bad of ['0', '65536', '80.5', 'abc', '']) expect(() => parsePort(bad)).toThrow(InvalidArgumentError);
  });
  it('parses prices, tolerating a $', () => {
    expect(parseUsdPerMTok('3')).toBe(3);
    expect(parseUsdPerMTok('0.30')).toBe(0.3);
    expect(parseUsdPerMTok('$15')).toBe(15);
    expect(parseUsdPerMTok('.5')).toBe(0.5);
    for (const bad of ['', '-1', '0x10', '1e3', 'three']) expect(() => parseUsdPerMTok(bad)).toThrow(InvalidArgumentError);
  });
  it('turns expiry mistakes into commander usage errors', () => {
    const parse = expiryParser(() => new Date('2026-01-01T00:00:00Z'));
    expect(parse('1d').toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(() => parse('soon')).toThrow(InvalidArgumentError);
  });
});

describe('bedrockBody', () => {
  const base = { name: 'b', region: 'us-east-1' };

  it('infers the auth mode from the flags given', () => {
    expect(bedrockBody(base, undefined).auth).toBe('default');
    expect(bedrockBody({ ...base, accessKeyId: 'AKIA' }, 'secret').auth).toBe('static');
    expect(bedrockBody({ ...base, roleArn: 'arn:aws:iam::123456789012:role/x' }, undefined).auth).toBe('assume_role');
  });

  it('sends assume-role with static source credentials and an external id', () => {
    expect(
      bedrockBody({ ...base, roleArn: 'arn:aws:iam::123456789012:role/x', externalId: 'ext', accessKeyId: 'AKIA', routingPrefix: 'us', default: true }, 's'),
    ).toMatchObject({ kind: 'bedrock', auth: 'assume_role', role_arn: 'arn:aws:iam::123456789012:role/x', external_id: 'ext', access_key_id: 'AKIA', secret_access_key: 's', routing_prefix: 'us', is_default: true });
  });

  it.each([
    [{ auth: 'static' as const, accessKeyId: 'AKIA' }, undefined, /--auth static needs/],
    [{ auth: 'assume_role' as const }, undefined, /needs --role-arn/],
    [{ auth: 'default' as const, accessKeyId: 'AKIA' }, 's', /--auth default uses the AWS credential chain/],
    [{ externalId: 'x' }, undefined, /--external-id only applies/],
    [{ roleArn: 'role/x' }, undefined, /not an IAM role ARN/],
    [{ routingPrefix: 'US' }, undefined, /inference profile prefix/],
    [{ auth: 'static' as const, accessKeyId: 'AKIA', sessionToken: 't' }, undefined, /--auth static needs/],
  ])('refuses %j', (flags, secret, message) => {
    expect(() => bedrockBody({ ...base, ...flags }, secret)).toThrow(UsageError);
    expect(() => bedrockBody({ ...base, ...flags }, secret)).toThrow(message);
  });
});
