import { describe, expect, it } from 'vitest';
import type { EndpointRecord } from '../../portal/src/api/types.js';
import { editFormErrors, editFormOf, endpointPatchBody } from '../../portal/src/features/endpoints/endpoint-edit.js';

const ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
const bedrock = (config: Partial<EndpointRecord['config']> = {}, hasCredentials = true): EndpointRecord => ({
  id: 'e1', name: 'bedrock-us', kind: 'bedrock', has_credentials: hasCredentials, is_default: false, enabled: true, priority: 100,
  created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z',
  config: { region: 'us-east-1', auth: 'static', routing_prefix: 'us', ...config },
});
const anthropic: EndpointRecord = { ...bedrock(), kind: 'anthropic', config: { base_url: 'https://api.anthropic.com' } };

describe('editing an endpoint', () => {
  it('fills the form from the endpoint, secrets blank, profiles as rows', () => {
    const form = editFormOf(bedrock({ inference_profiles: { 'claude-sonnet-4-5': ARN } }));
    expect(form).toMatchObject({ kind: 'bedrock', name: 'bedrock-us', priority: '100', region: 'us-east-1', routingPrefix: 'us', auth: 'static', accessKeyId: '', secretAccessKey: '' });
    expect(form.profiles).toEqual([{ model: 'claude-sonnet-4-5', arn: ARN }]);
    expect(editFormOf(anthropic).baseUrl).toBe('');
  });

  it('lets blank secrets keep the stored ones, but not half a key pair', () => {
    const endpoint = bedrock();
    expect(editFormErrors(editFormOf(endpoint), endpoint)).toEqual({});
    expect(editFormErrors({ ...editFormOf(endpoint), accessKeyId: 'AKIDNEW' }, endpoint)).toEqual({ secretAccessKey: 'Static keys need the secret access key.' });
    // Switching to static keys from another method needs the keys.
    const chain = bedrock({ auth: 'default' }, false);
    expect(Object.keys(editFormErrors({ ...editFormOf(chain), auth: 'static' }, chain)).sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    expect(editFormErrors(editFormOf(anthropic), anthropic)).toEqual({});
  });

  it('checks inference profiles: a model each, one per model, an application inference profile ARN', () => {
    const endpoint = bedrock();
    const withProfiles = (profiles: Array<{ model: string; arn: string }>) => editFormErrors({ ...editFormOf(endpoint), profiles }, endpoint).profiles;
    expect(withProfiles([{ model: 'claude-sonnet-4-5', arn: ARN }, { model: '', arn: '' }])).toBeUndefined();
    expect(withProfiles([{ model: '', arn: ARN }])).toMatch(/needs the model/);
    expect(withProfiles([{ model: 'm', arn: ARN }, { model: 'm', arn: ARN }])).toMatch(/two inference profiles/);
    expect(withProfiles([{ model: 'm', arn: 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.x' }])).toMatch(/not an application inference profile ARN/);
  });

  it('sends secrets only when typed, profiles as an object, an emptied setting as null', () => {
    const endpoint = bedrock({ endpoint_url: 'https://vpce.example.com' });
    const form = { ...editFormOf(endpoint), name: ' renamed ', routingPrefix: '', endpointUrl: '', profiles: [{ model: 'claude-sonnet-4-5', arn: ARN }, { model: '', arn: '' }] };
    expect(endpointPatchBody(form, endpoint)).toEqual({
      name: 'renamed', priority: 100, region: 'us-east-1', routing_prefix: null, endpoint_url: null, auth: 'static', inference_profiles: { 'claude-sonnet-4-5': ARN },
    });
    expect(endpointPatchBody({ ...form, accessKeyId: 'AKIDNEW', secretAccessKey: 'new' }, endpoint)).toMatchObject({ access_key_id: 'AKIDNEW', secret_access_key: 'new' });
    expect(endpointPatchBody(editFormOf(anthropic), anthropic)).toEqual({ name: 'bedrock-us', priority: 100 });
    expect(endpointPatchBody({ ...editFormOf(anthropic), apiKey: 'sk-ant-new' }, anthropic)).toEqual({ name: 'bedrock-us', priority: 100, api_key: 'sk-ant-new' });
  });
});
