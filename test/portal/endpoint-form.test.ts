import { describe, expect, it } from 'vitest';
import { EMPTY_ENDPOINT_FORM, endpointBody, endpointFormErrors, type EndpointForm } from '../../portal/src/features/endpoints/endpoint-form.js';

const form = (change: Partial<EndpointForm>): EndpointForm => ({ ...EMPTY_ENDPOINT_FORM, name: 'bedrock-us', region: 'us-east-1', ...change });
/** The body as it goes on the wire: undefined fields are not sent. */
const wire = (value: EndpointForm) => JSON.parse(JSON.stringify(endpointBody(value))) as Record<string, unknown>;

describe('endpointFormErrors', () => {
  it('accepts a Bedrock endpoint on the default chain with just a name and a region', () => {
    expect(endpointFormErrors(form({}))).toEqual({});
  });

  it('checks the fields the API checks, at the field', () => {
    expect(endpointFormErrors(form({ name: '  ', region: 'US East', routingPrefix: 'us.', endpointUrl: 'vpce-1', priority: '-1' }))).toEqual({
      name: 'Give the endpoint a name.',
      region: 'An AWS region such as us-east-1.',
      routingPrefix: 'An inference profile prefix such as us, eu, apac, global or us-gov.',
      endpointUrl: 'A URL such as https://vpce-….bedrock-runtime.us-east-1.vpce.amazonaws.com.',
      priority: 'A whole number from 0 to 1,000,000.',
    });
    expect(endpointFormErrors(form({ region: 'us-gov-west-1', routingPrefix: 'us-gov', priority: '0' }))).toEqual({});
    expect(endpointFormErrors(form({ priority: '2.5' })).priority).toBeDefined();
    expect(endpointFormErrors(form({ name: 'x'.repeat(101) })).name).toBe('At most 100 characters.');
  });

  it('asks for the key pair with static keys and a role ARN with an assumed role', () => {
    expect(endpointFormErrors(form({ auth: 'static', accessKeyId: 'AKIA1' }))).toEqual({ secretAccessKey: 'Static keys need the secret access key.' });
    expect(endpointFormErrors(form({ auth: 'assume_role', roleArn: 'arn:aws:iam::12:role/x' }))).toEqual({ roleArn: 'A role ARN such as arn:aws:iam::123456789012:role/ccag.' });
    expect(endpointFormErrors(form({ auth: 'assume_role', roleArn: 'arn:aws-us-gov:iam::123456789012:role/path/ccag' }))).toEqual({});
  });

  it('needs an API key for the Anthropic API, and no region', () => {
    expect(endpointFormErrors(form({ kind: 'anthropic', region: '' }))).toEqual({ apiKey: 'The Anthropic API key is required.' });
    expect(endpointFormErrors(form({ kind: 'anthropic', apiKey: 'sk-ant-1', baseUrl: 'ftp://proxy' }))).toEqual({ baseUrl: 'A URL such as https://api.anthropic.com.' });
  });
});

describe('endpointBody', () => {
  it('sends a default-chain Bedrock endpoint without empty optional fields', () => {
    expect(wire(form({ name: ' bedrock-us ' }))).toEqual({ kind: 'bedrock', name: 'bedrock-us', priority: 100, region: 'us-east-1', auth: 'default' });
  });

  it('sends only the credentials of the chosen method, even when others were typed first', () => {
    const typed = { accessKeyId: 'AKIA1', secretAccessKey: 'secret', sessionToken: '', roleArn: 'arn:aws:iam::123456789012:role/ccag', externalId: 'ext-1' };
    expect(wire(form({ ...typed, auth: 'static' }))).toEqual({ kind: 'bedrock', name: 'bedrock-us', priority: 100, region: 'us-east-1', auth: 'static', access_key_id: 'AKIA1', secret_access_key: 'secret' });
    expect(wire(form({ ...typed, auth: 'assume_role', routingPrefix: 'global', isDefault: true, priority: '10' }))).toEqual({
      kind: 'bedrock',
      name: 'bedrock-us',
      priority: 10,
      is_default: true,
      region: 'us-east-1',
      routing_prefix: 'global',
      auth: 'assume_role',
      role_arn: 'arn:aws:iam::123456789012:role/ccag',
      external_id: 'ext-1',
    });
  });

  it('sends an Anthropic endpoint with its key and, when given, its base URL, and nothing of Bedrock', () => {
    expect(wire(form({ kind: 'anthropic', name: 'anthropic', apiKey: ' sk-ant-1 ', baseUrl: 'https://proxy.example.com', accessKeyId: 'AKIA1' }))).toEqual({
      kind: 'anthropic',
      name: 'anthropic',
      priority: 100,
      api_key: 'sk-ant-1',
      base_url: 'https://proxy.example.com',
    });
  });
});
