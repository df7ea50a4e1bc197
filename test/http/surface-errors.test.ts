/** Which surface's error shape a path gets, and each shape, for errors raised before any route runs. */
import { describe, expect, test } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { shapeError, surfaceOf } from '../../src/http/surface-errors.js';

describe('surface of a path', () => {
  test.each([
    ['/admin', 'admin'],
    ['/admin/users/x', 'admin'],
    ['/admin?x=1', 'admin'],
    ['/administrator', 'anthropic'],
    ['/scim/v2/Users', 'scim'],
    ['/model/anthropic.claude-x/invoke', 'bedrock'],
    ['/inference-profiles/abc', 'bedrock'],
    ['/v1/messages%ff', 'anthropic'],
    ['/', 'anthropic'],
  ] as const)('%s answers in the %s shape', (path, surface) => {
    expect(surfaceOf(path)).toBe(surface);
  });
});

describe('error shapes', () => {
  const error = new ApiError('headers_too_large', 'too big');

  test('each surface renders the same error in its documented shape', () => {
    expect(JSON.parse(shapeError('anthropic', error).body)).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'too big' } });
    expect(JSON.parse(shapeError('admin', error).body)).toEqual({ error: { code: 'headers_too_large', message: 'too big' } });
    const scim = shapeError('scim', error);
    expect(scim.headers['content-type']).toBe('application/scim+json');
    expect(JSON.parse(scim.body)).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '431', detail: 'too big' });
    const bedrock = shapeError('bedrock', error);
    expect(bedrock.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(JSON.parse(bedrock.body)).toEqual({ message: 'too big' });
  });

  test('a status the gateway keeps (431) is the status of every shape but Bedrock, which answers as Bedrock would', () => {
    expect([shapeError('anthropic', error).status, shapeError('admin', error).status, shapeError('scim', error).status]).toEqual([431, 431, 431]);
    expect(shapeError('bedrock', error).status).toBe(400);
  });
});
