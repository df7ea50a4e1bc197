import { describe, expect, it } from 'vitest';
import { classifyProbeFailure, redactSecrets } from '../../src/routing/probe-failure.js';

const bedrock = { kind: 'bedrock', region: 'us-east-1', auth: 'static' } as const;
const awsError = (name: string, message: string, httpStatusCode?: number) => Object.assign(new Error(message), { name, ...(httpStatusCode ? { $metadata: { httpStatusCode } } : {}) });

describe('why an endpoint check failed', () => {
  it('Bedrock: refused or insufficient credentials are a credentials failure, naming the missing permission', () => {
    expect(classifyProbeFailure(bedrock, awsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403))).toEqual({
      stage: 'credentials',
      detail: 'AWS refused the credentials (UnrecognizedClientException: The security token included in the request is invalid.)',
      answer: 'HTTP 403',
    });
    expect(classifyProbeFailure(bedrock, awsError('AccessDeniedException', 'not authorized', 403)).detail).toBe('the credentials lack bedrock:ListInferenceProfiles (AccessDeniedException: not authorized)');
    expect(classifyProbeFailure(bedrock, awsError('CredentialsProviderError', 'Could not load credentials from any providers')).stage).toBe('credentials');
  });

  it('Bedrock: no answer or a server error is a reachability failure', () => {
    expect(classifyProbeFailure(bedrock, Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }))).toMatchObject({ stage: 'reachability', detail: 'Bedrock could not be reached: ECONNREFUSED' });
    expect(classifyProbeFailure(bedrock, awsError('InternalServerException', 'boom', 500))).toMatchObject({ stage: 'reachability', detail: 'Bedrock answered HTTP 500 (InternalServerException: boom)' });
  });

  it('Anthropic: 401 is a refused API key with the API\'s own reason; no answer is unreachable', () => {
    const refused = new Error('GET /v1/models?limit=1 answered 401: {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}');
    expect(classifyProbeFailure({ kind: 'anthropic' }, refused)).toEqual({ stage: 'credentials', detail: 'the API refused the API key (HTTP 401: authentication_error: invalid x-api-key)', answer: 'HTTP 401' });
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyProbeFailure({ kind: 'anthropic', baseUrl: 'http://127.0.0.1:9' }, down)).toMatchObject({ stage: 'reachability', detail: 'http://127.0.0.1:9 could not be reached: ECONNREFUSED' });
    expect(classifyProbeFailure({ kind: 'anthropic' }, new Error('GET /v1/models?limit=1 answered 502: <html>bad gateway</html>')).detail).toBe('https://api.anthropic.com answered HTTP 502: <html>bad gateway</html>');
  });

  it('removes every stored secret from a detail, whatever an upstream echoed', () => {
    expect(redactSecrets('key sk-ant-secret-1 and s3cr3t-key, token tok-123', { apiKey: 'sk-ant-secret-1', secretAccessKey: 's3cr3t-key', sessionToken: 'tok-123' })).toBe('key [redacted] and [redacted], token [redacted]');
  });
});
