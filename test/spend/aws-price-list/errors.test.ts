/** What an admin is told when the Price List call fails: what to fix, never a credential. */
import { describe, expect, test } from 'vitest';
import { priceListError } from '../../../src/spend/aws-price-list/errors.js';

const ENDPOINT = 'https://api.pricing.us-east-1.amazonaws.com';
const sdkError = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });

describe('priceListError', () => {
  test('missing credentials', () => {
    const error = priceListError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), ENDPOINT);
    expect(error).toMatchObject({ code: 'upstream_unreachable', status: 502 });
    expect(error.message).toMatch(/^No AWS credentials for the Price List API/);
  });

  test('access denied, whatever status AWS uses', () => {
    for (const status of [400, 403]) {
      const error = priceListError(sdkError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized', { $metadata: { httpStatusCode: status } }), ENDPOINT);
      expect(error.message).toBe("AWS denied pricing:GetProducts. Allow that action in the IAM policy of the gateway's credentials.");
    }
  });

  test('unreachable endpoint', () => {
    expect(priceListError(sdkError('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }), 'http://127.0.0.1:9').message).toBe(
      'The AWS Price List API at http://127.0.0.1:9 could not be reached (ECONNREFUSED).',
    );
  });

  test('anything else: AWS\'s first sentence only, with key ids blanked', () => {
    const message = 'The request signature we calculated does not match. Key AKIAABCDEFGHIJKLMNOP.\n\nThe Canonical String for this request should have been\n\'POST\n/\nx-amz-security-token:IQoJsecretsecret\'';
    const error = priceListError(sdkError('InvalidSignatureException', message, { $metadata: { httpStatusCode: 400 } }), ENDPOINT);
    expect(error.message).toBe('The AWS Price List API answered InvalidSignatureException (HTTP 400): The request signature we calculated does not match. Key AKIA….');
    expect(error.message).not.toMatch(/IQoJ|ABCDEFGHIJKLMNOP/);
  });
});
