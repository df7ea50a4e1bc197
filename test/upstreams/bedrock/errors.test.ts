import { describe, expect, it } from 'vitest';
import { describeFailure, exposesAccount, isContextLengthMessage, translateFailure } from '../../../src/upstreams/bedrock/errors.js';

describe('translateFailure', () => {
  it.each([
    ['ThrottlingException', 'Too many requests, please wait before trying again.', 429, 'rate_limit_error'],
    ['throttlingException', 'Too many tokens, please wait before trying again.', 429, 'rate_limit_error'],
    ['ServiceQuotaExceededException', 'You have exceeded your daily token quota.', 429, 'rate_limit_error'],
    ['ServiceUnavailableException', 'Bedrock is unable to process your request.', 529, 'overloaded_error'],
    ['ModelNotReadyException', 'Model is not ready for inference.', 529, 'overloaded_error'],
    ['ThrottlingException', 'Too many connections, please wait before trying again.', 529, 'overloaded_error'],
    ['InternalServerException', 'Model is overloaded', 529, 'overloaded_error'],
    ['ValidationException', 'messages: text content blocks must be non-empty', 400, 'invalid_request_error'],
    ['validationException', 'messages.1: tool_use ids must be unique', 400, 'invalid_request_error'],
    ['ModelTimeoutException', 'Model has timed out in processing the request.', 504, 'api_error'],
    ['InternalServerException', 'The system encountered an unexpected error during processing. Try your request again.', 500, 'api_error'],
    ['modelStreamErrorException', 'The model stopped unexpectedly.', 502, 'api_error'],
    ['ResourceNotFoundException', 'Model use case details have not been submitted for this account.', 502, 'api_error'],
  ])('%s "%s" → %i %s with the message kept', (name, message, status, type) => {
    expect(translateFailure({ name, message })).toEqual({ status, type, message, redacted: false });
  });

  it.each([
    ['ValidationException', 'Input is too long.'],
    ['ValidationException', 'prompt is too long: 212345 tokens > 200000 maximum'],
    ['ValidationException', 'input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again'],
    ['ValidationException', 'The model returned the following errors: too many total text bytes: 9123456 > 9000000'],
    ['validationException', 'Input is too long for requested model.'],
  ])('keeps the context-length message "%s" verbatim', (name, message) => {
    expect(translateFailure({ name, message })).toEqual({ status: 400, type: 'invalid_request_error', message, redacted: false });
  });

  it.each([
    ['AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/BedrockRole/ccag is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['ValidationException', 'The provided model identifier arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x is invalid.'],
    ['AccessDeniedException', 'Account 123456789012 is not allowed to use this model'],
    ['UnrecognizedClientException', 'The security token included in the request is invalid. Key AKIAIOSFODNN7EXAMPLE'],
    ['AccessDeniedException', 'not authorized: role/DeveloperAccess cannot invoke'],
  ])('withholds %s messages naming the account', (name, message) => {
    const out = translateFailure({ name, message });
    expect(out.redacted).toBe(true);
    expect(out.message).toBe(`Amazon Bedrock returned ${name}; the details were logged for the gateway operator.`);
    expect(out.message).not.toMatch(/\d{12}|arn:aws|AKIA|role\//);
  });

  it('keeps verbatim a context-length message even when it also looks sensitive', () => {
    const message = 'prompt is too long: 300000 tokens > 200000 maximum (request 123456789012)';
    expect(translateFailure({ name: 'ValidationException', message }).message).toBe(message);
  });

  it('hides credential and network failures behind 502 api_error', () => {
    expect(translateFailure({ name: 'CredentialsProviderError', message: 'Could not load credentials from any providers', cause: 'credentials' })).toEqual({
      status: 502,
      type: 'api_error',
      message: 'The gateway could not obtain AWS credentials for its Bedrock endpoint; the details were logged for the gateway operator.',
      redacted: true,
    });
    expect(translateFailure({ name: 'Error', message: 'connect ECONNREFUSED 10.0.0.1:443', cause: 'network' })).toMatchObject({
      status: 502,
      type: 'api_error',
      message: 'The gateway could not reach Amazon Bedrock; the details were logged for the gateway operator.',
    });
  });

  it('carries retry-after on throttling only', () => {
    expect(translateFailure({ name: 'ThrottlingException', message: 'slow down', retryAfter: '7' }).retryAfter).toBe('7');
    expect(translateFailure({ name: 'InternalServerException', message: 'x', retryAfter: '7' }).retryAfter).toBeUndefined();
  });
});

describe('describeFailure', () => {
  it('reads SDK service exceptions', () => {
    const err = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429, requestId: 'req-1' },
      $response: { headers: { 'retry-after': '3' } },
    });
    expect(describeFailure(err)).toEqual({ name: 'ThrottlingException', message: 'Rate exceeded', httpStatus: 429, retryAfter: '3', requestId: 'req-1' });
  });

  it('recognises network and credential failures', () => {
    expect(describeFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).cause).toBe('network');
    expect(describeFailure(Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' })).cause).toBe('credentials');
    expect(describeFailure(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).cause).toBeUndefined();
  });

  it('unwraps the JSON payload of unmodelled stream exceptions', () => {
    const err = Object.assign(new Error('{"message":"Input is too long."}'), { name: 'someNewException' });
    expect(describeFailure(err)).toEqual({ name: 'someNewException', message: 'Input is too long.' });
  });
});

describe('predicates', () => {
  it('spots context-length messages without catching ordinary validation errors', () => {
    expect(isContextLengthMessage('Input is too long.')).toBe(true);
    expect(isContextLengthMessage('max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens')).toBe(false);
  });

  it('spots account details', () => {
    expect(exposesAccount('arn:aws:iam::aws:policy/x')).toBe(true);
    expect(exposesAccount('ASIAY34FZKBOKMUTVV7A')).toBe(true);
    expect(exposesAccount('messages.0.content: Field required')).toBe(false);
    expect(exposesAccount('max_tokens: 64001 > 64000')).toBe(false);
  });
});
